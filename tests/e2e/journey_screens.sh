#!/bin/bash
# journey_screens.sh - the accessibility audit over every resident screen in
# all eight languages, normal and large text, 1920x1080 and 1080x1920 (the
# UI layer's audit of each frame's widget list: targets >= 61 px, text
# contrast >= 7:1, text sizes, missing glyphs, overflow).  The screens are
# those of `make screenshots` (tests/journey/screens.sh).
. "$(dirname "$0")/lib.sh"
bash tests/journey/screens.sh "$T" --audit
