/*
 * issue_load.c - POST /api/tickets as fast as CONNS keep-alive connections
 * allow, TOTAL times, on loopback, and report the issue rate of each
 * thousand tickets (in the order they were answered) and the latency.
 * wrk measures a fixed time; this counts a fixed number of tickets, so
 * that the 1st and the 10,000th thousand of one day can be compared.
 *
 *   issue_load PORT CONNS TOTAL [TOKEN]
 * prints "first1000 R1", "last1000 R2", "rate R", "p50 MS", "p99 MS",
 * "errors N" (one per line; rates in tickets/s).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char body[] = "{\"procedure\":\"juminhyo\",\"lang\":\"ja\","
    "\"answers\":{\"who\":\"self\",\"copies\":1},\"applicant\":{\"name\":"
    "\"負荷 試験\",\"birth\":\"1990-01-01\"},\"flags\":{\"card\":true}}";

static int port, total;
static const char *token;
static atomic_int next_idx, completed, errors;
static double *done_at, *latency;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dial(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("issue_load: connect");
		exit(1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* One request and its answer; the HTTP status, or -1 when the connection
 * broke (the caller dials again). */
static int
roundtrip(int fd, const char *req, size_t reqlen)
{
	char buf[16384];
	size_t have = 0, need = 0;
	char *hend = NULL;
	int status = -1;

	if (write(fd, req, reqlen) != (ssize_t)reqlen)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (hend == NULL && (hend = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(buf, "\r\ncontent-length:");
			status = atoi(buf + 9);
			need = (size_t)(hend - buf) + 4 +
			    (cl ? (size_t)atol(cl + 17) : 0);
		}
		if (hend != NULL && have >= need)
			return status;
		if (have == sizeof(buf) - 1)
			return -1;
	}
}

static void *
worker(void *arg)
{
	char req[2048];
	int fd = dial(), len;

	(void)arg;
	len = snprintf(req, sizeof(req), "POST /api/tickets HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
	    "%s%s%sContent-Length: %zu\r\n\r\n%s",
	    token ? "Authorization: Bearer " : "", token ? token : "",
	    token ? "\r\n" : "", strlen(body), body);
	for (;;) {
		int idx = atomic_fetch_add(&next_idx, 1), st;
		double t0;

		if (idx >= total)
			break;
		t0 = now_s();
		while ((st = roundtrip(fd, req, (size_t)len)) < 0) {
			close(fd);
			fd = dial();
		}
		latency[idx] = now_s() - t0;
		if (st != 201)
			atomic_fetch_add(&errors, 1);
		done_at[atomic_fetch_add(&completed, 1)] = now_s();
	}
	close(fd);
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	pthread_t th[256];
	int conns, i;
	double start, last_start;

	if (argc < 4) {
		fprintf(stderr, "usage: issue_load PORT CONNS TOTAL [TOKEN]\n");
		return 2;
	}
	port = atoi(argv[1]);
	conns = atoi(argv[2]);
	total = atoi(argv[3]);
	token = argc > 4 ? argv[4] : NULL;
	if (conns < 1 || conns > 256 || total < 1000) {
		fprintf(stderr, "issue_load: 1..256 connections, 1000+ tickets\n");
		return 2;
	}
	done_at = calloc((size_t)total, sizeof(*done_at));
	latency = calloc((size_t)total, sizeof(*latency));
	start = now_s();
	for (i = 0; i < conns; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (i = 0; i < conns; i++)
		pthread_join(th[i], NULL);
	last_start = total >= 2000 ? done_at[total - 1001] : start;
	printf("first1000 %.0f\n", 1000 / (done_at[999] - start));
	printf("last1000 %.0f\n", 1000 / (done_at[total - 1] - last_start));
	printf("rate %.0f\n", total / (done_at[total - 1] - start));
	qsort(latency, (size_t)total, sizeof(*latency), cmp);
	printf("p50 %.2f\n", latency[total / 2] * 1000);
	printf("p99 %.2f\n", latency[total * 99 / 100] * 1000);
	printf("errors %d\n", atomic_load(&errors));
	return 0;
}
