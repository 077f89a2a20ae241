/*
 * backup_cli.c - `kiosk backup` and `kiosk restore`: the operator's side of
 * kiosk/queue/store_backup.c.
 *
 *   kiosk backup [--config FILE] [--out FILE]
 *       --out: one backup to FILE.  Without it (the daily timer): a new
 *       generation backup.dir/kiosk-YYYYMMDD-HHMMSS.db, then the oldest
 *       generations beyond backup.keep are deleted.
 *   kiosk restore [--config FILE] [--db FILE] [--force] BACKUP
 *       checks BACKUP (integrity, schema version) and copies it to
 *       server.db (or --db).  An existing database is replaced only with
 *       --force, and never while a server answers on the configured port.
 *
 * Exit status: 0 done, 1 failed (the message says why), 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ops.h"
#include "qclient.h"
#include "roles.h"
#include "store.h"
#include "xmalloc.h"

static int
mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0750) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0750) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is this one of our generation names, kiosk-YYYYMMDD-HHMMSS.db? */
static bool
generation_name(const char *n)
{
	size_t i;

	if (strlen(n) != 24 || strncmp(n, "kiosk-", 6) != 0 ||
	    strcmp(n + 21, ".db") != 0 || n[14] != '-')
		return false;
	for (i = 6; i < 21; i++)
		if (i != 14 && (n[i] < '0' || n[i] > '9'))
			return false;
	return true;
}

/* Delete the oldest generations so that keep remain. */
static int
prune(const char *dir, long keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!generation_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if ((long)(n - i) > keep) {
			char *p = xasprintf("%s/%s", dir, names[i]);
			if (unlink(p) != 0)
				rc = -1;
			else
				klog("info", "backup", "deleted old generation %s",
				    p);
			free(p);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
role_backup(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	struct config *cfg;
	struct kerr err;
	char *gen = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: kiosk backup [--config FILE] "
			    "[--out FILE]\n");
			return 2;
		}
	}
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	if (out == NULL) {
		const char *dir = config_str(cfg, "backup.dir");
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		if (mkdir_p(dir) != 0) {
			fprintf(stderr, "kiosk: backup.dir %s: %s\n", dir,
			    strerror(errno));
			config_free(cfg);
			return 1;
		}
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		gen = xasprintf("%s/kiosk-%s.db", dir, stamp);
		out = gen;
	}
	rc = store_backup(config_str(cfg, "server.db"), out, &err);
	if (rc != K_OK) {
		fprintf(stderr, "kiosk: backup failed: %s\n", err.msg);
	} else {
		int64_t bytes = store_file_bytes(out);
		klog("info", "backup", "%s: %lld bytes, without personal data",
		    out, (long long)bytes);
		if (gen != NULL && prune(config_str(cfg, "backup.dir"),
		    config_int(cfg, "backup.keep")) != 0) {
			fprintf(stderr, "kiosk: backup written, but old "
			    "generations in %s could not all be deleted\n",
			    config_str(cfg, "backup.dir"));
			rc = K_EIO;
		}
	}
	free(gen);
	config_free(cfg);
	return rc == K_OK ? 0 : 1;
}

int
role_restore(int argc, char **argv)
{
	const char *path = NULL, *db = NULL, *file = NULL;
	struct config *cfg;
	struct kerr err;
	bool force = false, bad = false;
	int i, rc, version = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--force") == 0)
			force = true;
		else if (argv[i][0] != '-' && file == NULL)
			file = argv[i];
		else
			bad = true;
	}
	if (file == NULL || bad) {
		fprintf(stderr, "usage: kiosk restore [--config FILE] [--db FILE] "
		    "[--force] BACKUP\n");
		return 2;
	}
	if (config_load(&cfg, path, &err) != K_OK) {
		fprintf(stderr, "kiosk: %s\n", err.msg);
		return 1;
	}
	rc = store_check_file(file, &version, &err);
	if (rc != K_OK) {
		fprintf(stderr, "kiosk: will not restore: %s\n", err.msg);
		goto out;
	}
	/* onto the server's own database: never under a running server */
	if (db == NULL && ops_server_answers(cfg)) {
		fprintf(stderr, "kiosk: a queue server answers on port %ld: "
		    "stop it first (systemctl stop kiosk-server)\n",
		    config_int(cfg, "server.port"));
		rc = K_EBUSY;
		goto out;
	}
	if (db == NULL)
		db = config_str(cfg, "server.db");
	if (access(db, F_OK) == 0 && !force) {
		fprintf(stderr, "kiosk: %s exists: stop the server "
		    "(systemctl stop kiosk-server) and add --force to replace "
		    "it\n", db);
		rc = K_EBUSY;
		goto out;
	}
	{
		/* onto a new PC: the folder may not exist yet */
		char *dir = xstrdup(db), *slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			if (mkdir_p(dir) != 0)
				fprintf(stderr, "kiosk: cannot create %s: %s\n",
				    dir, strerror(errno));
		}
		free(dir);
	}
	rc = store_restore(file, db, &err);
	if (rc != K_OK)
		fprintf(stderr, "kiosk: restore failed: %s\n", err.msg);
	else
		klog("info", "backup", "restored %s (schema version %d) to %s",
		    file, version, db);
out:
	config_free(cfg);
	return rc == K_OK ? 0 : 1;
}
