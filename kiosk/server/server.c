/*
 * server.c - the queue server put together from the config: store, catalog,
 * API and HTTP.  Refuses to listen beyond loopback without all three role
 * tokens.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "http_int.h"
#include "print.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

struct server {
	struct store *store;
	struct catalog *catalog;
	struct api *api;
	struct http *http;
	pthread_t house;
	bool house_running;
	bool stopping;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int lock_fd;                  /* DB.lock, held while serving */
	int64_t silent_ms;            /* server.kiosk_silent_s */
	/* server.counter_printers: reprints at a counter */
	struct { int counter; char *uri; } printers[32];
	int nprinters;
	struct print_opts popts;      /* printer.width_dots, timeout, native_qr */
};

/* "3=tcp:10.0.0.23:9100;4=file:/var/spool/counter4" */
static int
parse_printers(struct server *srv, const char *spec, const char *source,
    struct kerr *err)
{
	const char *p = spec;

	while (*p) {
		const char *end = strchr(p, ';'), *eq;
		char *e, *uri;
		long n;

		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		n = strtol(p, &e, 10);
		if (eq == NULL || e != eq || n < 1 || n > 999 || eq + 1 == end)
			return kerr_set(err, K_EPARSE, "%s: server.counter_printers: "
			    "'%.*s' is not COUNTER=URI (3=tcp:10.0.0.23:9100)",
			    source, (int)(end - p > 60 ? 60 : end - p), p);
		if (srv->nprinters == (int)ARRAY_SIZE(srv->printers))
			return kerr_set(err, K_EPARSE, "%s: server.counter_printers: "
			    "more than %zu printers", source,
			    ARRAY_SIZE(srv->printers));
		uri = xstrndup(eq + 1, (size_t)(end - eq - 1));
		if (strncmp(uri, "file:", 5) && strncmp(uri, "tcp:", 4) &&
		    strncmp(uri, "usb:", 4) && strncmp(uri, "cups:", 5)) {
			kerr_set(err, K_EPARSE, "%s: server.counter_printers: "
			    "counter %ld: '%s' must be file:, tcp:, usb: or cups:",
			    source, n, uri);
			free(uri);
			return K_EPARSE;
		}
		srv->printers[srv->nprinters].counter = (int)n;
		srv->printers[srv->nprinters++].uri = uri;
		p = *end ? end + 1 : end;
	}
	return K_OK;
}

/* api_opts.counter_print: on the HTTP worker; the print module serialises
 * jobs and times out by printer.timeout_ms. */
