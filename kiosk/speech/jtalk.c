/*
 * jtalk.c - the Open JTalk engine: Japanese in normal text (kanji read
 * by MeCab with the naist-jdic dictionary), used when speech.jtalk_voice
 * names an .htsvoice file.  Debian ships the program and the dictionary
 * (open-jtalk, open-jtalk-mecab-naist-jdic) but no voice, and no library
 * to link, so the open_jtalk program runs once per text: text file in,
 * WAV file out, both private temporary files removed at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "speech.h"
#include "xmalloc.h"

extern char **environ;

struct jt {
	const struct config *cfg;
};

/* A program name without '/' is looked up in PATH, like the shell. */
static bool
jt_program_found(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char buf[4096];

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0';) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

int
speech_jtalk_argv(const struct config *cfg, const char *in_path,
    const char *wav_path, const char **argv, size_t max, struct kerr *err)
{
	const char *voice = config_str(cfg, "speech.jtalk_voice");
	const char *dic = config_str(cfg, "speech.jtalk_dic");
	const char *prog = config_str(cfg, "speech.jtalk_program");
	char sysdic[4096];
	struct stat sb;
	size_t n = 0;

	if (max < 10)
		return kerr_set(err, K_EINVAL, "jtalk: argv too small");
	if (voice[0] == '\0')
		return kerr_set(err, K_EINVAL, "speech.jtalk_voice is empty");
	if (stat(voice, &sb) != 0)
		return kerr_set(err, K_EINVAL, "speech.jtalk_voice: %s: %s",
		    voice, strerror(errno));
	if (!S_ISREG(sb.st_mode) || access(voice, R_OK) != 0)
		return kerr_set(err, K_EINVAL,
		    "speech.jtalk_voice: %s: not a "
		    "readable file",
		    voice);
	snprintf(sysdic, sizeof(sysdic), "%s/sys.dic", dic);
	if (access(sysdic, R_OK) != 0)
		return kerr_set(err, K_EINVAL,
		    "speech.jtalk_dic: %s has no "
		    "sys.dic (install open-jtalk-mecab-naist-jdic)",
		    dic);
	if (!jt_program_found(prog))
		return kerr_set(err, K_EINVAL,
		    "speech.jtalk_program: %s not "
		    "found (install open-jtalk)",
		    prog);
	argv[n++] = prog;
	argv[n++] = "-x";
	argv[n++] = dic;
	argv[n++] = "-m";
	argv[n++] = voice;
	argv[n++] = "-ow";
	argv[n++] = wav_path;
	argv[n++] = in_path;
	argv[n] = NULL;
	return K_OK;
}

static int
jt_open(void **self, const struct config *cfg, struct kerr *err)
{
	const char *argv[16];
	struct jt *j;
	int rc;

	/* check the configuration now, not at the first call */
	rc = speech_jtalk_argv(cfg, "in.txt", "out.wav", argv, 16, err);
	if (rc != K_OK)
		return rc;
	j = xcalloc(1, sizeof(*j));
	j->cfg = cfg;
	*self = j;
	return K_OK;
}

static int
jt_synth(void *self, const char *text, const char *voice,
    struct speech_pcm *out, struct kerr *err)
{
	struct jt *j = self;
	const char *tmp = getenv("TMPDIR"), *argv[16];
	char in[4096], wav[4100];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int fd, rc, status;
	size_t len = strlen(text);

	(void)voice;
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	snprintf(in, sizeof(in), "%s/kiosk-jtalk-XXXXXX", tmp);
	fd = mkstemp(in);
	if (fd < 0)
		return kerr_set(err, K_EIO, "jtalk: temporary file in %s: %s",
		    tmp, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		close(fd);
		unlink(in);
		return kerr_set(err, K_EIO, "jtalk: write %s failed", in);
	}
	close(fd);
	snprintf(wav, sizeof(wav), "%s.wav", in);
	rc = speech_jtalk_argv(j->cfg, in, wav, argv, 16, err);
	if (rc != K_OK) {
		unlink(in);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		unlink(in);
		return kerr_set(err, K_ENODEV, "jtalk: cannot run %s: %s",
		    argv[0], strerror(rc));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	unlink(in);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(wav);
		return kerr_set(err, K_EFAIL, "jtalk: %s failed (status %d)",
		    argv[0], status);
	}
	rc = speech_wav_read(wav, out, err);
	unlink(wav);
	return rc;
}

static void
jt_close(void *self)
{
	free(self);
}

const struct speech_engine speech_jtalk = {
	.name = "open-jtalk",
	.reads_kanji = true,
	.open = jt_open,
	.synth = jt_synth,
	.close = jt_close,
};
