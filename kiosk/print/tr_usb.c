/*
 * tr_usb.c - "usb:/dev/usb/lp0": the kernel's usblp device.  Status reads
 * work when the printer binds bidirectionally; a one-way binding makes
 * read() fail with EINVAL and the status stays unknown (escpos.md §10).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "print.h"
#include "tr_fd.h"
#include "xmalloc.h"

struct usb_tr {
	struct print_tr tr;
	int fd;
	int timeout_ms;
	char *path;
};

static int
usb_open(struct print_tr **out, const char *rest, const struct print_opts *o,
    struct kerr *err)
{
	struct usb_tr *u;
	int fd;

	if (rest[0] != '/')
		return kerr_set(err, K_EINVAL,
		    "print: usb: needs a device path, e.g. usb:/dev/usb/lp0");
	fd = open(rest, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && (errno == EACCES || errno == EINVAL))
		fd = open(rest, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return kerr_set(err, errno == EBUSY ? K_EBUSY : K_ENODEV,
		    "print: cannot open printer %s: %s%s", rest,
		    strerror(errno), errno == EBUSY ?
		    " (another program holds it)" : "");
	u = xcalloc(1, sizeof(*u));
	u->fd = fd;
	u->timeout_ms = o->timeout_ms;
	u->path = xstrdup(rest);
	u->tr.priv = u;
	*out = &u->tr;
	return K_OK;
}

static int
usb_write(struct print_tr *t, const uint8_t *buf, size_t len,
    struct kerr *err)
{
	struct usb_tr *u = t->priv;

	return tr_fd_write(u->fd, false, buf, len, u->timeout_ms, u->path,
	    err);
}

static int
usb_read(struct print_tr *t, uint8_t *buf, size_t len, int timeout_ms,
    struct kerr *err)
{
	struct usb_tr *u = t->priv;
	int flags = fcntl(u->fd, F_GETFL);

	if ((flags & O_ACCMODE) == O_WRONLY)
		return kerr_set(err, K_EINVAL,
		    "print: %s is open write-only", u->path);
	return tr_fd_read(u->fd, false, buf, len, timeout_ms, u->path, err);
}

static void
usb_close(struct print_tr *t)
{
	struct usb_tr *u = t->priv;

	close(u->fd);
	free(u->path);
	free(u);
}

const struct print_ops print_usb_ops = {
	.scheme = "usb",
	.open = usb_open,
	.write = usb_write,
	.read = usb_read,
	.preview = NULL,
	.close = usb_close,
};