static int
counter_print(void *arg, int counter, const struct ticket_info *t,
    char *reason, size_t n)
{
	struct server *srv = arg;
	struct print_opts o = srv->popts;
	struct print_result res;
	struct kerr err;
	int i, rc;

	for (i = 0; i < srv->nprinters; i++)
		if (srv->printers[i].counter == counter)
			break;
	if (i == srv->nprinters)
		return K_ENOTFOUND;
	o.uri = srv->printers[i].uri;
	rc = print_ticket(&o, t, &res, &err);
	if (rc != K_OK) {
		snprintf(reason, n, "%s", res.reason != PRINT_R_NONE ?
		    print_reason_name(res.reason) : "error");
		klog("warn", "server", "reprint of %s at counter %d: %s", t->number,
		    counter, res.detail[0] ? res.detail : err.msg);
		/* K_ENOTFOUND is "no printer at that counter" to the API; a
		 * missing font or message file is a failure to print */
		if (rc == K_ENOTFOUND)
			rc = K_EIO;
	}
	return rc;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Once a minute: yesterday's applications go even when nobody calls.  More
 * often (a tenth of server.kiosk_silent_s): kiosks gone silent raise an
 * alert. */
static void *
housekeeping_main(void *arg)
{
	struct server *srv = arg;
	struct timespec ts;
	struct kerr err;
	int64_t last_purge = 0, now;
	int every = (int)(srv->silent_ms / 10000);

	if (every < 1)
		every = 1;
	if (every > 60)
		every = 60;
	pthread_mutex_lock(&srv->mu);
	while (!srv->stopping) {
		pthread_mutex_unlock(&srv->mu);
		now = wall_ms();
		if (now - last_purge >= 60000 || now < last_purge) {
			if (store_purge_personal(srv->store, now, &err) != K_OK)
				klog("warn", "server", "purge: %s", err.msg);
			api_appt_sweep(srv->api, now);
			last_purge = now;
		}
		api_check_kiosks(srv->api, srv->silent_ms, now);
		pthread_mutex_lock(&srv->mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += every;
		while (!srv->stopping && pthread_cond_timedwait(&srv->cond,
		    &srv->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&srv->mu);
	return NULL;
}

/* Create the folder a file is to live in (one level), if missing. */
static int
make_parent(const char *path, struct kerr *err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = K_OK;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			rc = kerr_set(err, K_EIO, "cannot create %s: %s", dir,
			    strerror(errno));
	}
	free(dir);
	return rc;
}

/*
 * One server per database: two would both purge, number and notify, and
 * split the event streams.  An exclusive flock() on DB.lock (beside the
 * database, never deleted) is held while the server runs; the kernel
 * drops it when the process ends, however it ends.
 */
static int
lock_db(struct server *srv, const char *db, struct kerr *err)
{
	char *path = xasprintf("%s.lock", db), pid[32] = "";
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		kerr_set(err, K_EIO, "cannot open the lock file %s: %s", path,
		    strerror(errno));
		free(path);
		return err->code;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? strcspn(pid, "\n") : 0] = '\0';
		close(fd);
		if (e == EWOULDBLOCK)
			kerr_set(err, K_EBUSY, "the database %s is in use by another "
			    "queue server (process %s, lock %s): stop it first, or "
			    "give this one its own server.db", db, pid[0] ? pid :
			    "?", path);
		else
			kerr_set(err, K_EIO, "cannot lock %s: %s", path,
			    strerror(e));
		free(path);
		return err->code;
	}
	/* the database holds applications: no access for other users, for
	 * the files SQLite creates from now on (-wal, -shm) and for those a
	 * looser umask made before */
	umask(umask(0) | 007);
	{
		static const char *const ext[] = { "", "-wal", "-shm" };
		struct stat st;
		size_t i;

		for (i = 0; i < ARRAY_SIZE(ext); i++) {
			char *f = xasprintf("%s%s", db, ext[i]);
			if (stat(f, &st) == 0 && (st.st_mode & 007) &&
			    chmod(f, st.st_mode & 0770) != 0)
				klog("warn", "server", "%s is readable by other "
				    "users and cannot be changed: %s", f,
				    strerror(errno));
			free(f);
		}
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		klog("warn", "server", "%s: cannot write the process id", path);
	free(path);
	srv->lock_fd = fd;
	return K_OK;
}

/* The database holds applications (personal data) until they are purged:
 * owner-only, whatever the umask of whoever started the server. */
static void
private_files(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suffix); i++) {
		char *p = xasprintf("%s%s", db, suffix[i]);
		if (chmod(p, 0600) != 0 && errno != ENOENT)
			klog("warn", "server", "%s: cannot make it owner-only: %s",
			    p, strerror(errno));
		free(p);
	}
}

