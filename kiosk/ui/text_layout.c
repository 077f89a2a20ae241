/*
 * text_layout.c - a string laid out into a block for the screen: elements
 * and atoms (break opportunities from linebreak.h), greedy lines with the
 * phrase rule of やさしい日本語, ruby above its base, runs placed as pieces.
 * Measuring with SDL_ttf; the pixels are made in text.c.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "text_int.h"
#include "xmalloc.h"

/* ---- line breaking ---- */

/*
 * The text as elements: one per code point of plain text, one per ruby
 * group.  Atoms are runs of elements with no break opportunity inside.
 */
struct elem {
	const char *s;
	size_t len;
	const char *ruby;    /* NULL: plain */
	size_t rlen;
	uint32_t first, last;
};

struct atom {
	size_t first, count; /* elements */
	size_t trail;        /* trailing space elements */
	bool newline;        /* forced break after */
	int w, trail_w;
};

struct elems {
	struct elem *e;
	size_t ne, cape;
	struct atom *a;
	size_t na, capa;
};

static void
elem_add(struct elems *x, const char *s, size_t len, const char *ruby,
    size_t rlen, uint32_t first, uint32_t last)
{
	if (x->ne == x->cape) {
		x->cape = x->cape ? x->cape * 2 : 64;
		x->e = xrealloc(x->e, x->cape * sizeof(*x->e));
	}
	x->e[x->ne++] = (struct elem){ s, len, ruby, rlen, first, last };
}

static struct atom *
atom_add(struct elems *x, size_t first)
{
	if (x->na == x->capa) {
		x->capa = x->capa ? x->capa * 2 : 32;
		x->a = xrealloc(x->a, x->capa * sizeof(*x->a));
	}
	memset(&x->a[x->na], 0, sizeof(x->a[0]));
	x->a[x->na].first = first;
	return &x->a[x->na++];
}

/*
 * Atoms end where linebreak.h allows a break (the rules the ticket uses
 * too); "\n" forces one.
 */
static void
make_atoms(const struct ruby_seg *segs, size_t nseg, struct elems *x)
{
	struct atom *cur = NULL;
	size_t i;

	for (i = 0; i < nseg; i++) {
		const struct ruby_seg *sg = &segs[i];
		const char *p = sg->base, *end = sg->base + sg->base_len;

		if (sg->ruby != NULL) {
			uint32_t first = utf8_next(&p, end), last = first;
			while (p < end)
				last = utf8_next(&p, end);
			elem_add(x, sg->base, sg->base_len, sg->ruby,
			    sg->ruby_len, first, last);
			continue;
		}
		while (p < end) {
			const char *at = p;
			uint32_t cp = utf8_next(&p, end);
			elem_add(x, at, (size_t)(p - at), NULL, 0, cp, cp);
		}
	}
	for (i = 0; i < x->ne; i++) {
		const struct elem *e = &x->e[i];
		bool brk = true;

		if (cur != NULL && !cur->newline) {
			uint32_t prev = x->e[i - 1].last, cp = e->first;

			brk = lb_break_between(prev, cp);
		}
		if (brk)
			cur = atom_add(x, i);
		cur->count++;
		if (e->ruby == NULL && e->first == '\n')
			cur->newline = true;
		else if (e->ruby == NULL && lb_is_space(e->first))
			cur->trail++;
		else
			cur->trail = 0;
	}
}

/* ---- measuring and placing runs ---- */

static int
run_width(struct text *t, const struct text_run *r, const char *s, int px,
    bool bold)
{
	int e = font_manifest_entry(&t->m, r->family, bold);
	TTF_Font *f = text_font_at(t, e, text_scaled_px(t, e, px), r->script);
	char buf[1024], *tmp = NULL;
	const char *str = buf;
	int w = 0, h = 0;

	if (r->len < sizeof(buf)) {
		memcpy(buf, s + r->start, r->len);
		buf[r->len] = '\0';
	} else {
		tmp = xstrndup(s + r->start, r->len);
		str = tmp;
	}
	if (f == NULL || TTF_SizeUTF8(f, str, &w, &h) != 0)
		w = 0;
	free(tmp);
	return w;
}

