/*
 * tr_file.c - "file:DIR": each ticket becomes DIR/NNN.bin (the ESC/POS
 * bytes) and DIR/NNN.png (what the layout drew).  The default printer, so
 * a kiosk without a printer still keeps every ticket it issued.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pngio.h"
#include "print.h"
#include "xmalloc.h"

struct file_tr {
	struct print_tr tr;
	char *dir;
	int fd;
	long number;
};

static int
mkdirs(const char *dir, struct kerr *err)
{
	char *p = xstrdup(dir), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				int e = errno;
				free(p);
				return kerr_set(err, K_ENODEV,
				    "print: cannot create ticket folder %s: %s",
				    dir, strerror(e));
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kerr_set(err, K_ENODEV,
		    "print: ticket folder %s is not a directory", dir);
	return K_OK;
}

static long
highest(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long max = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long n = strtol(e->d_name, &end, 10);
		if (end != e->d_name && strcmp(end, ".bin") == 0 && n > max)
			max = n;
	}
	closedir(d);
	return max;
}

static int
file_open(struct print_tr **out, const char *rest, const struct print_opts *o,
    struct kerr *err)
{
	struct file_tr *f;
	long n;
	int rc, tries;

	(void)o;
	if (rest[0] == '\0')
		return kerr_set(err, K_EINVAL,
		    "print: file: needs a folder, e.g. file:var/tickets");
	if ((rc = mkdirs(rest, err)) != K_OK)
		return rc;
	f = xcalloc(1, sizeof(*f));
	f->dir = xstrdup(rest);
	f->fd = -1;
	n = highest(rest) + 1;
	for (tries = 0; tries < 1000; tries++, n++) {
		char *path = xasprintf("%s/%03ld.bin", rest, n);
		f->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644);
		free(path);
		if (f->fd >= 0 || errno != EEXIST)
			break;
	}
	if (f->fd < 0) {
		rc = kerr_set(err, K_ENODEV,
		    "print: cannot create a ticket file in %s: %s", rest,
		    strerror(errno));
		free(f->dir);
		free(f);
		return rc;
	}
	f->number = n;
	f->tr.priv = f;
	*out = &f->tr;
	return K_OK;
}

static int
file_write(struct print_tr *t, const uint8_t *buf, size_t len,
    struct kerr *err)
{
	struct file_tr *f = t->priv;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(f->fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kerr_set(err, K_EIO,
			    "print: writing %s/%03ld.bin: %s", f->dir,
			    f->number, strerror(errno));
		done += (size_t)n;
	}
	return K_OK;
}

static int
file_preview(struct print_tr *t, const uint8_t *bits, int w, int h,
    int stride, struct kerr *err)
{
	struct file_tr *f = t->priv;
	char *path = xasprintf("%s/%03ld.png", f->dir, f->number);
	int rc = png_write_mono(path, bits, w, h, stride, err);

	free(path);
	return rc;
}

static void
file_close(struct print_tr *t)
{
	struct file_tr *f = t->priv;

	if (f->fd >= 0)
		close(f->fd);
	free(f->dir);
	free(f);
}

const struct print_ops print_file_ops = {
	.scheme = "file",
	.open = file_open,
	.write = file_write,
	.read = NULL,
	.preview = file_preview,
	.close = file_close,
};
