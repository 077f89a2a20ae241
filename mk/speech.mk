# mk/speech.mk - speech (kiosk/speech/): espeak-ng linked for the call-outs
# and voice guidance; Open JTalk (program + dictionary) for a city that has
# an .htsvoice file; sox measures the synthesised WAV files in the tests.
PKGS      += espeak-ng
DEB_BUILD += libespeak-ng-dev
DEB_RUN   += espeak-ng-data open-jtalk open-jtalk-mecab-naist-jdic
DEB_TEST  += espeak-ng sox
