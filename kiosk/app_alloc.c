/*
 * app_alloc.c - SDL's large buffers on huge pages.
 *
 * The framebuffer of a 1920x1080 window is 8 MB: as ordinary pages that is
 * two thousand page faults at start, a good part of the time to the first
 * frame.  SDL's allocations of 2 MB and more are mapped here and backed by
 * huge pages where the kernel allows it; the rest go to malloc.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "app_int.h"

#define BIG_ALLOC (2u << 20)
#define BIG_MAX 32

static struct {
	void *p;
	size_t size;
} big[BIG_MAX];
static atomic_int nbig;
static pthread_mutex_t big_mu = PTHREAD_MUTEX_INITIALIZER;

static void *
big_alloc(size_t size)
{
	void *p;
	int i;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_HUGEPAGE);
	pthread_mutex_lock(&big_mu);
	for (i = 0; i < BIG_MAX && big[i].p != NULL; i++)
		;
	if (i == BIG_MAX) {
		pthread_mutex_unlock(&big_mu);
		munmap(p, size);
		return NULL;
	}
	big[i].p = p;
	big[i].size = size;
	atomic_fetch_add(&nbig, 1);
	pthread_mutex_unlock(&big_mu);
	return p;
}

/* The size of p if it is a big block (and forget it when `drop`), else 0. */
static size_t
big_find(void *p, bool drop)
{
	size_t size = 0;
	int i;

	if (p == NULL || atomic_load(&nbig) == 0)
		return 0;
	pthread_mutex_lock(&big_mu);
	for (i = 0; i < BIG_MAX; i++)
		if (big[i].p == p) {
			size = big[i].size;
			if (drop) {
				big[i].p = NULL;
				atomic_fetch_sub(&nbig, 1);
			}
			break;
		}
	pthread_mutex_unlock(&big_mu);
	return size;
}

static void *
sdl_malloc(size_t size)
{
	void *p = size >= BIG_ALLOC ? big_alloc(size) : NULL;

	return p != NULL ? p : malloc(size);
}

static void *
sdl_calloc(size_t n, size_t size)
{
	void *p = NULL;

	/* fresh anonymous pages are zero already */
	if (size != 0 && n >= BIG_ALLOC / size && n <= SIZE_MAX / size)
		p = big_alloc(n * size);
	return p != NULL ? p : calloc(n, size);
}

static void
sdl_free(void *p)
{
	size_t size = big_find(p, true);

	if (size > 0)
		munmap(p, size);
	else
		free(p);
}

static void *
sdl_realloc(void *p, size_t size)
{
	size_t old = big_find(p, false);
	void *n;

	if (old == 0 && size < BIG_ALLOC)
		return realloc(p, size);
	if (old == 0 && p != NULL)
		old = malloc_usable_size(p);
	n = sdl_malloc(size);
	if (n == NULL)
		return NULL;
	if (p != NULL) {
		memcpy(n, p, old < size ? old : size);
		sdl_free(p);
	}
	return n;
}

void
app_install_allocator(void)
{
	static bool done;

	if (done || SDL_WasInit(0) != 0)
		return;
	done = true;
	SDL_SetMemoryFunctions(sdl_malloc, sdl_calloc, sdl_realloc, sdl_free);
}
