/*
 * text_font.c - the font files and faces of the screen's text engine:
 * files read through a small buffer with pread(), faces opened on first
 * use, sizes and HarfBuzz scripts set, each file checked at start.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text_int.h"
#include "xmalloc.h"

/*
 * Font files are read through a small buffer with pread(): FreeType asks
 * for many small pieces, which stdio turned into a seek and a read system
 * call each; mapping the files instead kept megabytes of CJK font pages
 * resident.
 */
struct font_reader {
	int fd;
	Sint64 size, pos, boff;
	size_t blen;
	uint8_t buf[16384];
};

static Sint64
fr_size(SDL_RWops *rw)
{
	return ((struct font_reader *)rw->hidden.unknown.data1)->size;
}

static Sint64
fr_seek(SDL_RWops *rw, Sint64 off, int whence)
{
	struct font_reader *r = rw->hidden.unknown.data1;
	Sint64 to = whence == RW_SEEK_SET ? off : whence == RW_SEEK_CUR ?
	    r->pos + off : r->size + off;

	if (to < 0 || to > r->size)
		return SDL_SetError("seek outside the font file");
	r->pos = to;
	return to;
}

static size_t
fr_read(SDL_RWops *rw, void *ptr, size_t size, size_t num)
{
	struct font_reader *r = rw->hidden.unknown.data1;
	size_t want, done = 0;

	if (size == 0 || num == 0)
		return 0;
	want = size * num;
	while (done < want && r->pos < r->size) {
		if (r->pos >= r->boff && r->pos < r->boff + (Sint64)r->blen) {
			size_t at = (size_t)(r->pos - r->boff);
			size_t n = r->blen - at;
			if (n > want - done)
				n = want - done;
			memcpy((uint8_t *)ptr + done, r->buf + at, n);
			done += n;
			r->pos += (Sint64)n;
			continue;
		}
		if (want - done >= sizeof(r->buf)) {
			ssize_t n = pread(r->fd, (uint8_t *)ptr + done,
			    want - done, r->pos);
			if (n <= 0)
				break;
			done += (size_t)n;
			r->pos += n;
			continue;
		}
		ssize_t n = pread(r->fd, r->buf, sizeof(r->buf), r->pos);
		if (n <= 0)
			break;
		r->boff = r->pos;
		r->blen = (size_t)n;
	}
	return done / size;
}

static size_t
fr_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
	(void)rw; (void)ptr; (void)size; (void)num;
	SDL_SetError("font files are read-only");
	return 0;
}

static int
fr_close(SDL_RWops *rw)
{
	struct font_reader *r = rw->hidden.unknown.data1;

	close(r->fd);
	free(r);
	SDL_FreeRW(rw);
	return 0;
}

/* An SDL_RWops over path, or NULL with err set (no such file...). */
SDL_RWops *
text_font_file(const char *path, struct kerr *err)
{
	struct font_reader *r;
	struct stat sb;
	SDL_RWops *rw;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		kerr_set(err, K_ENOTFOUND, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0) {
		kerr_set(err, K_EIO, "%s: not a readable font file", path);
		close(fd);
		return NULL;
	}
	if ((rw = SDL_AllocRW()) == NULL) {
		kerr_set(err, K_EFAIL, "%s: %s", path, SDL_GetError());
		close(fd);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->size = sb.st_size;
	rw->size = fr_size;
	rw->seek = fr_seek;
	rw->read = fr_read;
	rw->write = fr_write;
	rw->close = fr_close;
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->hidden.unknown.data1 = r;
	return rw;
}

/*
 * The face of manifest entry `entry`, opened on first use: opening a face
 * parses its tables (tens of thousands of glyphs for the CJK faces), and a
 * screen rarely needs all ten.  The files were mapped and checked at start.
 */
TTF_Font *
text_face(struct text *t, int entry)
{
	struct text_font *f = &t->f[entry];
	const struct font_entry *e = &t->m.fonts[entry];
	SDL_RWops *rw;

	if (f->font != NULL || f->broken)
		return f->font;
	rw = text_font_file(e->path, NULL);
	f->px = text_scaled_px(t, entry, 32);
	f->font = rw == NULL ? NULL : TTF_OpenFontIndexRW(rw, 1, f->px, e->face);
	if (f->font == NULL) {
		klog("error", "ui", "font %s (%s, face %d) cannot be opened: %s; "
		    "its characters will show as missing", e->name, e->path,
		    e->face, TTF_GetError());
		f->broken = true;
		return NULL;
	}
	/* at kiosk sizes (16 px and up) outlines need no grid fitting, and
	 * the TrueType hinting interpreter was most of the cost of laying out
	 * a new screen */
	TTF_SetFontHinting(f->font, TTF_HINTING_NONE);
	f->script[0] = '\0';
	return f->font;
}

TTF_Font *
text_font_at(struct text *t, int entry, int px, const char *script)
{
	struct text_font *f = &t->f[entry];

	if (text_face(t, entry) == NULL)
		return NULL;
	if (f->px != px) {
		if (TTF_SetFontSize(f->font, px) == 0)
			f->px = px;
	}
	if (t->harfbuzz && script != NULL && strcmp(f->script, script) != 0) {
		if (TTF_SetFontScriptName(f->font, script) == 0)
			memcpy(f->script, script, 5);
	}
	return f->font;
}

int
text_scaled_px(const struct text *t, int entry, int px)
{
	return (int)lround(px * t->m.fonts[entry].scale);
}

bool
text_provides(int family, uint32_t cp, void *varg)
{
	struct provides_arg *a = varg;
	int e = font_manifest_entry(&a->t->m, family, a->bold);
	TTF_Font *f = e >= 0 ? text_face(a->t, e) : NULL;

	return f != NULL && TTF_GlyphIsProvided32(f, cp) != 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The file is there, is a font and has the face asked for (headers only:
 * the face itself is opened on first use). */
int
text_check_face(const struct font_entry *e, const char *manifest,
    struct kerr *err)
{
	uint8_t p[12];
	uint32_t tag;
	struct kerr ferr;
	SDL_RWops *rw = text_font_file(e->path, &ferr);
	size_t n;

	if (rw == NULL)
		return kerr_set(err, ferr.code, "font %s (face %d) from %s: %s",
		    e->name, e->face, manifest, ferr.msg);
	n = SDL_RWread(rw, p, 1, sizeof(p));
	SDL_RWclose(rw);
	if (n < sizeof(p))
		return kerr_set(err, K_EPARSE, "font %s from %s: %s is too "
		    "short to be a font", e->name, manifest, e->path);
	tag = be32(p);
	if (tag == 0x74746366) {   /* 'ttcf' */
		uint32_t faces = be32(p + 8);
		if ((uint32_t)e->face >= faces)
			return kerr_set(err, K_EPARSE, "font %s from %s: %s has "
			    "%u faces, face %d asked for", e->name, manifest,
			    e->path, (unsigned)faces, e->face);
		return K_OK;
	}
	if (tag != 0x00010000 && tag != 0x4f54544f && tag != 0x74727565)
		return kerr_set(err, K_EPARSE, "font %s from %s: %s is not a "
		    "TrueType or OpenType font", e->name, manifest, e->path);
	if (e->face != 0)
		return kerr_set(err, K_EPARSE, "font %s from %s: %s holds one "
		    "face, face %d asked for", e->name, manifest, e->path,
		    e->face);
	return K_OK;
}

