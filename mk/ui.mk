# UI foundation (kiosk/app*.c, kiosk/ui/, fonts/): SDL2 + SDL2_ttf with
# HarfBuzz, the fonts of fonts/fonts.conf, valgrind for the bench figures.
DEB_RUN  += fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk
DEB_TEST += valgrind
DEB_TEST += xvfb xdotool
# tests/e2e/wipe_core.sh: gcore takes the core image searched for the
# resident after the session wipe
DEB_TEST += gdb