int
server_start(const struct config *cfg, struct server **out, struct kerr *err)
{
	const char *listen = config_str(cfg, "server.listen");
	const char *tk = config_str(cfg, "server.token_kiosk");
	const char *ts = config_str(cfg, "server.token_staff");
	const char *td = config_str(cfg, "server.token_display");
	const char *db = config_str(cfg, "server.db");
	struct store_config sc;
	struct api_opts ao;
	struct http_opts ho;
	struct server *srv;
	char *path;
	int rc;

	*out = NULL;
	if (!http_is_loopback_name(listen) && (!tk[0] || !ts[0] || !td[0]))
		return kerr_set(err, K_EINVAL, "%s: server.listen = %s is not a "
		    "loopback address: set server.token_kiosk, token_staff and "
		    "token_display first (refusing to serve the network "
		    "without authentication)", config_source(cfg), listen);
	{
		/* the QR code on every ticket carries public_url: it must be
		 * a URL a phone can open, in the scheme this server speaks */
		const char *pu = config_str(cfg, "server.public_url");
		bool https = strncmp(pu, "https://", 8) == 0;
		if (!https && strncmp(pu, "http://", 7) != 0)
			return kerr_set(err, K_EINVAL, "%s: server.public_url = "
			    "'%.80s' must start with http:// or https://",
			    config_source(cfg), pu);
		if (config_str(cfg, "server.tls_cert")[0] && !https)
			return kerr_set(err, K_EINVAL, "%s: server.tls_cert is "
			    "set, so the server speaks HTTPS, but server.public_url "
			    "= %.80s: the phones' QR codes would point to plain "
			    "HTTP (make it https://...)", config_source(cfg), pu);
	}
	if ((tk[0] && strlen(tk) < 16) || (ts[0] && strlen(ts) < 16) ||
	    (td[0] && strlen(td) < 16))
		return kerr_set(err, K_EINVAL, "%s: server.token_kiosk, "
		    "token_staff and token_display must be at least 16 "
		    "characters", config_source(cfg));
	{
		/* name the file with a bad services line */
		struct store_service sv[STORE_MAX_SERVICES];
		struct kerr perr;
		size_t n;

		if (store_parse_services(config_str(cfg, "server.services"), sv,
		    STORE_MAX_SERVICES, &n, &perr) != K_OK)
			return kerr_set(err, K_EPARSE, "%s: %s",
			    config_source(cfg), perr.msg);
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->lock_fd = -1;
	pthread_mutex_init(&srv->mu, NULL);
	pthread_cond_init(&srv->cond, NULL);
	memset(&sc, 0, sizeof(sc));
	sc.services = config_str(cfg, "server.services");
	sc.noshow_after_recalls = (int)config_int(cfg,
	    "server.noshow_after_recalls");
	sc.estimate_samples = (int)config_int(cfg, "server.estimate_samples");
	sc.max_called_per_counter = (int)config_int(cfg,
	    "server.max_called_per_counter");
	sc.priority_run = (int)config_int(cfg, "server.priority_run");
	sc.appointment_before = (int)config_int(cfg,
	    "server.appointment_before");
	sc.appointment_after = (int)config_int(cfg, "server.appointment_after");
	sc.visit_place_step = strcmp(config_str(cfg, "server.visit_place"),
	    "step") == 0;
	if (strcmp(db, ":memory:") != 0 && ((rc = make_parent(db, err)) != K_OK ||
	    (rc = lock_db(srv, db, err)) != K_OK))
		goto fail;
	if ((rc = store_open(&srv->store, db, &sc, err)) != K_OK)
		goto fail;
	if (strcmp(db, ":memory:") != 0)
		private_files(db);
	path = xasprintf("%s/procedures.json", config_str(cfg, "kiosk.assets"));
	rc = catalog_load(&srv->catalog, path, err);
	free(path);
	if (rc != K_OK)
		goto fail;
	srv->http = http_new();
	memset(&ao, 0, sizeof(ao));
	ao.store = srv->store;
	ao.catalog = srv->catalog;
	ao.token_kiosk = tk;
	ao.token_staff = ts;
	ao.token_display = td;
	ao.public_url = config_str(cfg, "server.public_url");
	path = xasprintf("%s/web", config_str(cfg, "kiosk.assets"));
	ao.web_dir = path;
	ao.status_rate_per_min = (int)config_int(cfg,
	    "server.status_rate_per_min");
	ao.phone_near_ahead = (int)config_int(cfg, "server.phone_near_ahead");
	{
		const char *au = config_str(cfg, "server.away_until");
		int h, m;
		char end;

		if (sscanf(au, "%2d:%2d%c", &h, &m, &end) != 2 || h < 0 ||
		    h > 23 || m < 0 || m > 59 || strlen(au) != 5) {
			rc = kerr_set(err, K_EINVAL, "server.away_until = %.20s:"
			    " want a time of day as HH:MM (16:30)", au);
			free(path);
			goto fail;
		}
		ao.away_until_min = h * 60 + m;
	}
	ao.db_path = db;
	ao.evidence.estimate_samples = (int)config_int(cfg,
	    "server.estimate_samples");
	ao.evidence.naive_min = config_double(cfg,
	    "evidence.naive_min_per_person");
	ao.evidence.target_min = (int)config_int(cfg, "evidence.target_wait_min");
	ao.evidence.target_share = config_double(cfg, "evidence.target_share");
	ao.evidence.history_weeks = (int)config_int(cfg,
	    "evidence.history_weeks");
	ao.evidence.min_cell = (int)config_int(cfg, "evidence.min_cell");
	ao.site_name = config_str(cfg, "kiosk.site_name");
	ao.emit = http_emit;
	ao.emit_arg = srv->http;
	ao.max_called_per_counter = sc.max_called_per_counter;
	if ((rc = parse_printers(srv, config_str(cfg, "server.counter_printers"),
	    config_source(cfg), err)) != K_OK)
		goto fail;
	print_opts_from_config(cfg, &srv->popts);
	if (srv->nprinters > 0) {
		ao.counter_print = counter_print;
		ao.print_arg = srv;
	}
	rc = api_new(&srv->api, &ao, err);
	free(path);
	if (rc != K_OK)
		goto fail;
	memset(&ho, 0, sizeof(ho));
	ho.listen = listen;
	ho.port = (int)config_int(cfg, "server.port");
	ho.threads = (int)config_int(cfg, "server.threads");
	ho.max_body = (size_t)config_int(cfg, "server.max_body");
	ho.keepalive_s = (int)config_int(cfg, "server.keepalive_s");
	ho.hosts = config_str(cfg, "server.hosts");
	ho.public_url = config_str(cfg, "server.public_url");
	ho.max_conns = (int)config_int(cfg, "server.max_conns");
	ho.max_conns_per_addr = (int)config_int(cfg, "server.max_conns_per_addr");
	ho.idle_timeout_s = (int)config_int(cfg, "server.idle_timeout_s");
	ho.tls_cert = config_str(cfg, "server.tls_cert");
	ho.tls_key = config_str(cfg, "server.tls_key");
	if ((rc = http_listen(srv->http, srv->api, &ho, err)) != K_OK)
		goto fail;
	srv->silent_ms = config_int(cfg, "server.kiosk_silent_s") * 1000;
	if (pthread_create(&srv->house, NULL, housekeeping_main, srv) == 0)
		srv->house_running = true;
	*out = srv;
	return K_OK;
fail:
	server_stop(srv);
	return rc;
}

void
server_stop(struct server *srv)
{
	if (srv == NULL)
		return;
	if (srv->house_running) {
		pthread_mutex_lock(&srv->mu);
		srv->stopping = true;
		pthread_cond_broadcast(&srv->cond);
		pthread_mutex_unlock(&srv->mu);
		pthread_join(srv->house, NULL);
	}
	http_free(srv->http);
	api_free(srv->api);
	catalog_free(srv->catalog);
	store_close(srv->store);
	if (srv->lock_fd >= 0)
		close(srv->lock_fd);
	for (int i = 0; i < srv->nprinters; i++)
		free(srv->printers[i].uri);
	pthread_cond_destroy(&srv->cond);
	pthread_mutex_destroy(&srv->mu);
	free(srv);
}

bool
server_alive(struct server *srv)
{
	struct store_summary sum[STORE_MAX_SERVICES];
	struct kerr err;
	size_t n;

	if (store_queue(srv->store, wall_ms(), sum, STORE_MAX_SERVICES, &n,
	    &err) != K_OK) {
		klog("error", "server", "watchdog: the database does not "
		    "answer: %s", err.msg);
		return false;
	}
	return true;
}

int
server_port(const struct server *srv)
{
	return http_port(srv->http);
}
