/*
 * setup.c - `kiosk setup [--config FILE] [--quiet]`: the first start of a
 * PC without a keyboard.  The package's postinst runs it.
 *
 * Fills server.token_kiosk, token_staff and token_display with 24 random
 * characters (120 bits) each where the config has none, leaving every
 * other line, comment and token as it is; checks the result like
 * `kiosk config check`; prints the staff sign-in URL and a QR code of it.
 * The file is replaced atomically and keeps its owner and mode (the
 * package installs it root:kiosk 0640: tokens are secrets).
 *
 * Exit status: 0 ready, 1 failed (message says why), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytebuf.h"
#include "config.h"
#include "ops.h"
#include "roles.h"
#include "xmalloc.h"

#define TOKEN_CHARS 24

static const char *const token_keys[3] = {
	"token_kiosk", "token_staff", "token_display",
};

/* Does line s (trimmed on the left) set key, and with a value? */
static bool
sets_key(const char *s, const char *key, bool *has_value)
{
	size_t n = strlen(key);
	const char *v;

	if (strncmp(s, key, n) != 0)
		return false;
	v = s + n;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v != '=')
		return false;
	v++;
	while (*v == ' ' || *v == '\t' || *v == '"')
		v++;
	*has_value = *v != '\0' && *v != '\n' && *v != '\r';
	return true;
}

static char *
slurp(const char *path, struct stat *sb)
{
	FILE *fp = fopen(path, "r");
	struct bytebuf b = BYTEBUF_INIT;
	char buf[4096];
	size_t n;

	if (fp == NULL)
		return NULL;
	fstat(fileno(fp), sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		bytebuf_append(&b, buf, n);
	fclose(fp);
	return bytebuf_detach(&b, NULL);
}

/* The new text with tokens filled in; *added counts the new ones. */
static char *
fill_tokens(const char *text, int *added)
{
	struct bytebuf out = BYTEBUF_INIT;
	char tok[TOKEN_CHARS + 1];
	bool have[3] = { false, false, false }, in_server = false,
	    seen_server = false;
	const char *p = text;
	int i;

	*added = 0;
	/* pass 1: which tokens are set in [server] */
	while (*p) {
		const char *e = strchr(p, '\n'), *s = p;
		bool v;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[')
			in_server = strncmp(s, "[server]", 8) == 0;
		else if (in_server)
			for (i = 0; i < 3; i++)
				if (sets_key(s, token_keys[i], &v) && v)
					have[i] = true;
		p = e ? e + 1 : p + strlen(p);
	}
	/* pass 2: copy; empty token lines dropped, the missing tokens
	 * written right after the [server] header */
	in_server = false;
	p = text;
	while (*p) {
		const char *e = strchr(p, '\n'), *s = p;
		size_t len = e ? (size_t)(e - p + 1) : strlen(p);
		bool v, drop = false;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[')
			in_server = strncmp(s, "[server]", 8) == 0;
		else if (in_server)
			for (i = 0; i < 3; i++)
				if (sets_key(s, token_keys[i], &v) && !v)
					drop = true;
		if (!drop)
			bytebuf_append(&out, p, len);
		if (!drop && e == NULL)
			bytebuf_puts(&out, "\n");
		if (*s == '[' && in_server && !seen_server) {
			seen_server = true;
			for (i = 0; i < 3; i++) {
				if (have[i])
					continue;
				if (ops_random_token(tok, TOKEN_CHARS) != 0)
					goto fail;
				bytebuf_printf(&out, "%s = %s\n", token_keys[i], tok);
				(*added)++;
			}
		}
		p += len;
	}
	if (!seen_server) {
		bytebuf_puts(&out, out.len ? "\n[server]\n" : "[server]\n");
		for (i = 0; i < 3; i++) {
			if (ops_random_token(tok, TOKEN_CHARS) != 0)
				goto fail;
			bytebuf_printf(&out, "%s = %s\n", token_keys[i], tok);
			(*added)++;
		}
	}
	explicit_bzero(tok, sizeof(tok));
	return bytebuf_detach(&out, NULL);
fail:
	bytebuf_wipe(&out);
	return NULL;
}

static int
write_atomic(const char *path, const char *text, const struct stat *sb)
{
	char *tmp = xasprintf("%s.new", path);
	size_t len = strlen(text);
	int fd, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    sb ? (sb->st_mode & 07777) : 0640);
	if (fd < 0)
		goto out;
	if (sb != NULL && (fchown(fd, sb->st_uid, sb->st_gid) != 0 ||
	    fchmod(fd, sb->st_mode & 07777) != 0))
		goto out_close;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
		goto out_close;
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	rc = rename(tmp, path);
out_close:
	if (fd >= 0)
		close(fd);
out:
	if (rc != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}

int
role_setup(int argc, char **argv)
{
	const char *path = CONFIG_DEFAULT_PATH;
	struct config *cfg;
	struct kerr err;
	struct stat sb;
	char *text, *filled, *url;
	bool quiet = false, existed;
	int i, added = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else {
			fprintf(stderr, "usage: kiosk setup [--config FILE] "
			    "[--quiet]\n");
			return 2;
		}
	}
	text = slurp(path, &sb);
	existed = text != NULL;
	if (text == NULL && errno != ENOENT) {
		fprintf(stderr, "kiosk: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* refuse to touch a file that does not load: fix it first */
	if (existed && config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		xfree_wipe_str(text);
		return 1;
	}
	if (existed)
		config_free(cfg);
	filled = fill_tokens(text ? text : "", &added);
	xfree_wipe_str(text);
	if (filled == NULL) {
		fprintf(stderr, "kiosk: no random numbers from the system\n");
		return 1;
	}
	if (added > 0 && write_atomic(path, filled, existed ? &sb : NULL) != 0) {
		fprintf(stderr, "kiosk: cannot write %s: %s\n", path,
		    strerror(errno));
		xfree_wipe_str(filled);
		return 1;
	}
	xfree_wipe_str(filled);
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	if (added > 0)
		klog("info", "setup", "%s: %d role token(s) generated", path,
		    added);
	if (!quiet) {
		url = xasprintf("%s/staff", config_str(cfg, "server.public_url"));
		printf("%s: ok (%s)\n", path, added ? "tokens generated" :
		    "tokens already set");
		printf("\nStaff console: %s\n", url);
		printf("Sign in with the staff token: sudo grep token_staff %s\n\n",
		    path);
		if (ops_print_qr(stdout, url) != 0)
			printf("(no QR code: the URL is not plain ASCII)\n");
		if (strstr(config_str(cfg, "server.public_url"), "127.0.0.1"))
			printf("\nserver.public_url is a loopback address: set it "
			    "and server.listen to this PC's address so that "
			    "counter PCs and phones can reach it.\n");
		free(url);
	}
	config_free(cfg);
	return 0;
}