/* Width of s[0..len) laid out as runs; missing glyphs added to info. */
static int
span_width(struct text *t, const char *s, size_t len, int primary, int px,
    bool bold, struct text_info *info)
{
	struct provides_arg a = { t, bold };
	struct text_run runs[MAX_RUNS];
	size_t n, i;
	int w = 0, missing = 0;
	uint32_t first = 0;

	n = text_split_runs(s, len, primary, t->m.nfamilies, text_provides, &a,
	    runs, MAX_RUNS, &missing, &first);
	for (i = 0; i < n; i++)
		w += run_width(t, &runs[i], s, px, bold);
	if (info != NULL && missing > 0) {
		if (info->missing == 0)
			info->first_missing = first;
		info->missing += missing;
	}
	return w;
}

struct strbuf {
	char *s;
	size_t len, cap;
};

static size_t
sb_add(struct strbuf *sb, const char *s, size_t n)
{
	size_t at = sb->len;

	if (sb->len + n + 1 > sb->cap) {
		/* not realloc(): the old buffer may hold a name; it is
		 * wiped before it goes back (DESIGN.md §5) */
		char *ns = xmalloc((sb->len + n + 1) * 2);
		if (sb->s != NULL) {
			memcpy(ns, sb->s, sb->len + 1);
			xfree_wipe(sb->s, sb->cap);
		}
		sb->s = ns;
		sb->cap = (sb->len + n + 1) * 2;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return at;
}

static struct piece *
piece_new(struct block *b)
{
	if (b->np == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->p = xrealloc(b->p, b->cap * sizeof(*b->p));
	}
	memset(&b->p[b->np], 0, sizeof(b->p[0]));
	return &b->p[b->np++];
}

/* Baseline offset in a band of height band for a base em of px. */
static int
baseline_in(struct text *t, int primary, bool bold, int px, int band)
{
	int e = font_manifest_entry(&t->m, primary, bold);
	TTF_Font *f = text_font_at(t, e, text_scaled_px(t, e, px), NULL);
	int asc, desc;

	if (f == NULL)
		return band * 4 / 5;
	asc = TTF_FontAscent(f);
	desc = -TTF_FontDescent(f);
	return (band - (asc + desc)) / 2 + asc;
}

/* Place s[0..len) as runs starting at x on the given baseline. */
static int
place_span(struct text *t, struct block *b, struct strbuf *sb, const char *s,
    size_t len, int primary, int px, bool bold, int x, int baseline)
{
	struct provides_arg a = { t, bold };
	struct text_run runs[MAX_RUNS];
	size_t n, i;

	n = text_split_runs(s, len, primary, t->m.nfamilies, text_provides, &a,
	    runs, MAX_RUNS, NULL, NULL);
	for (i = 0; i < n; i++) {
		int e = font_manifest_entry(&t->m, runs[i].family, bold);
		int spx = text_scaled_px(t, e, px);
		TTF_Font *f = text_font_at(t, e, spx, runs[i].script);
		struct piece *pc = piece_new(b);

		pc->entry = e;
		pc->px = spx;
		memcpy(pc->script, runs[i].script, 5);
		pc->start = sb_add(sb, s + runs[i].start, runs[i].len);
		pc->len = runs[i].len;
		pc->x = x;
		pc->y = baseline - (f != NULL ? TTF_FontAscent(f) : spx);
		x += run_width(t, &runs[i], s, px, bold);
	}
	return x;
}

struct line {
	size_t first, count;   /* atoms */
	int w;
	bool ruby;
	size_t p0, p1;         /* its pieces */
};

/* R3.3: at least half the base and at least ruby_min (16 px; 20 px in
 * large-text mode) */
static int
ruby_px_of(int px, int ruby_min)
{
	int r = px / 2, min = ruby_min > 0 ? ruby_min : 16;

	return r < min ? min : r;
}

static bool
is_newline(const struct elem *e)
{
	return e->ruby == NULL && (e->first == '\n' || e->first == '\r');
}

static bool
plain_at(const struct elems *x, size_t i)
{
	return x->e[i].ruby == NULL && !is_newline(&x->e[i]);
}

/*
 * Walk elements [first, first+count): contiguous plain elements form one
 * span, each ruby group stands alone.  With b == NULL only measure; else
 * place pieces from x on the baselines.  Returns the width.
 */
static int
walk(struct text *t, struct block *b, struct strbuf *sb,
    const struct elems *x, size_t first, size_t count, int primary,
    int px, int rpx, bool bold, int x0, int base, int rbase,
    struct text_info *info)
{
	int w = 0;
	size_t i = first, end = first + count;

	while (i < end) {
		const struct elem *e = &x->e[i];

		if (is_newline(e)) {
			i++;
			continue;
		}
		if (e->ruby != NULL) {
			int bw = span_width(t, e->s, e->len, primary, px, bold,
			    info);
			int rw = span_width(t, e->ruby, e->rlen, primary, rpx,
			    false, info);
			int gw, oh_l = 0, oh_r = 0;
			/* a reading wider than its base may overhang a plain
			 * neighbour by half a ruby character (JIS X 4051)
			 * instead of spreading the base text, unless another
			 * reading already reaches over that neighbour */
			if (rw > bw && i > first && plain_at(x, i - 1) &&
			    (i - 1 == first || x->e[i - 2].ruby == NULL))
				oh_l = rpx / 2;
			if (rw > bw && i + 1 < end && plain_at(x, i + 1) &&
			    (i + 2 >= end || x->e[i + 2].ruby == NULL))
				oh_r = rpx / 2;
			gw = rw - oh_l - oh_r;
			if (gw < bw)
				gw = bw;
			if (b != NULL) {
				place_span(t, b, sb, e->s, e->len, primary, px,
				    bold, x0 + w + (gw - bw) / 2, base);
				place_span(t, b, sb, e->ruby, e->rlen, primary,
				    rpx, false, x0 + w - oh_l + (gw + oh_l + oh_r -
				    rw) / 2, rbase);
			}
			w += gw;
			i++;
			continue;
		}
		const char *s = e->s;
		size_t len = 0;
		while (i < end && x->e[i].ruby == NULL && !is_newline(&x->e[i]) &&
		    x->e[i].s == s + len) {
			len += x->e[i].len;
			i++;
		}
		if (b != NULL)
			w = place_span(t, b, sb, s, len, primary, px, bold,
			    x0 + w, base) - x0;
		else
			w += span_width(t, s, len, primary, px, bold, info);
	}
	return w;
}

/*
 * Lay out utf8 into a block: atoms, greedy lines, then pieces.  Only
 * measuring and placing here; pixels are made by render_block.
 */
struct block *
text_layout(struct text *t, const char *utf8, const struct text_params *prm)
{
	struct ruby_seg segs[256];
	struct elems x = { 0 };
	struct line *lines = NULL;
	size_t nseg, nlines = 0, cap = 0, i, j;
	struct block *b = xcalloc(1, sizeof(*b));
	struct strbuf sb = { 0 }, lines_sb = { 0 };
	int primary = font_manifest_family(&t->m, prm->lang);
	int px = prm->px, rpx = ruby_px_of(prm->px, prm->ruby_min);
	int line_h = prm->line_px > 0 ? prm->line_px : px;
	/* the base line box has leading above the glyphs: a ruby band of
	 * the ruby em plus an eighth sits close to its base */
	int ruby_h = rpx + (rpx + 7) / 8;
	int y, maxw = 0;

	if (ruby_parse(utf8, segs, ARRAY_SIZE(segs), &nseg, NULL) != K_OK) {
		segs[0].base = utf8;
		segs[0].base_len = strlen(utf8);
		segs[0].ruby = NULL;
		nseg = 1;
		b->info.ruby_error = true;
	}
	make_atoms(segs, nseg, &x);
	for (i = 0; i < x.na; i++) {
		struct atom *a = &x.a[i];
		a->w = walk(t, NULL, NULL, &x, a->first, a->count, primary, px,
		    rpx, prm->bold, 0, 0, 0, &b->info);
		a->trail_w = a->trail == 0 ? 0 : walk(t, NULL, NULL, &x,
		    a->first + a->count - a->trail, a->trail, primary, px,
		    rpx, prm->bold, 0, 0, 0, NULL);
	}

	/*
	 * Greedy lines by atom widths, then each line placed as it will be
	 * drawn (spans merged across atoms shape and kern a little
	 * differently from atoms alone): if the placed line is wider than
	 * the wrap width, its last atom goes to the next line.  Trailing
	 * spaces do not count at a line end.  Lines are aligned at the end,
	 * when the block's width is known.
	 */
	y = 0;
	for (i = 0; i < x.na || nlines == 0;) {
		struct line ln = { i, 0, 0, false, 0, 0 };
		int w = 0, top = y;

		for (j = i; j < x.na; j++) {
			struct atom *a = &x.a[j];
			if (prm->wrap_w > 0 && ln.count > 0 &&
			    w + a->w - a->trail_w > prm->wrap_w)
				break;
			w += a->w;
			ln.count++;
			if (a->newline) {
				j++;
				break;
			}
		}
		/*
		 * A line broken inside CJK text ends at its last space instead
		 * (phrases of やさしい日本語 are separated by spaces; a writer
		 * may mark a break with U+200B), unless that leaves the line
		 * less than 60 % full.
		 */
		if (prm->wrap_w > 0 && j < x.na && ln.count > 1 &&
		    x.a[ln.first + ln.count - 1].trail == 0 &&
		    !x.a[ln.first + ln.count - 1].newline) {
			int wk = 0;
			size_t best = 0;
			for (size_t k = ln.first; k + 1 < ln.first + ln.count;
			    k++) {
				wk += x.a[k].w;
				if (x.a[k].trail > 0 &&
				    wk - x.a[k].trail_w >= prm->wrap_w * 3 / 5)
					best = k - ln.first + 1;
			}
			if (best > 0) {
				ln.count = best;
				j = ln.first + ln.count;
			}
		}
		ln.p0 = b->np;
		for (;;) {
			size_t e0, e1;
			int base, rbase;

			ln.ruby = false;
			for (size_t k = ln.first; k < ln.first + ln.count; k++)
				for (size_t m = x.a[k].first; m < x.a[k].first +
				    x.a[k].count; m++)
					if (x.e[m].ruby != NULL)
						ln.ruby = true;
			top = y + (ln.ruby ? ruby_h : 0);
			b->np = ln.p0;
			ln.w = 0;
			if (ln.count == 0)
				break;
			base = top + baseline_in(t, primary, prm->bold, px, line_h);
			rbase = y + baseline_in(t, primary, false, rpx, ruby_h);
			e0 = x.a[ln.first].first;
			e1 = x.a[ln.first + ln.count - 1].first +
			    x.a[ln.first + ln.count - 1].count -
			    x.a[ln.first + ln.count - 1].trail;
			ln.w = walk(t, b, &sb, &x, e0, e1 - e0, primary, px,
			    rpx, prm->bold, 0, base, rbase, NULL);
			if (prm->wrap_w == 0 || ln.w <= prm->wrap_w ||
			    ln.count == 1)
				break;
			ln.count--;
			j = ln.first + ln.count;
		}
		ln.p1 = b->np;
		if (prm->wrap_w > 0 && ln.w > prm->wrap_w)
			b->info.too_wide = true;
		if (nlines > 0)
			sb_add(&lines_sb, "\n", 1);
		if (ln.count > 0) {
			struct atom *la = &x.a[ln.first + ln.count - 1];
			for (size_t k = x.a[ln.first].first; k < la->first +
			    la->count - la->trail; k++)
				if (!is_newline(&x.e[k]))
					sb_add(&lines_sb, x.e[k].s, x.e[k].len);
		}
		if (nlines == cap) {
			cap = cap ? cap * 2 : 8;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		lines[nlines++] = ln;
		if (ln.w > maxw)
			maxw = ln.w;
		y = top + line_h;
		i = j;
	}
	for (i = 0; i < nlines; i++) {
		struct line *ln = &lines[i];
		int dx = (prm->align & UI_ALIGN_CENTER) ? (maxw - ln->w) / 2 :
		    (prm->align & UI_ALIGN_RIGHT) ? maxw - ln->w : 0;

		for (j = ln->p0; dx != 0 && j < ln->p1; j++)
			b->p[j].x += dx;
	}

	b->str = sb.s != NULL ? sb.s : xstrdup("");
	b->lines = lines_sb.s != NULL ? lines_sb.s : xstrdup("");
	b->info.w = maxw;
	b->info.h = y;
	b->info.lines = (int)nlines;
	free(lines);
	free(x.e);
	free(x.a);
	return b;
}

