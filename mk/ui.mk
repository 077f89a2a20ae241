# UI foundation (kiosk/app*.c, kiosk/ui/, fonts/): SDL2 + SDL2_ttf with
# HarfBuzz, the fonts of fonts/fonts.conf, valgrind for the bench figures.
DEB_RUN  += fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk
DEB_TEST += valgrind
DEB_TEST += xvfb xdotool
