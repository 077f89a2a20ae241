/*
 * common.js - shared by the staff console, the lobby board and the phone
 * page: API calls with the bearer token, the live event stream with
 * reconnect, Japanese date helpers (和暦) and the Web Audio chimes.
 * Plain script, no build step; everything hangs off window.Kiosk.
 */
(function () {
	'use strict';

	var K = {};

	/* ---- API ---------------------------------------------------------- */

	/* An error from the server or the network, with the fields the pages
	 * show: status (0 = network), code ("UNAUTHORIZED"), detail (text). */
	function ApiError(status, code, detail) {
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.detail = detail;
		this.message = code + (detail ? ': ' + detail : '');
	}
	ApiError.prototype = Object.create(Error.prototype);
	K.ApiError = ApiError;

	/*
	 * api(method, path, {token, body, timeoutMs}) -> Promise of
	 * {status, data}; data is the parsed JSON or null (204).  4xx/5xx and
	 * network failures reject with an ApiError.
	 */
	K.api = function (method, path, opts) {
		opts = opts || {};
		var headers = { 'Accept': 'application/json' };
		if (opts.token)
			headers['Authorization'] = 'Bearer ' + opts.token;
		var init = { method: method, headers: headers, cache: 'no-store' };
		if (opts.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(opts.body);
		}
		var ctl = typeof AbortController === 'function' ? new AbortController() : null;
		var timer = null;
		if (ctl) {
			init.signal = ctl.signal;
			timer = setTimeout(function () { ctl.abort(); }, opts.timeoutMs || 10000);
		}
		return fetch(path, init).then(function (res) {
			if (timer) clearTimeout(timer);
			if (res.status === 204)
				return { status: 204, data: null };
			return res.text().then(function (text) {
				var data = null;
				if (text) {
					try { data = JSON.parse(text); } catch (e) { data = null; }
				}
				if (!res.ok) {
					var code = (data && data.error) || ('HTTP_' + res.status);
					var detail = (data && data.detail) || res.statusText || '';
					var err = new ApiError(res.status, code, detail);
					err.data = data;   /* e.g. the ticket a busy counter holds */
					throw err;
				}
				if (data === null && text)
					throw new ApiError(res.status, 'BAD_JSON', path + ': the reply is not JSON');
				return { status: res.status, data: data };
			});
		}, function (e) {
			if (timer) clearTimeout(timer);
			var why = e && e.name === 'AbortError' ? 'time-out' : 'network error';
			throw new ApiError(0, 'NETWORK', path + ': ' + why);
		});
	};

	/* The Japanese sentence for an ApiError, for the pages' error lines. */
	K.errorText = function (e) {
		if (!(e instanceof ApiError))
			return '予期しないエラー: ' + String(e && e.message || e);
		if (e.status === 0)
			return 'サーバーに接続できません（' + e.detail + '）';
		if (e.status === 401 || e.status === 403)
			return 'トークンが正しくないか、権限がありません（' + e.code + '）';
		if (e.status === 404)
			return '見つかりません（' + (e.detail || e.code) + '）';
		if (e.status === 409)
			return 'この操作は今の状態ではできません（' + (e.detail || e.code) + '）';
		if (e.status === 429)
			return 'アクセスが多すぎます。しばらくしてからお試しください';
		return 'エラー ' + e.status + ': ' + (e.detail || e.code);
	};

	/* ---- live events --------------------------------------------------- */

	/*
	 * K.stream(url, handlers, opts): EventSource with reconnect and a
	 * watchdog.  handlers: {open(), error(), <event name>(data, ev)}.
	 * The browser reconnects by itself after a dropped connection; after a
	 * refused one (401, 404, not text/event-stream) it gives up, so we
	 * reopen with back-off (1 s, 2 s, ... 30 s).  With no message or
	 * keep-alive for opts.idleMs (default 45 s: the server sends a comment
	 * every 15 s) the stream is treated as dead and reopened.
	 * Returns {close(), state()}.
	 */
	K.stream = function (url, handlers, opts) {
		opts = opts || {};
		var names = opts.events || ['issued', 'called', 'recalled', 'done',
		    'no_show', 'transferred', 'help', 'message'];
		var es = null, closed = false, backoff = 1000, retryTimer = null;
		var state = 'connecting', failures = 0;
		var idleMs = opts.idleMs || 45000, lastSeen = Date.now(), watchdog = null;

		function setState(s) {
			if (state === s) return;
			state = s;
			if (handlers.state) handlers.state(s, failures);
		}
		function seen() { lastSeen = Date.now(); }
		function open() {
			if (closed) return;
			setState('connecting');
			try {
				es = new EventSource(url);
			} catch (e) {
				schedule();
				return;
			}
			es.onopen = function () {
				backoff = 1000;
				failures = 0;
				seen();
				setState('open');
				if (handlers.open) handlers.open();
			};
			es.onerror = function () {
				failures++;
				if (handlers.error) handlers.error(failures);
				if (!es || es.readyState === 2 /* CLOSED */) {
					schedule();
				} else {
					setState('connecting');
				}
			};
			names.forEach(function (n) {
				es.addEventListener(n, function (ev) {
					seen();
					var data = null;
					try { data = ev.data ? JSON.parse(ev.data) : null; } catch (e) { data = null; }
					var h = handlers[n] || handlers.any;
					if (h) h(data, ev, n);
				});
			});
		}
		function schedule() {
			if (es) { try { es.close(); } catch (e) {} es = null; }
			if (closed) return;
			setState('retrying');
			clearTimeout(retryTimer);
			retryTimer = setTimeout(open, backoff);
			backoff = Math.min(backoff * 2, 30000);
		}
		watchdog = setInterval(function () {
			/* EventSource gives no hook for ":" comments, so an idle
			 * but healthy stream looks like a dead one here: only act
			 * when the browser also thinks it is not open. */
			if (es && es.readyState !== 1 && Date.now() - lastSeen > idleMs)
				schedule();
		}, 5000);
		open();
		return {
			close: function () {
				closed = true;
				clearTimeout(retryTimer);
				clearInterval(watchdog);
				if (es) es.close();
				es = null;
				setState('closed');
			},
			state: function () { return state; },
			failures: function () { return failures; }
		};
	};

	/* ---- dates ---------------------------------------------------------- */

	/* Era starts (Gregorian, inclusive). */
	var ERAS = [
		{ name: '令和', y: 2019, m: 5, d: 1 },
		{ name: '平成', y: 1989, m: 1, d: 8 },
		{ name: '昭和', y: 1926, m: 12, d: 25 },
		{ name: '大正', y: 1912, m: 7, d: 30 },
		{ name: '明治', y: 1868, m: 1, d: 25 }
	];

	/* "1980-04-01" -> {y, m, d} or null when it is not a real date. */
	K.parseDate = function (s) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s || '').trim());
		if (!m) return null;
		var y = +m[1], mo = +m[2], d = +m[3];
		var t = new Date(Date.UTC(y, mo - 1, d));
		if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d)
			return null;
		return { y: y, m: mo, d: d };
	};

	/* {y,m,d} -> "昭和55年4月1日" ("令和元年5月1日" for the first year). */
	K.wareki = function (dt) {
		if (!dt) return '';
		var key = dt.y * 10000 + dt.m * 100 + dt.d;
		for (var i = 0; i < ERAS.length; i++) {
			var e = ERAS[i];
			if (key >= e.y * 10000 + e.m * 100 + e.d) {
				var n = dt.y - e.y + 1;
				return e.name + (n === 1 ? '元' : String(n)) + '年' + dt.m + '月' + dt.d + '日';
			}
		}
		return '';
	};

	K.gregorian = function (dt) {
		return dt ? dt.y + '年' + dt.m + '月' + dt.d + '日' : '';
	};

	/* Age in whole years on the given day (default today, local time). */
	K.age = function (dt, now) {
		if (!dt) return null;
		now = now || new Date();
		var a = now.getFullYear() - dt.y;
		if (now.getMonth() + 1 < dt.m || (now.getMonth() + 1 === dt.m && now.getDate() < dt.d))
			a--;
		return a;
	};

	/* Sex code (JIS X 0303 / ISO 5218) -> text. */
	K.sexText = function (code) {
		switch (String(code == null ? '' : code)) {
		case '1': return '男';
		case '2': return '女';
		case '9': return '適用不能';
		case '0': return '不明';
		case '': return '';
		default: return '（コード ' + code + '）';
		}
	};

	/* ISO 8601 -> "14:05" in Japan time whatever the browser's zone. */
	K.hhmm = function (iso) {
		if (!iso) return '';
		var t = new Date(iso);
		if (isNaN(t.getTime())) return '';
		var j = new Date(t.getTime() + 9 * 3600 * 1000);
		return pad2(j.getUTCHours()) + ':' + pad2(j.getUTCMinutes());
	};

	/* Today's date in Japan, "YYYY-MM-DD". */
	K.todayJst = function () {
		var j = new Date(Date.now() + 9 * 3600 * 1000);
		return j.getUTCFullYear() + '-' + pad2(j.getUTCMonth() + 1) + '-' + pad2(j.getUTCDate());
	};

	function pad2(n) { return (n < 10 ? '0' : '') + n; }
	K.pad2 = pad2;

	K.yen = function (n) {
		if (n === null || n === undefined || n === '') return '';
		var v = Number(n);
		if (!isFinite(v)) return String(n);
		return v.toLocaleString('ja-JP') + '円';
	};

	/* ---- DOM ------------------------------------------------------------ */

	K.$ = function (sel, root) { return (root || document).querySelector(sel); };
	K.$$ = function (sel, root) {
		return Array.prototype.slice.call((root || document).querySelectorAll(sel));
	};

	/* el('td', {class: 'n'}, 'text', child...) */
	K.el = function (tag, attrs) {
		var e = document.createElement(tag);
		if (attrs) {
			Object.keys(attrs).forEach(function (k) {
				var v = attrs[k];
				if (v === null || v === undefined || v === false) return;
				if (k === 'class') e.className = v;
				else if (k === 'text') e.textContent = v;
				else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
				else e.setAttribute(k, v === true ? '' : v);
			});
		}
		for (var i = 2; i < arguments.length; i++) {
			var c = arguments[i];
			if (c === null || c === undefined || c === false) continue;
			e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
		}
		return e;
	};

	K.clear = function (e) {
		while (e.firstChild) e.removeChild(e.firstChild);
		return e;
	};

	/* ---- sound ---------------------------------------------------------- */

	/*
	 * Chimes drawn with Web Audio (no sound files to ship).  Each
	 * K.sound.play(kind) is queued: one never cuts off another.  Kinds:
	 * "call" (two-tone ding-dong for the board), "alert" (three short
	 * beeps for a help request), "notice" (one soft tone).  Tones stay
	 * below 2.5 kHz (JIS S 0014).  Browsers keep the audio context
	 * suspended until a user gesture; sound.unlock() is called from one.
	 */
	var PATTERNS = {
		call: [[784, 0.0, 0.9], [587, 0.7, 1.4]],          /* G5 then D5 */
		alert: [[1319, 0.0, 0.16], [1319, 0.25, 0.16], [1319, 0.5, 0.16], [988, 0.75, 0.4]],
		notice: [[880, 0.0, 0.5]]
	};
	var sound = {
		ctx: null,
		queue: [],
		busyUntil: 0,
		played: 0,        /* counters the browser tests read */
		queuedMax: 0,
		muted: false,
		volume: 0.5,
		log: []           /* [{kind, start}] start in ms since page load */
	};
	function ensureCtx() {
		if (sound.ctx) return sound.ctx;
		var AC = window.AudioContext || window.webkitAudioContext;
		if (!AC) return null;
		try { sound.ctx = new AC(); } catch (e) { sound.ctx = null; }
		return sound.ctx;
	}
	sound.unlock = function () {
		var c = ensureCtx();
		if (c && c.state === 'suspended' && c.resume) c.resume();
		return c ? c.state : 'none';
	};
	sound.state = function () {
		return sound.ctx ? sound.ctx.state : 'none';
	};
	sound.duration = function (kind) {
		var p = PATTERNS[kind] || PATTERNS.notice, end = 0;
		p.forEach(function (t) { end = Math.max(end, t[1] + t[2]); });
		return end + 0.3;   /* a short gap before the next one */
	};
	function tone(c, t0, freq, dur) {
		var o = c.createOscillator(), g = c.createGain();
		o.type = 'sine';
		o.frequency.setValueAtTime(freq, t0);
		g.gain.setValueAtTime(0.0001, t0);
		g.gain.exponentialRampToValueAtTime(sound.volume, t0 + 0.02);
		g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
		o.connect(g);
		g.connect(c.destination);
		o.start(t0);
		o.stop(t0 + dur + 0.05);
	}
	function pump() {
		if (!sound.queue.length) return;
		var now = performance.now();
		if (now < sound.busyUntil) {
			setTimeout(pump, sound.busyUntil - now + 5);
			return;
		}
		var kind = sound.queue.shift();
		var secs = sound.duration(kind);
		sound.busyUntil = now + secs * 1000;
		sound.played++;
		sound.log.push({ kind: kind, start: Math.round(now) });
		if (sound.log.length > 50) sound.log.shift();
		var c = ensureCtx();
		if (c && !sound.muted) {
			if (c.state === 'suspended' && c.resume) c.resume();
			var t0 = c.currentTime + 0.05;
			(PATTERNS[kind] || PATTERNS.notice).forEach(function (t) {
				tone(c, t0 + t[1], t[0], t[2]);
			});
		}
		if (sound.queue.length) setTimeout(pump, secs * 1000 + 5);
	}
	sound.play = function (kind) {
		sound.queue.push(kind);
		sound.queuedMax = Math.max(sound.queuedMax, sound.queue.length);
		pump();
	};
	K.sound = sound;

	window.Kiosk = K;
})();
