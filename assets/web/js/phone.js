/*
 * phone.js - the resident's wait page (/t/{token}) on their own phone.
 *
 * Shows the number, the state (waiting / called: go to counter N / done),
 * the people ahead and the estimated wait; nothing personal.  Updates
 * through the server's event stream when it lets the page listen, else by
 * polling /api/status/{token}, faster when the turn is close.
 *
 * "Your turn is near": the page asks once (the answer is kept in
 * localStorage) whether to alert.  When the resident said yes, it alerts
 * once when server.phone_near_ahead or fewer people are ahead and again
 * when the number is called (and on every recall): a tone through Web
 * Audio (unlocked by the tap on "alert me"), a vibration where the phone
 * allows it, a title that says so (seen on a background tab) and a
 * notification where the page may show one (a secure context with the
 * permission granted).  With the screen off a phone may pause the page;
 * the event stream or the next poll delivers the news when it wakes.
 */
(function () {
	'use strict';

	var K = window.Kiosk, $ = K.$;
	var TOKEN_RE = /^[0-9a-fA-F]{32}$/;

	var p = {
		token: '',
		st: null,          /* the last /api/status reply */
		stream: null,
		live: false,
		timer: null,
		inflight: false,
		again: false,
		backoffUntil: 0,
		updatedAt: 0,
		changes: [],       /* [{state, at}] for the tests */
		alert: null,       /* null: not asked yet; true / false: answer */
		alerted: { near: false, called: false },
		alerts: [],        /* [{kind, at, sound, vibrate, notification}] */
		audio: null
	};

	var ALERT_KEY = 'kiosk.phone.alert';

	function loadChoice() {
		var v = null;
		try { v = window.localStorage.getItem(ALERT_KEY); } catch (e) { /* private mode */ }
		p.alert = v === 'on' ? true : v === 'off' ? false : null;
	}

	function saveChoice(on) {
		p.alert = on;
		try { window.localStorage.setItem(ALERT_KEY, on ? 'on' : 'off'); } catch (e) { /* private mode */ }
	}

	function notifyAllowed() {
		return window.isSecureContext === true && 'Notification' in window;
	}

	function enableAlerts() {
		saveChoice(true);
		/* made inside the tap, so the browser lets it sound later */
		try {
			var AC = window.AudioContext || window.webkitAudioContext;
			if (AC && !p.audio) p.audio = new AC();
			if (p.audio && p.audio.resume) p.audio.resume();
		} catch (e) { p.audio = null; }
		if (notifyAllowed() && Notification.permission === 'default') {
			try {
				var r = Notification.requestPermission();
				if (r && r.then) r.then(function () {}, function () {});
			} catch (e) { /* old API or refused */ }
		}
		if (p.st) render(p.st);
	}

	/* Two short rising tones: audible in a noisy hall, not alarming. */
	function tone() {
		var ac = p.audio;
		if (!ac) return false;
		try {
			if (ac.resume) ac.resume();
			[0, 0.35].forEach(function (at, i) {
				var o = ac.createOscillator(), g = ac.createGain();
				o.frequency.value = i ? 1175 : 880;
				g.gain.setValueAtTime(0.0001, ac.currentTime + at);
				g.gain.exponentialRampToValueAtTime(0.4, ac.currentTime + at + 0.03);
				g.gain.exponentialRampToValueAtTime(0.0001, ac.currentTime + at + 0.3);
				o.connect(g);
				g.connect(ac.destination);
				o.start(ac.currentTime + at);
				o.stop(ac.currentTime + at + 0.32);
			});
			return true;
		} catch (e) { return false; }
	}

	function alertNow(kind, st, ja) {
		var rec = { kind: kind, at: Date.now(), sound: tone(), vibrate: false, notification: false };
		if (navigator.vibrate) {
			try { rec.vibrate = navigator.vibrate(kind === 'called' ? [400, 150, 400, 150, 400] : [300, 150, 300]) !== false; } catch (e) { /* not allowed */ }
		}
		if (notifyAllowed() && Notification.permission === 'granted') {
			try {
				var n = new Notification(st.number + ' ' + ja, {
					body: kind === 'called' ? '旭市役所: 窓口へお越しください / Please go to the counter'
					    : '旭市役所: まもなく順番です / Your turn is near',
					tag: 'kiosk-' + st.number,
					renotify: true
				});
				n.onclick = function () { window.focus(); n.close(); };
				rec.notification = true;
			} catch (e) { /* Android Chrome wants a service worker: title and sound still tell */ }
		}
		p.alerts.push(rec);
	}

	function tokenFromPath() {
		var parts = location.pathname.split('/').filter(Boolean);
		return parts.length ? decodeURIComponent(parts[parts.length - 1]) : '';
	}

	function notFound() {
		if (p.stream) p.stream.close();
		p.stream = null;
		clearTimeout(p.timer);
		$('#ticket').hidden = true;
		$('#notfound').hidden = false;
		$('#problem').hidden = true;
		$('#updated').textContent = '';
		document.title = '番号札が見つかりません - 旭市役所';
		document.body.className = 'state-unknown';
	}

	function problem(ja, en) {
		var b = $('#problem');
		b.hidden = !ja;
		b.textContent = ja ? ja + ' ' + en : '';
	}

	function dayJa(day) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
		return m ? Number(m[2]) + '月' + Number(m[3]) + '日' : '前の日';
	}

	function render(st) {
		var prev = p.st;
		p.st = st;
		$('#notfound').hidden = true;
		$('#ticket').hidden = false;
		$('#number').textContent = st.number || '';
		var ja = '', en = '', waiting = false;
		switch (st.state) {
		case 'waiting':
			ja = 'お待ちください';
			en = 'Please wait';
			waiting = true;
			break;
		case 'called':
		case 'serving':
			/* U+200B: the one place the line may break */
			ja = (st.counter ? st.counter + '番窓口へ' : '窓口へ') + '\u200bお越しください';
			en = st.counter ? 'Please go to counter ' + st.counter : 'Please go to the counter';
			break;
		case 'done':
			ja = '手続きは終わりました。ありがとうございました。';
			en = 'Your visit is finished. Thank you.';
			break;
		case 'away':
			ja = 'お戻りをお待ちしています。順番はそのまま取ってあります。' +
			    (st.away_until ? st.away_until + 'までにお戻りください。' : '');
			en = 'We are keeping your place.' + (st.away_until ? ' Please come back by ' + st.away_until + '.' : '');
			break;
		case 'cancelled':
			ja = 'この番号札は取り消されました。';
			en = 'This ticket was cancelled.';
			break;
		case 'no_show':
			ja = 'お呼びしましたがお見えにならなかったため、呼び出しを終えました。窓口へお声がけください。';
			en = 'We called your number but missed you. Please speak to the counter staff.';
			break;
		case 'carried_over':
			ja = '本日の受付は終わりました。窓口でご案内した日にお越しください。';
			en = 'Today\'s service has ended for this ticket. Please come on the day the counter gave you.';
			break;
		case 'ended':
			/* a ticket of an earlier day: numbers start again every day */
			ja = 'この番号札は' + dayJa(st.day) + 'のもので、受付は終わっています。ご用のときは新しい番号札をお取りください。';
			en = 'This ticket is from ' + (st.day || 'an earlier day') + ' and has ended. Please take a new ticket.';
			break;
		default:
			ja = '状態: ' + st.state;
			en = 'State: ' + st.state;
		}
		$('#state-ja').textContent = ja;
		$('#state-en').textContent = en;
		$('#f-ahead').hidden = !waiting;
		$('#f-wait').hidden = !waiting;
		$('#note').hidden = !waiting;
		$('#ahead').textContent = st.ahead === undefined || st.ahead === null ? '―' : String(st.ahead);
		$('#wait').textContent = st.wait_min === undefined || st.wait_min === null ? '―' : String(st.wait_min);
		var called = st.state === 'called' || st.state === 'serving';
		var nearAt = typeof st.near_ahead === 'number' ? st.near_ahead : 3;
		var near = waiting && nearAt > 0 && typeof st.ahead === 'number' && st.ahead <= nearAt;
		if (near) {
			ja = 'まもなく順番です。窓口の近くでお待ちください';
			en = 'Your turn is near. Please wait near the counter';
			$('#state-ja').textContent = ja;
			$('#state-en').textContent = en;
		}
		document.body.className = 'state-' + st.state + (near ? ' near' : '');
		document.title = (st.state === 'called' ? '【呼び出し】' : near ? '【まもなく】' : '') +
		    st.number + ' ' + ja + ' - 旭市役所';
		/* an appointment's ticket: its slot */
		$('#appt').hidden = !st.appointment_time;
		$('#appt').textContent = st.appointment_time ? '予約 ' + st.appointment_time + ' / Appointment ' + st.appointment_time : '';
		/* one number for the whole visit: where it waits now, and after */
		var visit = st.visit && st.visit.length && (waiting || st.state === 'away') ? st.visit : null;
		$('#visit').hidden = !visit;
		$('#visit').textContent = visit ? 'この番号のまま順に回ります: ' + visit.map(function (v) {
			return '窓口' + v.counters.replace(/,/g, '・');
		}).join(' → ') + ' / One number for your whole visit: counter ' + visit.map(function (v) {
			return v.counters.replace(/,/g, ' or ');
		}).join(', then ') : '';
		$('#alert-ask').hidden = !(waiting && p.alert === null);
		$('#leave').hidden = !waiting || p.confirming;
		$('#confirm-cancel').hidden = !(waiting || st.state === 'away') || !p.confirming;
		$('#back').hidden = st.state !== 'away' || p.confirming;
		$('#away-note').textContent = st.away_until ? 'あとで戻る: ' + st.away_until + 'まで順番を取っておきます / We keep your place until ' + st.away_until : '';
		$('#alert-on').hidden = !((waiting || called) && p.alert === true);
		if (!prev || prev.state !== st.state || prev.counter !== st.counter) {
			p.changes.push({ state: st.state, counter: st.counter, at: Date.now() });
			if (p.alert !== true && prev && called && navigator.vibrate) {
				try { navigator.vibrate([300, 150, 300]); } catch (e) { /* not allowed */ }
			}
		}
		if (p.alert === true) {
			if (near && !p.alerted.near) {
				p.alerted.near = true;
				alertNow('near', st, 'まもなく順番です');
			}
			if (called && !p.alerted.called) {
				p.alerted.called = true;
				alertNow('called', st, ja);
			}
		}
		p.updatedAt = Date.now();
		$('#updated').textContent = K.hhmm(new Date().toISOString()) + ' 更新 / updated';
	}

	/* How long until the next poll. */
	function pollDelay() {
		var st = p.st;
		if (st && (st.state === 'done' || st.state === 'no_show' || st.state === 'cancelled' ||
		    st.state === 'carried_over' || st.state === 'ended')) return 60000;
		if (p.live) return 30000;                    /* the stream tells us */
		if (!st) return 3000;
		if (st.state === 'called' || st.state === 'serving') return 5000;
		/* without the stream: next in line asks every second (well
		 * inside server.status_rate_per_min), others less often */
		if (st.ahead <= 0) return 1000;
		if (st.ahead <= 2) return 2500;
		if (st.ahead <= 5) return 5000;
		return 10000;
	}

	function schedule(ms) {
		clearTimeout(p.timer);
		var wait = Math.max(ms, p.backoffUntil - Date.now());
		p.timer = setTimeout(refresh, wait);
	}

	function refresh() {
		if (p.inflight) { p.again = true; return; }
		p.inflight = true;
		K.api('GET', '/api/status/' + encodeURIComponent(p.token), { timeoutMs: 8000 }).then(function (r) {
			problem('');
			render(r.data || {});
		}, function (e) {
			if (e.status === 404) { notFound(); p.dead = true; return; }
			if (e.status === 429) {
				p.backoffUntil = Date.now() + 15000;
				problem('アクセスが集中しています。少し待ってから更新します。', 'Busy: retrying shortly.');
				return;
			}
			if (e.status === 400) { notFound(); p.dead = true; return; }
			problem('サーバーに接続できません。自動で再試行します。', 'Cannot reach the server; retrying.');
		}).then(function () {
			p.inflight = false;
			if (p.dead) return;
			if (p.again) { p.again = false; schedule(0); return; }
			schedule(pollDelay());
		});
	}

	/* An event about some ticket: ours is updated at once; others in our
	 * service may change the people ahead, so refresh a little later
	 * (spread over 2 s so hundreds of phones do not ask at one instant). */
	function onEvent(data, ev, name) {
		if (!data || !p.st) return;
		if (data.number && data.number === p.st.number) {
			if (name === 'recalled')
				p.alerted.called = false;      /* alert again */
			if ((name === 'called' || name === 'recalled') && data.counter) {
				var st = {};
				for (var k in p.st) st[k] = p.st[k];
				st.state = 'called';
				st.counter = data.counter;
				render(st);
			}
			schedule(0);
			return;
		}
		var svc = data.service || (data.number ? String(data.number).charAt(0) : '');
		/* a transferred ticket keeps its number but waits in another line */
		var mine = p.st.service || String(p.st.number).charAt(0);
		if (p.st.state === 'waiting' && svc === mine &&
		    (name === 'called' || name === 'transferred' || name === 'no_show' || name === 'issued' ||
		     name === 'away' || name === 'back' || name === 'cancelled' || name === 'next_step'))
			schedule(Math.random() * 2000);
	}

	function startStream() {
		p.stream = K.stream('/api/status/' + encodeURIComponent(p.token) + '/events', {
			state: function (s, failures) {
				var was = p.live;
				p.live = s === 'open';
				if (p.live) p.everOpen = true;
				if (p.live && !was) schedule(0);      /* catch up after a gap */
				if (!p.live && !p.everOpen && failures >= 2 && p.stream) {
					/* not allowed to listen here (or no stream):
					 * polling alone from now on */
					p.stream.close();
					p.stream = null;
					p.live = false;
					schedule(pollDelay());
				}
			},
			called: onEvent,
			recalled: onEvent,
			done: onEvent,
			no_show: onEvent,
			transferred: onEvent,
			issued: onEvent,
			away: onEvent,
			back: onEvent,
			cancelled: onEvent,
			next_step: onEvent,
			route: onEvent
		}, { events: ['called', 'recalled', 'done', 'no_show', 'transferred', 'issued', 'away', 'back', 'cancelled',
		    'next_step', 'route'] });
	}

	/* "I'll come back later", "I'm back", "cancel": one POST each; the
	 * answer is shown at once and the status re-read */
	function leave(what) {
		if (p.leaving) return;
		p.leaving = true;
		K.api('POST', '/api/status/' + encodeURIComponent(p.token) + '/' + what, { timeoutMs: 8000 }).then(function () {
			problem('');
		}, function (e) {
			if (e.status === 409)
				problem('窓口の職員にお声がけください。', 'Please speak to the counter staff.');
			else
				problem('できませんでした。もう一度お試しください。', 'That did not work. Please try again.');
		}).then(function () {
			p.leaving = false;
			p.confirming = false;
			schedule(0);
		});
	}

	function init() {
		p.token = tokenFromPath();
		if (!TOKEN_RE.test(p.token)) { notFound(); return; }
		loadChoice();
		$('#alert-yes').addEventListener('click', enableAlerts);
		$('#away-btn').addEventListener('click', function () { leave('away'); });
		$('#back-btn').addEventListener('click', function () { leave('back'); });
		$('#cancel-btn').addEventListener('click', function () {
			p.confirming = true;
			if (p.st) render(p.st);
			$('#cancel-no').focus();
		});
		$('#cancel-yes').addEventListener('click', function () { leave('cancel'); });
		$('#cancel-no').addEventListener('click', function () {
			p.confirming = false;
			if (p.st) render(p.st);
		});
		$('#alert-no').addEventListener('click', function () {
			saveChoice(false);
			if (p.st) render(p.st);
		});
		refresh();
		startStream();
		document.addEventListener('visibilitychange', function () {
			if (document.visibilityState === 'visible' && !p.dead) schedule(0);
		});
	}

	window.KioskPhone = p;

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
