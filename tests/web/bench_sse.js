/*
 * bench_sse.js - load for `make bench` (tests/bench/web.sh): N phone pages
 * and M staff consoles subscribed to /api/events, one call per second,
 * and the delay from each call to each phone stream receiving it.
 *
 * Plain HTTP streams (what EventSource does on the wire), not browsers.
 * Env: BENCH_BASE (http://127.0.0.1:PORT), BENCH_PID (server PID for
 * /proc), BENCH_PHONES (500), BENCH_STAFF (20), BENCH_CALLS (20),
 * BENCH_TOKEN (optional staff token).  Prints one JSON line of figures.
 */
'use strict';

const http = require('node:http');
const fs = require('node:fs');

const BASE = new URL(process.env.BENCH_BASE || 'http://127.0.0.1:18190');
const PID = Number(process.env.BENCH_PID || 0);
const PHONES = Number(process.env.BENCH_PHONES || 500);
const STAFF = Number(process.env.BENCH_STAFF || 20);
const CALLS = Number(process.env.BENCH_CALLS || 20);
const TOKEN = process.env.BENCH_TOKEN || '';
const CLK_TCK = 100;     /* Linux USER_HZ */

const now = () => performance.timeOrigin + performance.now();

function request(method, path, body) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
		const headers = { Accept: 'application/json' };
		if (TOKEN) headers.Authorization = 'Bearer ' + TOKEN;
		if (data) { headers['Content-Type'] = 'application/json'; headers['Content-Length'] = data.length; }
		const req = http.request({ host: BASE.hostname, port: BASE.port, path, method, headers, agent: false }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { text += c; });
			res.on('end', () => {
				let json = null;
				try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
				resolve({ status: res.statusCode, data: json });
			});
		});
		req.setTimeout(10000, () => req.destroy(new Error(method + ' ' + path + ': time-out')));
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}

/* One event stream; calls onEvent(name, data, arrivalMs) per event. */
function subscribe(onEvent) {
	return new Promise((resolve, reject) => {
		const headers = { Accept: 'text/event-stream' };
		if (TOKEN) headers.Authorization = 'Bearer ' + TOKEN;
		const req = http.get({ host: BASE.hostname, port: BASE.port, path: '/api/events', headers, agent: false }, (res) => {
			if (res.statusCode !== 200) {
				reject(new Error('/api/events: HTTP ' + res.statusCode));
				res.resume();
				return;
			}
			let buf = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => {
				const t = now();
				buf += chunk;
				let i;
				while ((i = buf.indexOf('\n\n')) >= 0) {
					const block = buf.slice(0, i);
					buf = buf.slice(i + 2);
					let name = 'message', data = '';
					for (const line of block.split('\n')) {
						if (line.startsWith('event:')) name = line.slice(6).trim();
						else if (line.startsWith('data:')) data += line.slice(5).trim();
					}
					if (data) onEvent(name, data, t);
				}
			});
			resolve({ req, res });
		});
		req.on('error', reject);
		req.setTimeout(0);
	});
}

function procStat(pid) {
	if (!pid) return null;
	try {
		const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(f[11]) + Number(f[12]);       /* utime + stime */
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (k) => Number((new RegExp(k + ':\\s+(\\d+)').exec(status) || [0, 0])[1]);
		return { ticks, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), threads: kb('Threads') };
	} catch (e) {
		return null;
	}
}

function pct(sorted, p) {
	if (!sorted.length) return null;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
	return sorted[i];
}

async function main() {
	/* tickets to call: one per second for CALLS seconds */
	const issued = [];
	for (let i = 0; i < CALLS + 2; i++) {
		const r = await request('POST', '/api/tickets', { procedure: 'juminhyo', lang: 'ja',
		    answers: { who: 'self', copies: 1 }, flags: { card: false, assist: false, priority: false }, kiosk: 'bench' });
		if (r.status !== 201) throw new Error('issue: HTTP ' + r.status + ' ' + JSON.stringify(r.data));
		issued.push(r.data);
	}

	const sent = new Map();         /* number -> time the call was sent */
	const delays = [];              /* ms, phone streams */
	const staffDelays = [];
	let phoneEvents = 0, missed = 0;
	const seen = [];                /* per phone: Set of numbers */

	const t0 = now();
	const streams = [];
	const opens = [];
	for (let i = 0; i < PHONES + STAFF; i++) {
		const isPhone = i < PHONES;
		if (isPhone) seen.push(new Set());
		opens.push(subscribe((name, data, t) => {
			if (name !== 'called') return;
			let d;
			try { d = JSON.parse(data); } catch (e) { return; }
			const s = sent.get(d.number);
			if (s === undefined) return;
			if (isPhone) {
				delays.push(t - s);
				phoneEvents++;
				seen[i].add(d.number);
			} else {
				staffDelays.push(t - s);
			}
		}).then((x) => { streams.push(x); }));
		/* a little spacing, as phones do not all arrive at one instant */
		if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
	}
	await Promise.all(opens);
	const connectMs = now() - t0;
	await new Promise((r) => setTimeout(r, 500));

	const before = procStat(PID);
	const w0 = now();
	const callLat = [];
	for (let i = 0; i < CALLS; i++) {
		const due = w0 + i * 1000;
		const wait = due - now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		const n = issued[i].number;
		const ts = now();
		sent.set(n, ts);
		const r = await request('POST', '/api/counters/1/call', { number: n });
		callLat.push(now() - ts);
		if (r.status !== 200) throw new Error('call ' + n + ': HTTP ' + r.status + ' ' + JSON.stringify(r.data));
		/* finish it so the counter is free for the next call */
		await request('POST', '/api/tickets/' + r.data.ticket.id + '/done', {});
	}
	await new Promise((r) => setTimeout(r, 1500));
	const after = procStat(PID);
	const wall = (now() - w0) / 1000;

	for (const s of seen) for (const n of sent.keys()) if (!s.has(n)) missed++;
	for (const x of streams) x.req.destroy();

	delays.sort((a, b) => a - b);
	staffDelays.sort((a, b) => a - b);
	callLat.sort((a, b) => a - b);
	const out = {
		phones: PHONES, staff: STAFF, calls: CALLS, connect_ms: Math.round(connectMs),
		phone_events: phoneEvents, missed,
		delay_median_ms: pct(delays, 50), delay_p99_ms: pct(delays, 99), delay_max_ms: delays[delays.length - 1],
		staff_delay_median_ms: pct(staffDelays, 50),
		call_median_ms: pct(callLat, 50),
		cpu_pct: before && after ? (after.ticks - before.ticks) / CLK_TCK / wall * 100 : null,
		rss_mb: after ? after.rssKb / 1024 : null,
		hwm_mb: after ? after.hwmKb / 1024 : null,
		threads: after ? after.threads : null
	};
	console.log(JSON.stringify(out));
}

main().catch((e) => { console.error('bench_sse: ' + (e && e.message || e)); process.exit(1); });
