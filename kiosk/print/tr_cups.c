/*
 * tr_cups.c - "cups:QUEUE": hand the raw bytes to CUPS with
 * `lp -d QUEUE -o raw` (no shell; lp from PATH).  CUPS gives no ESC/POS
 * status back, so this transport has no read: the result says "status
 * unknown" and only lp's failure counts as a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print.h"
#include "tr_fd.h"
#include "xmalloc.h"

extern char **environ;

struct cups_tr {
	struct print_tr tr;
	char *queue;
	int timeout_ms;
};

static int
cups_open(struct print_tr **out, const char *rest, const struct print_opts *o,
    struct kerr *err)
{
	struct cups_tr *c;
	const char *p;

	if (rest[0] == '\0' || strlen(rest) > 127)
		return kerr_set(err, K_EINVAL,
		    "print: cups: needs a queue name, e.g. cups:tickets");
	for (p = rest; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '.' || *p == '@'))
			return kerr_set(err, K_EINVAL,
			    "print: cups queue name '%s' has a character "
			    "other than letters, digits, _ - . @", rest);
	c = xcalloc(1, sizeof(*c));
	c->queue = xstrdup(rest);
	c->timeout_ms = o->timeout_ms;
	c->tr.priv = c;
	*out = &c->tr;
	return K_OK;
}

static int
cups_write(struct print_tr *t, const uint8_t *buf, size_t len,
    struct kerr *err)
{
	struct cups_tr *c = t->priv;
	posix_spawn_file_actions_t fa;
	char a_lp[] = "lp", a_s[] = "-s", a_d[] = "-d", a_o[] = "-o",
	    a_raw[] = "raw", a_t[] = "-t", a_title[] = "kiosk-ticket";
	char *argv[] = { a_lp, a_s, a_d, c->queue, a_o, a_raw, a_t, a_title,
		NULL };
	sigset_t pipe_set, old;
	struct timespec zero = { 0, 0 };
	int in[2], msg[2], status = 0, rc, waited = 0;
	char text[120];
	ssize_t n;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0)
		return kerr_set(err, K_EIO, "print: pipe: %s", strerror(errno));
	if (pipe2(msg, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return kerr_set(err, K_EIO, "print: pipe: %s", strerror(errno));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, msg[1], 1);
	posix_spawn_file_actions_adddup2(&fa, msg[1], 2);
	rc = posix_spawnp(&pid, "lp", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(msg[1]);
	if (rc != 0) {
		close(in[1]);
		close(msg[0]);
		return kerr_set(err, K_ENODEV,
		    "print: cannot run lp for cups:%s: %s (install cups-client)",
		    c->queue, strerror(rc));
	}
	/* lp may exit early: take EPIPE, not a SIGPIPE that ends the kiosk. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	rc = tr_fd_write(in[1], false, buf, len, c->timeout_ms, "lp", err);
	if (rc != K_OK && rc != K_ETIMEOUT)
		rc = kerr_set(err, K_EIO, "print: lp for cups:%s stopped "
		    "reading the job", c->queue);
	close(in[1]);
	while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* Wait for lp, bounded by the time-out. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		struct timespec ts = { 0, 10 * 1000000 };
		if ((waited += 10) > c->timeout_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(msg[0]);
			return kerr_set(err, K_ETIMEOUT,
			    "print: lp for cups:%s did not finish within %d ms",
			    c->queue, c->timeout_ms);
		}
		nanosleep(&ts, NULL);
	}
	n = read(msg[0], text, sizeof(text) - 1);
	close(msg[0]);
	text[n > 0 ? n : 0] = '\0';
	text[strcspn(text, "\n")] = '\0';
	if (rc != K_OK)
		return rc;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return kerr_set(err, K_EIO, "print: lp -d %s failed (%s): %s",
		    c->queue, WIFEXITED(status) ? "exit status" : "killed",
		    text[0] != '\0' ? text : "no message");
	return K_OK;
}

static void
cups_close(struct print_tr *t)
{
	struct cups_tr *c = t->priv;

	free(c->queue);
	free(c);
}

const struct print_ops print_cups_ops = {
	.scheme = "cups",
	.open = cups_open,
	.write = cups_write,
	.read = NULL,
	.preview = NULL,
	.close = cups_close,
};
