# mk/speech.mk - speech (kiosk/speech/): espeak-ng linked for the call-outs
# and voice guidance; Open JTalk (program + dictionary) for a city that has
# an .htsvoice file; sox measures the synthesised WAV files in the tests.
PKGS      += espeak-ng
DEB_BUILD += libespeak-ng-dev
DEB_RUN   += espeak-ng-data open-jtalk open-jtalk-mecab-naist-jdic
DEB_TEST  += espeak-ng sox

# make bench: tests/bench/voice.sh (the CPU cost of a call-out and the time
# from a call on the server to the board's first sample)
VOICE_BENCH = $(BUILD)/tests/speech/voice_bench
VOICE_BENCH_OBJ = $(addprefix $(BUILD)/obj/kiosk/,kerr.o xmalloc.o config.o) \
    $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard kiosk/speech/*.c)))
$(VOICE_BENCH): tests/speech/voice_bench.c $(VOICE_BENCH_OBJ)
	@mkdir -p $(dir $@)
	$(E) "  TOOL    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

BENCH_PREREQS += $(VOICE_BENCH)
