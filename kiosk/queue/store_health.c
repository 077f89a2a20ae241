/*
 * store_health.c - what the health report needs from the store: the
 * printers' state as the kiosks reported it today.
 */
#include <pthread.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"

int
store_printer_state(struct store *st, int64_t now_ms,
    struct store_printer_state *out, struct kerr *err)
{
	int64_t day0 = store_day_start_ms(now_ms);
	struct store_conn *c = st->readers[0];
	sqlite3_stmt *s;
	int rc = K_OK;

	memset(out, 0, sizeof(*out));
	out->last_printed = -1;
	pthread_mutex_lock(&c->mu);
	if ((rc = store_prep(c->db, "SELECT detail, at_ms FROM events WHERE"
	    " kind = 'printer' AND at_ms >= ?1 ORDER BY id DESC LIMIT 1", &s,
	    err)) != K_OK)
		goto out;
	sqlite3_bind_int64(s, 1, day0);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(s, 0);
		out->last_printed = d && strstr((const char *)d, "true") ? 1 : 0;
		out->last_at_ms = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if ((rc = store_prep(c->db, "SELECT count(*) FROM help WHERE"
	    " resolved_ms = 0 AND kind IN ('printer', 'paper_low')"
	    " AND at_ms >= ?1", &s, err)) != K_OK)
		goto out;
	sqlite3_bind_int64(s, 1, day0);
	if (sqlite3_step(s) == SQLITE_ROW)
		out->open_alerts = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
out:
	pthread_mutex_unlock(&c->mu);
	return rc;
}
