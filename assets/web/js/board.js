/*
 * board.js - the lobby board (/board): the newest call large (highlighted
 * for 10 s), the last six calls, people waiting per service and the clock,
 * with a chime per call, then the call spoken in Japanese and English.
 * Calls that arrive together are announced one after the other, each for
 * at least its chime and its speech, so one never cuts off another.
 *
 * Speech is the browser's own (speechSynthesis), not a WAV from the
 * server: the TV's browser has voices that read kanji (the server's
 * espeak-ng reads kana only), the server stays free of synthesis work
 * and of a speech library, and a board PC without voices simply chimes.
 * Browsers speak only after a user gesture on the page: the sound button
 * that unlocks the chime unlocks speech too.  The SDL board (`kiosk
 * display`) speaks with espeak-ng instead.
 *
 * A display token (when the server needs one) is given once as
 * /board#token=XXXX (the fragment never reaches the server or its logs)
 * and kept in this browser's localStorage.
 */
(function () {
	'use strict';

	var K = window.Kiosk, $ = K.$, el = K.el;
	var LS_TOKEN = 'kiosk.board.token';
	var HIGHLIGHT_MS = 10000;
	var MIN_SHOW_MS = 4000;      /* each queued call stays on the hero at least this long */
	var POLL_MS = 3000;          /* when the live stream is down */
	var REFRESH_MS = 30000;      /* safety net while it is up */

	/* English names of the default services (server.services); a
	 * service the board does not know shows its Japanese name only. */
	var EN = {
		'住民票・証明書': 'Certificates',
		'届出・異動': 'Notifications, moving',
		'マイナンバーカード': 'My Number Card',
		'保険・年金・手当': 'Insurance, pension, allowances',
		'相談': 'Consultation'
	};

	var WEEK = ['日', '月', '火', '水', '木', '金', '土'];
	var WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
	var MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

	var b = {
		token: '',
		seen: {},          /* call keys already announced */
		queue: [],         /* calls waiting to be announced */
		showing: false,
		hero: null,
		highlightTimer: null,
		stream: null,
		live: false,
		lastBoard: 0,
		announced: 0,      /* for the tests */
		spoken: [],        /* [{lang, text, at}] what was given to speech */
		log: []            /* [{number, counter, shownAt}] */
	};

	function lsGet(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
	function lsSet(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* memory only */ } }

	function callKey(c) {
		return c.number + '|' + (c.counter || '') + '|' + (c.at || '');
	}

	/* ---- clock ---------------------------------------------------------- */

	function tick() {
		var j = new Date(Date.now() + 9 * 3600 * 1000);   /* Japan time */
		$('#clock').textContent = K.pad2(j.getUTCHours()) + ':' + K.pad2(j.getUTCMinutes());
		$('#clock').setAttribute('datetime', new Date().toISOString());
		$('#date').textContent = (j.getUTCMonth() + 1) + '月' + j.getUTCDate() + '日（' + WEEK[j.getUTCDay()] + '）' +
		    '  ' + WEEK_EN[j.getUTCDay()] + ', ' + MONTH_EN[j.getUTCMonth()] + ' ' + j.getUTCDate();
	}

	/* ---- data ----------------------------------------------------------- */

	function status(text) {
		var p = $('#status');
		p.hidden = !text;
		p.textContent = text || '';
	}

	function loadBoard(announceNew) {
		return K.api('GET', '/api/board', { token: b.token }).then(function (r) {
			var d = r.data || {};
			b.lastBoard = Date.now();
			var calls = d.calls || [];
			renderRecent(calls);
			renderWaiting(d.waiting || []);
			if (announceNew) {
				/* oldest first, so they are announced in call order */
				calls.slice().reverse().forEach(function (c) {
					if (!b.seen[callKey(c)]) enqueue(c);
				});
			} else {
				calls.forEach(function (c) { b.seen[callKey(c)] = true; });
				if (calls.length && !b.hero) showHero(calls[0], isRecent(calls[0], d.now));
			}
			if (!b.live && b.stream) status('ライブ接続を再試行中です（' + POLL_MS / 1000 + '秒ごとに更新） Reconnecting…');
		}, function (e) {
			if (e.status === 401 || e.status === 403) {
				askToken('トークンが必要か、正しくありません（' + e.code + '）。 A valid display token is needed.');
				return;
			}
			status('サーバーに接続できません。再試行しています。 Cannot reach the server; retrying.');
		});
	}

	function isRecent(c, nowIso) {
		var at = Date.parse(c.at || ''), now = Date.parse(nowIso || '') || Date.now();
		return !isNaN(at) && now - at < HIGHLIGHT_MS;
	}

	function renderRecent(calls) {
		var body = K.clear($('#recent-body'));
		calls.slice(0, 6).forEach(function (c, i) {
			body.appendChild(el('tr', { class: i === 0 ? 'newest' : null },
			    el('td', { class: 'num' }, c.number, c.priority ?
			        el('span', { class: 'prio', title: '優先 Priority' }, '優先') : null),
			    el('td', { class: 'ctr' }, String(c.counter), el('span', { class: 'unit' }, '番')),
			    el('td', { class: 'time' }, K.hhmm(c.at))));
		});
		for (var i = calls.length; i < 6; i++)
			body.appendChild(el('tr', { class: 'blank' }, el('td', { class: 'num' }, ''), el('td', null, ''), el('td', null, '')));
	}

	function renderWaiting(list) {
		var ul = K.clear($('#waiting-list'));
		list.forEach(function (w) {
			ul.appendChild(el('li', { 'data-letter': w.letter },
			    el('span', { class: 'letter' }, w.letter),
			    el('span', { class: 'names' },
			        el('span', { class: 'ja' }, w.name || ''),
			        EN[w.name] ? el('span', { class: 'en', lang: 'en' }, EN[w.name]) : null),
			    el('span', { class: 'count' }, String(w.waiting), el('span', { class: 'unit' }, '人'))));
		});
	}

	/* ---- announcements -------------------------------------------------- */

	function enqueue(c) {
		var k = callKey(c);
		if (b.seen[k]) return;
		b.seen[k] = true;
		b.queue.push(c);
		if (!b.showing) next();
	}

	function next() {
		var c = b.queue.shift();
		if (!c) { b.showing = false; return; }
		b.showing = true;
		showHero(c, true);
		K.sound.play('call');
		b.announced++;
		var t0 = Date.now(), chime = K.sound.duration('call') * 1000;
		setTimeout(function () {
			speakCall(c, function () {
				var hold = Math.max(MIN_SHOW_MS, chime + 1000);
				setTimeout(next, Math.max(0, hold - (Date.now() - t0)));
			});
		}, chime);
	}

	/* ---- speech --------------------------------------------------------- */

	/* The call-out texts, as the SDL board's (kiosk/speech/callout.c) in
	 * normal text: "A-012" at counter 3. */
	function callout(lang, c) {
		var m = /^([A-Za-z])-?0*(\d+)$/.exec(String(c.number || ''));
		if (!m || !(c.counter > 0)) return '';
		var L = m[1].toUpperCase(), n = m[2];
		if (lang === 'ja')
			return (c.recall ? '再度お呼びします。' : '') + '受付番号 ' + L + ' の ' +
			    n + ' 番の方、' + c.counter + ' 番窓口へお越しください。';
		return (c.recall ? 'Calling again. ' : '') + 'Number ' + L + ' ' + n +
		    ', please come to counter ' + c.counter + '.';
	}

	var SPEECH = [['ja', 'ja-JP'], ['en', 'en-US']];

	function voiceFor(tag) {
		var vs = window.speechSynthesis.getVoices() || [], i;
		for (i = 0; i < vs.length; i++)
			if (vs[i].lang && vs[i].lang.replace('_', '-').indexOf(tag.slice(0, 2)) === 0)
				return vs[i];
		return null;
	}

	/* Japanese, then English; done() when both ended (or failed: no
	 * voice, no user gesture yet), or after a time-out so that a browser
	 * that never reports the end cannot stop the board. */
	function speakCall(c, done) {
		var synth = window.speechSynthesis, i = 0;
		if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') { done(); return; }
		function step() {
			if (i >= SPEECH.length) { done(); return; }
			var lang = SPEECH[i][0], tag = SPEECH[i][1], text = callout(lang, c), fired = false;
			i++;
			if (!text) { step(); return; }
			var u = new window.SpeechSynthesisUtterance(text);
			var v = voiceFor(tag);
			u.lang = tag;
			if (v) u.voice = v;
			u.volume = 1;
			var guard = setTimeout(end, 1500 + text.length * 120);
			function end() {
				if (fired) return;
				fired = true;
				clearTimeout(guard);
				step();
			}
			u.onend = end;
			u.onerror = end;
			b.spoken.push({ lang: lang, text: text, at: Math.round(performance.now()) });
			if (b.spoken.length > 50) b.spoken.shift();
			try { synth.speak(u); } catch (e) { end(); }
		}
		step();
	}

	function showHero(c, fresh) {
		b.hero = c;
		b.log.push({ number: c.number, counter: c.counter, shownAt: Math.round(performance.now()) });
		if (b.log.length > 50) b.log.shift();
		$('#hero-number').textContent = c.number;
		$('#hero-prio').hidden = !c.priority;
		$('#hero-counter-ja').textContent = c.counter + '番窓口へお越しください';
		$('#hero-counter-en').textContent = 'Please go to counter ' + c.counter;
		var hero = $('#hero');
		clearTimeout(b.highlightTimer);
		hero.classList.toggle('fresh', !!fresh);
		if (fresh) {
			b.highlightTimer = setTimeout(function () { hero.classList.remove('fresh'); }, HIGHLIGHT_MS);
		}
	}

	/* ---- live stream ---------------------------------------------------- */

	function onCall(data, ev, name) {
		if (data && data.number && data.counter) {
			if (!data.at) data.at = new Date().toISOString();
			if (name === 'recalled') data.recall = true;
			enqueue(data);
		}
		refreshSoon();
	}

	var refreshTimer = null;
	function refreshSoon() {
		if (refreshTimer) return;
		refreshTimer = setTimeout(function () { refreshTimer = null; loadBoard(false); }, 300);
	}

	function startStream() {
		if (b.stream) b.stream.close();
		var url = '/api/events' + (b.token ? '?token=' + encodeURIComponent(b.token) : '');
		b.stream = K.stream(url, {
			state: function (st) {
				b.live = st === 'open';
				if (b.live) status('');
			},
			open: function () { loadBoard(true); },
			called: onCall,
			recalled: onCall,
			issued: refreshSoon,
			done: refreshSoon,
			no_show: refreshSoon,
			transferred: refreshSoon
		});
	}

	function poll() {
		if (!b.live) loadBoard(true);
		else if (Date.now() - b.lastBoard > REFRESH_MS) loadBoard(false);
	}

	/* ---- token ---------------------------------------------------------- */

	function askToken(why) {
		$('#auth-why').textContent = why;
		$('#auth').hidden = false;
		$('#auth-token').focus();
	}

	function onAuth(ev) {
		ev.preventDefault();
		b.token = $('#auth-token').value.trim();
		lsSet(LS_TOKEN, b.token);
		$('#auth').hidden = true;
		start();
	}

	/* ---- sound unlock --------------------------------------------------- */

	function checkSound() {
		var st = K.sound.unlock();
		$('#sound-btn').hidden = st === 'running' || st === 'none';
	}

	function start() {
		loadBoard(false).then(startStream);
	}

	function init() {
		var m = /(?:^#|&)token=([^&]*)/.exec(location.hash || '');
		if (m) {
			lsSet(LS_TOKEN, decodeURIComponent(m[1]));
			history.replaceState(null, '', location.pathname);
		}
		b.token = lsGet(LS_TOKEN) || '';
		tick();
		setInterval(tick, 1000);
		setInterval(poll, POLL_MS);
		$('#auth-form').addEventListener('submit', onAuth);
		$('#sound-btn').addEventListener('click', function () {
			K.sound.unlock();
			setTimeout(checkSound, 200);
		});
		['pointerdown', 'keydown'].forEach(function (n) {
			document.addEventListener(n, function () { K.sound.unlock(); setTimeout(checkSound, 200); });
		});
		setTimeout(checkSound, 500);
		start();
	}

	window.KioskBoard = b;

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
