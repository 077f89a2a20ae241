/*
 * staff.js - the counter staff console (/staff).
 *
 * Sign in with the staff token (kept in sessionStorage only, sent as
 * "Authorization: Bearer"), pick the counter, then call, recall, mark
 * no-show, finish or transfer tickets.  The called ticket's application
 * (personal data) lives only in this page's memory and DOM: it is wiped
 * when the ticket is finished, no-show or transferred, and on sign-out.
 */
(function () {
	'use strict';

	var K = window.Kiosk, $ = K.$, el = K.el;
	var SS_TOKEN = 'kiosk.staff.token', SS_COUNTER = 'kiosk.staff.counter',
	    SS_TICKET = 'kiosk.staff.ticket', SS_STAFF = 'kiosk.staff.id';

	var STATE_TEXT = {
		waiting: '待ち', called: '呼出中', serving: '対応中', done: '完了',
		no_show: '不在', transferred: '転送済', away: '離席中', cancelled: '取消'
	};
	var ARRIVAL_TEXT = { early: '早めに来庁', on_time: '時間どおり', late: '遅れて来庁' };
	var APPT_STATE_TEXT = { booked: '予約中', checked_in: '受付済', no_show: '来庁なし', cancelled: '取消' };
	/* Alert kinds (docs/counter-operations.md): a title, and what the
	 * kiosk (k), ticket number (n) and detail (d) say. */
	var ALERT_TEXT = {
		resident: ['お手伝いの依頼', function (a) { return a.kiosk + ' でお客様がお手伝いを求めています'; }],
		card_last_try: ['カード 暗証番号の残り1回', function (a) { return a.kiosk + ' のお客様のカードは暗証番号があと1回で停止します。窓口で読み取ってください'; }],
		card_blocked: ['カード 暗証番号ロック', function (a) { return a.kiosk + ' のお客様のカードは暗証番号がロックされています（初期化は窓口で）'; }],
		card_reader: ['カードリーダーの異常', function (a) { return a.kiosk + ' のカードリーダーが使えません（抜けている・サービス停止）'; }],
		printer: ['プリンター: 番号札を印刷できませんでした', function (a) { return a.kiosk + (a.number ? ' で ' + a.number + ' を' : ' で番号札を') + '印刷できませんでした' + (a.detail ? '（' + a.detail + '）' : '') + '。再発行してください'; }],
		printer_paper: ['プリンター用紙切れ', function (a) { return a.kiosk + ' のプリンターが用紙切れです。次の発券の前に補充してください'; }],
		paper_low: ['用紙の残りわずか', function (a) { return a.kiosk + ' の用紙が残りわずかです'; }],
		printer_offline: ['プリンターの異常', function (a) { return a.kiosk + ' のプリンターが使えません' + (a.detail ? '（' + a.detail + '）' : '（カバー開き・オフライン）'); }],
		server_link: ['サーバーとの通信断', function (a) { return a.kiosk + ' がサーバーと通信できない時間がありました' + (a.detail ? '（' + a.detail.replace(/^down_(\d+)s$/, '約$1秒') + '）' : ''); }],
		kiosk_silent: ['キオスク応答なし', function (a) { return a.kiosk + ' から連絡がありません（電源・ネットワークを確認してください）'; }],
		appointment_closed: ['予約の方: 窓口が開いていません', function (a) { return (a.number ? a.number + ' の' : '') + '予約の方が受付しましたが、' + (a.detail ? a.detail.replace(/^service_/, '') + ' の' : 'この業務の') + '窓口がどこも開いていません。窓口を開けるか、ご案内してください'; }]
	};

	var s = {
		token: '',
		counter: 0,
		services: [],      /* from /api/queue */
		ticket: null,      /* the current ticket T (with its application) */
		busy: false,       /* a request is in flight: every action waits */
		stream: null,
		live: false,
		pollTimer: null,
		queueTimer: null,
		statsTimer: null,
		revealMyNumber: false,
		alerts: {}         /* open alerts by id, as GET /api/alerts gives them */
	};

	/* ---- helpers -------------------------------------------------------- */

	function ssGet(k) { try { return sessionStorage.getItem(k); } catch (e) { return null; } }
	function ssSet(k, v) {
		try {
			if (v === null) sessionStorage.removeItem(k);
			else sessionStorage.setItem(k, v);
		} catch (e) { /* private mode: keep in memory only */ }
	}

	function api(method, path, body) {
		return K.api(method, path, { token: s.token, body: body });
	}

	/* A staff action (call, recall, done, ...) with a request id: when the
	 * answer is lost (network, server restart) it goes again with the same
	 * id, and the server answers the first result instead of acting twice
	 * (a lost answer to 呼出 never calls a second ticket). */
	function newRequestId() {
		var b = new Uint8Array(12);
		if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
		else for (var i = 0; i < b.length; i++) b[i] = Math.floor(Math.random() * 256);
		return 'c' + s.counter + '-' + Array.prototype.map.call(b, function (x) {
			return (x < 16 ? '0' : '') + x.toString(16);
		}).join('');
	}

	function action(path, body) {
		body = Object.assign({}, body || {}, { request_id: newRequestId() });
		if (s.staff && body.staff === undefined) body.staff = s.staff;
		var tries = 0;
		function go() {
			return api('POST', path, body).catch(function (e) {
				/* no answer: the action may or may not have happened;
				 * only the same request id may ask again */
				if ((e.status === 0 || e.status === 502 || e.status === 503) && ++tries <= 4) {
					actionMsg('warning', 'サーバーの応答を待っています（再送 ' + tries + '回目）');
					return new Promise(function (res) { setTimeout(res, 500 * tries); }).then(go);
				}
				throw e;
			});
		}
		return go();
	}

	function showMsg(box, kind, text) {
		if (!text) { box.hidden = true; box.textContent = ''; return; }
		box.className = 'msg ' + kind;
		box.textContent = text;
		box.hidden = false;
	}
	function actionMsg(kind, text) { showMsg($('#action-msg'), kind, text); }

	function ticketActive(t) {
		return !!t && (t.state === 'called' || t.state === 'serving');
	}

	function serviceName(letter) {
		for (var i = 0; i < s.services.length; i++)
			if (s.services[i].letter === letter) return s.services[i].name;
		return '';
	}

	function counterServices(n) {
		return s.services.filter(function (sv) {
			return (sv.counters || []).indexOf(n) >= 0;
		});
	}

	/* ---- sign in -------------------------------------------------------- */

	function fillCounterSelect(sel, selected) {
		K.clear(sel);
		var seen = {}, list = [];
		s.services.forEach(function (sv) {
			(sv.counters || []).forEach(function (c) {
				if (!seen[c]) { seen[c] = []; list.push(c); }
				seen[c].push(sv.letter + ' ' + sv.name);
			});
		});
		if (!list.length)
			for (var i = 1; i <= 20; i++) { list.push(i); seen[i] = []; }
		list.sort(function (a, b) { return a - b; });
		list.forEach(function (c) {
			var label = c + '番窓口' + (seen[c].length ? '（' + seen[c].join('・') + '）' : '');
			sel.appendChild(el('option', { value: String(c), selected: c === selected }, label));
		});
	}

	function signIn(token, counter, quiet) {
		s.token = token;
		/* /api/queue also takes kiosk and display tokens: check the
		 * staff role with a staff-only call first */
		return K.api('GET', '/api/stats?date=' + K.todayJst(), { token: token }).then(function () {
			return K.api('GET', '/api/queue', { token: token });
		}).then(function (r) {
			s.services = (r.data && r.data.services) || [];
			if (!counter || !counterServices(counter).length && s.services.length) {
				/* the counter is not in this server's service list */
				if (!quiet)
					throw new K.ApiError(400, 'BAD_COUNTER', counter + '番窓口はこのサーバーの業務設定にありません');
				return false;
			}
			s.counter = counter;
			s.staff = ssGet(SS_STAFF) || '';
			ssSet(SS_TOKEN, token);
			ssSet(SS_COUNTER, String(counter));
			enterConsole();
			return true;
		});
	}

	function onSignInSubmit(ev) {
		ev.preventDefault();
		var token = $('#token').value.trim();
		var counter = parseInt($('#counter').value, 10);
		var who = $('#staff-id').value.trim();
		var btn = $('#signin-btn');
		if (btn.disabled) return;
		if (who && !/^[A-Za-z0-9._-]{1,32}$/.test(who)) {
			showMsg($('#signin-error'), 'error', '職員IDは半角の英数字と . _ - で32文字までです');
			$('#staff-id').focus();
			return;
		}
		ssSet(SS_STAFF, who || null);
		btn.disabled = true;
		showMsg($('#signin-error'), 'error', '');
		signIn(token, counter, false).catch(function (e) {
			s.token = '';
			var t = K.errorText(e);
			if (e.status === 401 || e.status === 403)
				t = 'トークンが正しくありません。入力し直してください（' + e.code + '）';
			showMsg($('#signin-error'), 'error', t);
			$('#token').focus();
		}).then(function () { btn.disabled = false; });
	}

	function signOut() {
		if (s.stream) s.stream.close();
		s.stream = null;
		clearInterval(s.pollTimer);
		s.token = '';
		wipeTicket();
		Object.keys(s.alerts).forEach(dropAlert);
		ssSet(SS_TOKEN, null);
		ssSet(SS_TICKET, null);
		$('#console').hidden = true;
		$('#signout').hidden = true;
		$('#where').hidden = true;
		$('#live').hidden = true;
		$('#sound-on').hidden = true;
		$('#signin').hidden = false;
		$('#token').value = '';
		$('#token').focus();
	}

	/* ---- console -------------------------------------------------------- */

	function enterConsole() {
		$('#signin').hidden = true;
		$('#console').hidden = false;
		$('#signout').hidden = false;
		$('#where').hidden = false;
		var names = counterServices(s.counter).map(function (sv) { return sv.name; });
		$('#counter-label').textContent = s.counter + '番窓口' + (names.length ? '　' + names.join('・') : '');
		document.title = s.counter + '番窓口 - 窓口コンソール';
		fillTransferServices();
		renderQueue();
		refreshStats();
		refreshAlerts();
		restoreTicket();
		syncCounter();
		startStream();
		clearInterval(s.pollTimer);
		/* a slow safety net even with the live stream; faster without it */
		s.pollTimer = setInterval(function () {
			if (!s.live || Date.now() - (s.lastQueue || 0) > 30000) refreshQueue();
			/* the no-show sweep runs on listing: once a minute */
			if (Date.now() - (s.lastAppts || 0) > 60000) refreshAppts();
		}, 5000);
		refreshAppts();
		fillApptProcedures();
		updateButtons();
		K.sound.unlock();
		setTimeout(function () {
			var st = K.sound.state();
			$('#sound-on').hidden = st === 'running' || st === 'none';
		}, 300);
		$('#b-call').focus();
	}

	/* What this counter serves, from the server (GET /api/counters/{n}):
	 * after a sign-in, a reload or a reconnect the console shows the ticket
	 * it holds, with its application, even when this page never knew it
	 * (a lost answer, another browser). */
	function syncCounter() {
		return api('GET', '/api/counters/' + s.counter).then(function (r) {
			var list = (r.data && r.data.tickets) || [];
			if (s.busy) return;
			if (list.length) {
				var t = list[0];
				if (!s.ticket || s.ticket.id !== t.id || !ticketActive(s.ticket)) {
					s.ticket = t;
					renderTicket();
					actionMsg('warning', 'この窓口は ' + t.number + ' を' + (STATE_TEXT[t.state] || t.state) + 'です');
				} else if (s.ticket.application === undefined) {
					s.ticket = t;
					renderTicket();
				}
			} else if (s.ticket && ticketActive(s.ticket)) {
				actionMsg('warning', s.ticket.number + ' はもうこの窓口の対応中ではありません');
				s.ticket = null;
				renderTicket();
			}
		}, function () { /* the stream's reconnect tries again */ });
	}

	/* After a reload: the ticket this counter had open comes back from
	 * the server (GET /api/tickets/{id}) with its application; only its
	 * id and number were kept in sessionStorage. */
	function restoreTicket() {
		var raw = ssGet(SS_TICKET), t = null;
		try { t = raw ? JSON.parse(raw) : null; } catch (e) { t = null; }
		if (!t || !t.id || !t.number || t.counter !== s.counter) {
			ssSet(SS_TICKET, null);
			renderTicket();
			return;
		}
		s.ticket = { id: t.id, number: t.number, state: t.state || 'called',
		    procedure_name: t.procedure_name || '', application: undefined };
		renderTicket();
		api('GET', '/api/tickets/' + encodeURIComponent(t.id)).then(function (r) {
			var nt = r.data && r.data.ticket;
			if (!s.ticket || s.ticket.id !== t.id) return;
			if (nt && ticketActive(nt) && nt.counter === s.counter) {
				s.ticket = nt;
			} else {
				s.ticket = null;
				actionMsg('warning', t.number + ' はもう対応中ではありません');
			}
			renderTicket();
		}, function () { /* keep the number; the buttons still work */ });
	}

	function keepTicket() {
		var t = s.ticket;
		if (!ticketActive(t)) { ssSet(SS_TICKET, null); return; }
		ssSet(SS_TICKET, JSON.stringify({ id: t.id, number: t.number, state: t.state,
		    counter: s.counter, procedure_name: t.procedure_name || '' }));
	}

	function refreshQueue() {
		return api('GET', '/api/queue').then(function (r) {
			s.services = (r.data && r.data.services) || [];
			s.lastQueue = Date.now();
			renderQueue();
		}, function (e) {
			if (e.status === 401 || e.status === 403) {
				signOut();
				showMsg($('#signin-error'), 'error', 'サインインし直してください（' + K.errorText(e) + '）');
			}
		});
	}

	function soon(which, fn, ms) {
		if (s[which]) return;
		s[which] = setTimeout(function () { s[which] = null; fn(); }, ms);
	}

	function renderQueue() {
		var body = K.clear($('#queue-body'));
		var mine = counterServices(s.counter).map(function (sv) { return sv.letter; });
		s.services.forEach(function (sv) {
			var serving = (sv.serving || []).map(function (x) {
				return x.number + '（' + x.counter + '番）';
			}).join('、');
			var tr = el('tr', { class: mine.indexOf(sv.letter) >= 0 ? 'mine' : null,
			    'data-letter': sv.letter },
			    el('th', { scope: 'row' }, el('span', { class: 'letter' }, sv.letter), ' ', sv.name,
			        mine.indexOf(sv.letter) >= 0 ? el('span', { class: 'tag' }, '担当') : null),
			    el('td', null, (sv.counters || []).join('・')),
			    el('td', { class: 'n waiting' }, String(sv.waiting) + '人',
			        /* of them, appointments called by their slot */
			        sv.appointments ? el('span', { class: 'appt', title: '予約の方: 予約時刻が近づくと時刻の順に優先して呼出' },
			            '（予約' + sv.appointments + '）') : null,
			        /* residents who stepped out from their phone: their
			         * place is kept, no call takes them until they are back */
			        sv.away ? el('span', { class: 'away', title: '離席中（あとで戻る）: 呼出の対象外、順番は保持' },
			            '＋離席' + sv.away) : null),
			    el('td', { class: 'n' }, sv.waiting ? sv.oldest_wait_min + '分' : '―'),
			    el('td', null, serving || '―'));
			body.appendChild(tr);
		});
		if (!s.services.length)
			body.appendChild(el('tr', null, el('td', { colspan: '5' }, '業務の情報がありません')));
		$('#queue-updated').textContent = '（' + K.hhmm(new Date().toISOString()) + ' 更新）';
	}

	function refreshStats() {
		var date = K.todayJst();
		return api('GET', '/api/stats?date=' + date).then(function (r) {
			var body = K.clear($('#stats-body'));
			var list = (r.data && r.data.services) || [];
			var tot = { issued: 0, served: 0, no_show: 0 };
			list.forEach(function (x) {
				tot.issued += x.issued || 0;
				tot.served += x.served || 0;
				tot.no_show += x.no_show || 0;
				body.appendChild(el('tr', null,
				    el('th', { scope: 'row' }, el('span', { class: 'letter' }, x.letter), ' ', serviceName(x.letter)),
				    el('td', { class: 'n' }, String(x.issued || 0)),
				    el('td', { class: 'n' }, String(x.served || 0)),
				    el('td', { class: 'n' }, String(x.no_show || 0)),
				    el('td', { class: 'n' }, minutes(x.wait_median_min)),
				    el('td', { class: 'n' }, minutes(x.service_median_min))));
			});
			body.appendChild(el('tr', { class: 'total' },
			    el('th', { scope: 'row' }, '合計'),
			    el('td', { class: 'n' }, String(tot.issued)),
			    el('td', { class: 'n' }, String(tot.served)),
			    el('td', { class: 'n' }, String(tot.no_show)),
			    el('td', { class: 'n' }, ''), el('td', { class: 'n' }, '')));
			$('#stats-date').textContent = '（' + (r.data && r.data.date || date) + '）';
			renderAccuracy((r.data && r.data.accuracy) || []);
			renderStaffing(r.data && r.data.staffing);
		}, function (e) {
			var body = K.clear($('#stats-body'));
			body.appendChild(el('tr', null, el('td', { colspan: '6' }, '実績を読み込めません: ' + K.errorText(e))));
		});
	}

	/* estimate accuracy of the day: per service, all hours then each hour */
	function renderAccuracy(list) {
		var body = K.clear($('#acc-body'));
		function row(label, x, cls) {
			var p = x.promised, n = x.naive, c = x.current_formula;
			body.appendChild(el('tr', cls ? { class: cls } : null,
			    el('th', { scope: 'row' }, label),
			    el('td', { class: 'n' }, String((p || n).tickets)),
			    el('td', { class: 'n' }, p ? minutes(p.mae_min) : '―'),
			    el('td', { class: 'n' }, p ? signed(p.bias_min) : '―'),
			    el('td', { class: 'n' }, p ? Math.round(p.within5_share * 100) + '%' : '―'),
			    el('td', { class: 'n' }, n ? minutes(n.mae_min) : '―'),
			    el('td', { class: 'n' }, c ? minutes(c.mae_min) : '―')));
		}
		list.forEach(function (s) {
			if (!s.all) return;
			row(s.letter + ' ' + serviceName(s.letter) + '（終日）', s.all, 'total');
			(s.hours || []).forEach(function (h) { row(s.letter + ' ' + h.hour + '時台', h); });
		});
		if (!body.firstChild)
			body.appendChild(el('tr', null, el('td', { colspan: '7' }, 'まだ呼び出した番号がありません')));
	}

	function signed(v) {
		if (v === null || v === undefined) return '―';
		var r = Math.round(Number(v) * 10) / 10;
		return (r > 0 ? '+' : '') + r + '分';
	}

	/* counters needed: weekday x hour per service, over the configured */
	function renderStaffing(sf) {
		var box = K.clear($('#staff-body'));
		var wd = ['月', '火', '水', '木', '金', '土', '日'];
		if (!sf) return;
		$('#staff-basis').textContent = '（過去' + sf.weeks + '週間・' + Math.round(sf.target_share * 100) +
		    '% を ' + sf.target_wait_min + ' 分以内に呼び出すには）';
		(sf.services || []).forEach(function (s) {
			var lo = 24, hi = -1, rows = [];
			s.grid.forEach(function (r, w) {
				var any = false;
				r.forEach(function (c, h) { if (c) { any = true; lo = Math.min(lo, h); hi = Math.max(hi, h); } });
				if (any) rows.push(w);
			});
			if (!rows.length) return;
			var head = el('tr', null, el('th', { scope: 'col' }, s.letter + '（設定 ' + s.configured + '）'));
			for (var h = lo; h <= hi; h++) head.appendChild(el('th', { scope: 'col' }, h + '時'));
			var tb = el('tbody');
			rows.forEach(function (w) {
				var tr = el('tr', null, el('th', { scope: 'row' }, wd[w]));
				for (var hh = lo; hh <= hi; hh++) {
					var c = s.grid[w][hh];
					tr.appendChild(c ? el('td', { class: c.needed > s.configured ? 'over' : '',
					    title: c.arrivals_per_hour + '人/時' }, String(c.needed)) :
					    el('td', { class: 'none' }, '―'));
				}
				tb.appendChild(tr);
			});
			box.appendChild(el('table', { class: 'heat', 'data-letter': s.letter },
			    el('caption', null, s.letter + ' ' + serviceName(s.letter)), el('thead', null, head), tb));
		});
		if (!box.firstChild)
			box.appendChild(el('p', null, 'まだ実績が足りません（数週間分の記録から計算します）'));
	}

	function minutes(v) {
		if (v === null || v === undefined) return '―';
		return (Math.round(Number(v) * 10) / 10) + '分';
	}

	/* ---- live stream ---------------------------------------------------- */

	function setLive(kind, text) {
		var p = $('#live');
		p.hidden = false;
		p.className = 'live ' + kind;
		p.textContent = text;
	}

	function startStream() {
		if (s.stream) s.stream.close();
		/* EventSource cannot send an Authorization header: the token
		 * goes in the query (the only place it can), over the same
		 * origin.  Without a token (loopback) the plain URL is used. */
		var url = '/api/events' + (s.token ? '?token=' + encodeURIComponent(s.token) : '');
		s.stream = K.stream(url, {
			state: function (st, failures) {
				s.live = st === 'open';
				if (st === 'open') setLive('ok', '● ライブ更新中');
				else if (failures >= 3) setLive('bad', '○ ライブ更新が切れています（5秒ごとに再読込、再接続を試行中）');
				else setLive('warn', '○ 接続中…');
			},
			open: function () { refreshQueue(); refreshAlerts(); syncCounter(); refreshAppts(); soon('statsTimer', refreshStats, 500); },
			issued: onQueueEvent,
			called: onQueueEvent,
			recalled: onQueueEvent,
			done: onQueueEvent,
			no_show: onQueueEvent,
			transferred: onQueueEvent,
			away: onQueueEvent,
			back: onQueueEvent,
			cancelled: onQueueEvent,
			help: onHelp,
			alert_taken: onAlertTaken,
			appointment: function () { soon('apptTimer', refreshAppts, 250); },
			appointment_no_show: function () { soon('apptTimer', refreshAppts, 250); }
		}, { events: ['issued', 'called', 'recalled', 'done', 'no_show', 'transferred',
		    'away', 'back', 'cancelled', 'help', 'alert_taken', 'appointment',
		    'appointment_no_show', 'message'] });
	}

	function onQueueEvent(data, ev, name) {
		soon('queueTimer', refreshQueue, 250);
		/* a check-in or a call changes an appointment's row */
		if (data && data.appointment_time) soon('apptTimer', refreshAppts, 500);
		/* 本日の実績 counts issues too: every change refreshes it */
		soon('statsTimer', refreshStats, name === 'issued' ? 1000 : 3000);
		/* another console (or a second tab) moved our ticket on */
		if (data && s.ticket && data.number === s.ticket.number && !s.busy &&
		    (name === 'done' || name === 'no_show' || name === 'transferred') &&
		    ticketActive(s.ticket)) {
			s.ticket.state = name;
			actionMsg('warning', s.ticket.number + ' は別の画面で「' + STATE_TEXT[name] + '」になりました');
			wipeApplication();
			renderTicket();
		}
	}

	/* ---- alerts: help requests and faults --------------------------------
	 * Alerts are state on the server: every console shows every open one
	 * (GET /api/alerts at sign-in and whenever the stream reconnects) until
	 * one member of staff takes it ("対応します", POST /api/alerts/{id}/take);
	 * then it goes from every console.  A new one plays the alert sound. */

	function staffId() {
		return s.staff || ('counter-' + s.counter);
	}

	function refreshAlerts() {
		return api('GET', '/api/alerts').then(function (r) {
			var list = (r.data && r.data.alerts) || [], seen = {};
			list.forEach(function (a) { seen[a.id] = true; showAlert(a, false); });
			Object.keys(s.alerts).forEach(function (id) {
				if (!seen[id]) dropAlert(id);
			});
		}, function () { /* the stream or the next reconnect tries again */ });
	}

	function onHelp(data) {
		if (!data || !data.id) { refreshAlerts(); return; }
		showAlert(data, true);
	}

	function onAlertTaken(data) {
		if (data && data.id) dropAlert(data.id);
	}

	function dropAlert(id) {
		delete s.alerts[id];
		var box = document.getElementById('alert-' + id);
		if (box) box.remove();
	}

	function showAlert(a, sound) {
		var fresh = !s.alerts[a.id];
		s.alerts[a.id] = a;
		if (!fresh && document.getElementById('alert-' + a.id)) return;
		var kind = a.kind || 'resident';
		var def = ALERT_TEXT[kind] || ['警告（' + kind + '）', function (x) { return x.kiosk + ' から通知がありました'; }];
		var id = 'alert-' + a.id;
		var cls = kind === 'resident' || kind.indexOf('card_') === 0 ? 'help' : 'printer';
		var box = el('div', { class: 'alert ' + cls, role: 'alertdialog', id: id,
		    'aria-labelledby': id + '-t', 'data-kind': kind, 'data-id': String(a.id) },
		    el('p', { class: 'alert-title', id: id + '-t' },
		        el('span', { class: 'alert-icon', 'aria-hidden': 'true' }, '!'), def[0]),
		    el('p', { class: 'alert-text' }, def[1](a)),
		    el('p', { class: 'alert-time' }, K.hhmm(a.at || new Date().toISOString()) + ' 受信'),
		    el('p', { class: 'alert-err', hidden: true }),
		    el('button', { type: 'button', class: 'btn', onclick: function () { takeAlert(a.id, box); } },
		        '対応します'));
		$('#alerts').appendChild(box);
		if (sound && fresh) K.sound.play('alert');
	}

	function takeAlert(id, box) {
		var b = box.querySelector('button');
		b.disabled = true;
		api('POST', '/api/alerts/' + encodeURIComponent(id) + '/take', { staff: staffId() }).then(function () {
			dropAlert(id);
			focusMain();
		}, function (e) {
			if (e.status === 409 || e.status === 404) {
				/* someone else took it first: say who, then let it go */
				actionMsg('warning', K.errorText(e));
				dropAlert(id);
				focusMain();
				return;
			}
			b.disabled = false;
			var p = box.querySelector('.alert-err');
			p.hidden = false;
			p.textContent = '送れませんでした: ' + K.errorText(e);
		});
	}

	function focusMain() {
		var b = $('#b-call');
		if (b && !b.disabled) b.focus();
		else $('#current').focus();
	}

	/* ---- today's appointments -------------------------------------------
	 * GET /api/appointments: time, service, procedure, the code's last two
	 * digits, state, ticket number.  Staff add one (the code made by the
	 * server is shown once, to give the resident) and cancel one not
	 * checked in.  The code never goes in a URL: cancel is by id. */

	function apptMsg(kind, text) { showMsg($('#appt-msg'), kind, text); }

	function refreshAppts() {
		s.lastAppts = Date.now();
		return api('GET', '/api/appointments').then(function (r) {
			renderAppts((r.data && r.data.appointments) || []);
		}, function (e) {
			apptMsg('error', '予約一覧を読み込めません: ' + (e.detail || e.code || e.message));
		});
	}

	function renderAppts(list) {
		var body = K.clear($('#appt-body'));
		$('#appt-count').textContent = list.length ? '（' + list.length + '件）' : '';
		if (!list.length) {
			body.appendChild(el('tr', null, el('td', { colspan: '7', class: 'empty' }, '本日の予約はありません')));
			return;
		}
		list.forEach(function (a) {
			var st = APPT_STATE_TEXT[a.state] || a.state;
			if (a.arrival && ARRIVAL_TEXT[a.arrival]) st += '（' + ARRIVAL_TEXT[a.arrival] + '）';
			var act = el('td');
			if (a.state === 'booked' || a.state === 'no_show') {
				var b = el('button', { type: 'button', class: 'btn secondary small', 'data-appt': String(a.id) }, '取消');
				b.addEventListener('click', function () { cancelAppt(a); });
				act.appendChild(b);
			}
			body.appendChild(el('tr', { class: 'appt-' + a.state, 'data-id': String(a.id) },
				el('td', null, a.time),
				el('td', null, a.service + ' ' + serviceName(a.service)),
				el('td', null, a.procedure_name || a.procedure),
				el('td', { class: 'n' }, '…' + a.code_end),
				el('td', null, st),
				el('td', null, a.number || '―'),
				act));
		});
	}

	function cancelAppt(a) {
		if (!window.confirm(a.time + ' ' + (a.procedure_name || a.procedure) + '（番号末尾 ' + a.code_end + '）の予約を取り消しますか'))
			return;
		api('POST', '/api/appointments/' + a.id + '/cancel', s.staff ? { staff: s.staff } : {}).then(function () {
			apptMsg('ok', a.time + ' の予約（末尾 ' + a.code_end + '）を取り消しました');
			refreshAppts();
		}, function (e) {
			apptMsg('error', '取り消せませんでした: ' + (e.detail || e.code));
			refreshAppts();
		});
	}

	function fillApptProcedures() {
		var sel = $('#appt-proc');
		if (!sel || sel.options.length > 1 || !catalog) return;
		Object.keys(catalog).forEach(function (id) {
			var p = catalog[id];
			if (p.kind === 'consult') return;
			sel.appendChild(el('option', { value: id }, jaText(p.name) + '（' + p.service + '）'));
		});
	}

	function addAppt(ev) {
		ev.preventDefault();
		var body = {
			date: $('#appt-date').value || K.todayJst(),
			time: $('#appt-time').value,
			procedure: $('#appt-proc').value
		};
		var code = $('#appt-code').value.replace(/\s+/g, '');
		if (code) body.code = code;
		if (s.staff) body.staff = s.staff;
		if (!body.time) { apptMsg('error', '時刻を入れてください（例 10:30）'); $('#appt-time').focus(); return; }
		if (!body.procedure) { apptMsg('error', '手続きを選んでください'); $('#appt-proc').focus(); return; }
		api('POST', '/api/appointments', body).then(function (r) {
			var a = r.data || {};
			apptMsg('ok', a.date + ' ' + a.time + ' ' + (a.procedure_name || a.procedure) + ' を予約しました。予約番号: ' + a.code +
			    '（お客様にお伝えください。この画面を離れると末尾2桁しか表示されません）');
			$('#appt-code').value = '';
			refreshAppts();
		}, function (e) {
			apptMsg('error', '予約できませんでした: ' + (e.detail || e.code));
		});
	}

	/* ---- the ticket ----------------------------------------------------- */

	function renderTicket() {
		var t = s.ticket;
		$('#t-number').textContent = t ? t.number : '―';
		var st = $('#t-state');
		if (!t) {
			st.textContent = '呼び出していません';
			st.className = 'state';
		} else {
			var text = STATE_TEXT[t.state] || t.state;
			if (t.transferredTo)
				text = '転送済（' + t.transferredTo + ' ' + serviceName(t.transferredTo) + ' の列へ）';
			if (t.state === 'called' && t.recalls)
				text += '（再呼出 ' + t.recalls + '回）';
			if (t.called_at && ticketActive(t))
				text += '　' + K.hhmm(t.called_at) + ' 呼出';
			st.textContent = text;
			st.className = 'state s-' + t.state;
		}
		var svname = t && t.service && !t.transferredTo ? t.service + ' ' + serviceName(t.service) : '';
		$('#t-proc').textContent = t ? [t.procedure_name || t.procedure || '', svname].filter(Boolean).join(' ／ ') : '';
		var fl = K.clear($('#t-flags'));
		if (t && t.flags) {
			if (t.flags.priority) fl.appendChild(el('li', { class: 'flag priority' }, '優先'));
			if (t.flags.assist) fl.appendChild(el('li', { class: 'flag assist' }, '要支援'));
			if (t.flags.card) fl.appendChild(el('li', { class: 'flag' }, 'カード読取済'));
		}
		if (t && t.appointment)
			fl.appendChild(el('li', { class: 'flag appt' }, '予約 ' + t.appointment.time +
			    (ARRIVAL_TEXT[t.appointment.arrival] ? '（' + ARRIVAL_TEXT[t.appointment.arrival] + '）' : '')));
		if (t && t.lang && t.lang !== 'ja')
			fl.appendChild(el('li', { class: 'flag' }, '言語: ' + t.lang));
		var note = $('#t-note');
		note.hidden = !(t && t.note);
		note.textContent = t && t.note ? '引き継ぎメモ: ' + t.note : '';
		renderVisit(t);
		renderApplication();
		updateButtons();
		keepTicket();
	}

	/* A visit (life event): its steps in order, this counter's first;
	 * staff skip a step still to come or add one at the end. */
	function stepName(ids) {
		return ids.split('+').map(function (id) {
			var p = catalog && catalog[id];
			return p ? jaText(p.name) : id;
		}).join('・');
	}
	function renderVisit(t) {
		var box = $('#t-visit');
		var visit = t && ticketActive(t) && t.visit && t.visit.length ? t.visit : null;
		box.hidden = !visit;
		var ol = K.clear($('#t-visit-steps'));
		if (!visit) return;
		visit.forEach(function (v, i) {
			var li = el('li', { class: i === 0 ? 'now' : null },
			    stepName(v.procedures) + '（窓口' + v.counters.replace(/,/g, '・') + '）' + (i === 0 ? ' ← いまここ' : ''));
			if (i > 0) {
				var b = el('button', { type: 'button', class: 'btn secondary', 'data-skip': v.procedures.split('+')[0] }, '省く');
				b.addEventListener('click', function () { routeChange({ skip: b.getAttribute('data-skip') }, '省く'); });
				li.appendChild(b);
			}
			ol.appendChild(li);
		});
		var sel = K.clear($('#visit-add'));
		Object.keys(catalog || {}).forEach(function (id) {
			var p = catalog[id];
			if (p.kind === 'life_event') return;
			sel.appendChild(el('option', { value: id }, jaText(p.name) + '（' + p.service + '）'));
		});
	}
	function routeChange(body, label) {
		var t = s.ticket;
		if (!ticketActive(t)) return Promise.resolve();
		return act(label, function () {
			return action('/api/tickets/' + encodeURIComponent(t.id) + '/route', body).then(function (r) {
				if (r.data && r.data.ticket) {
					s.ticket.visit = r.data.ticket.visit;
					renderTicket();
				}
				actionMsg('success', t.number + ' の順路' + (body.add ? 'に「' + stepName(body.add) + '」を追加しました' : 'から「' + stepName(body.skip) + '」を省きました'));
			});
		});
	}

	function updateButtons() {
		var active = ticketActive(s.ticket);
		$('#b-call').disabled = s.busy || active;
		$('#b-callnum').disabled = s.busy || active;
		$('#b-recall').disabled = s.busy || !active;
		$('#b-noshow').disabled = s.busy || !active;
		$('#b-done').disabled = s.busy || !active;
		$('#b-transfer').disabled = s.busy || !active;
		$('#b-requeue').disabled = s.busy || !active;
		$('#b-print').disabled = !(active && s.ticket.application);
		document.body.classList.toggle('busy', s.busy);
	}

	/* Run one ticket action; nothing else runs until it ends, so a double
	 * click or a held key cannot call two tickets. */
	function act(label, fn) {
		if (s.busy) return Promise.resolve();
		s.busy = true;
		updateButtons();
		actionMsg('', '');
		return fn().catch(function (e) {
			actionMsg('error', label + 'できませんでした: ' + K.errorText(e));
			if (e.status === 401 || e.status === 403) signOut();
		}).then(function () {
			s.busy = false;
			updateButtons();
		});
	}

	function gotTicket(r, okText) {
		var t = r.data && r.data.ticket;
		if (!t) throw new K.ApiError(r.status, 'BAD_REPLY', 'the reply has no ticket');
		var keepApp = s.ticket && s.ticket.id === t.id && t.application === undefined ?
		    s.ticket.application : undefined;
		s.ticket = t;
		if (keepApp !== undefined) t.application = keepApp;
		if (!ticketActive(t)) wipeApplication();
		renderTicket();
		if (okText) actionMsg('success', okText);
		soon('queueTimer', refreshQueue, 100);
		return t;
	}

	function callNext() {
		if (ticketActive(s.ticket)) {
			actionMsg('warning', '先に 完了・不在・転送 のどれかで ' + s.ticket.number + ' を終えてください');
			return;
		}
		act('呼出', function () {
			return action('/api/counters/' + s.counter + '/call', {}).then(function (r) {
				if (r.status === 204) {
					actionMsg('warning', 'お待ちの方はいません');
					return;
				}
				var t = gotTicket(r, null);
				actionMsg('success', t.number + ' を ' + s.counter + '番窓口に呼び出しました');
				soon('statsTimer', refreshStats, 1000);
			}, heldTicket);
		});
	}

	function normalizeNumber(v) {
		var m = /^\s*([A-Za-z])\s*[-－ー‐]?\s*(\d{1,4})\s*$/.exec(
		    String(v).replace(/[０-９Ａ-Ｚａ-ｚ]/g, function (c) {
			    return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
		    }));
		if (!m) return null;
		var n = m[2];
		while (n.length < 3) n = '0' + n;
		return m[1].toUpperCase() + '-' + n;
	}

	function callNumber(ev) {
		if (ev) ev.preventDefault();
		var input = $('#callnum');
		var num = normalizeNumber(input.value);
		if (!num) {
			actionMsg('error', '番号は「A-023」の形で入力してください（入力: 「' + input.value + '」）');
			input.focus();
			return;
		}
		if (ticketActive(s.ticket)) {
			actionMsg('warning', '先に 完了・不在・転送 のどれかで ' + s.ticket.number + ' を終えてください');
			return;
		}
		act('番号指定呼出', function () {
			return action('/api/counters/' + s.counter + '/call', { number: num }).then(function (r) {
				if (r.status === 204) {
					actionMsg('warning', num + ' は待っていません');
					return;
				}
				var t = gotTicket(r, null);
				input.value = '';
				actionMsg('success', t.number + ' を ' + s.counter + '番窓口に呼び出しました');
			}, heldTicket);
		});
	}

	/* 409 counter_busy: the counter still holds a ticket (a lost answer,
	 * another tab): show it, so it can be recalled, finished or put back. */
	function heldTicket(e) {
		var t = e && e.status === 409 && e.data && e.data.error === 'counter_busy' && e.data.ticket;
		if (!t) throw e;
		s.ticket = t;
		renderTicket();
		actionMsg('warning', 'この窓口は ' + t.number + ' を' + (STATE_TEXT[t.state] || t.state) +
		    'です。再呼出・完了・戻す のどれかを選んでください');
	}

	function ticketStep(step, label, body) {
		var t = s.ticket;
		if (!ticketActive(t)) return Promise.resolve();
		return act(label, function () {
			return action('/api/tickets/' + encodeURIComponent(t.id) + '/' + step, body || {}).then(function (r) {
				var next = step === 'done' && r.data && r.data.ticket && r.data.ticket.state === 'waiting';
				if (next) {
					/* a visit: on to its next step's line, same number */
					r.data.ticket.transferredTo = r.data.ticket.service;
					r.data.ticket.state = 'transferred';
				}
				if (step === 'transfer' && r.data && r.data.ticket) {
					/* the reply is the ticket waiting in its new line:
					 * for this counter it is finished */
					r.data.ticket.transferredTo = r.data.ticket.service || body.service;
					r.data.ticket.state = 'transferred';
				}
				var nt = gotTicket(r, null);
				var msg = {
					recall: nt.number + ' を再呼出しました',
					'no-show': nt.number + ' を不在にしました',
					done: next ? nt.number + ' のこの窓口の手続きを終え、次の ' + nt.service + ' ' + serviceName(nt.service) + ' の列へ送りました'
					    : nt.number + ' を完了にしました',
					requeue: nt.number + ' を待ち列の元の位置に戻しました',
					'carry-over': nt.number + ' を後日対応（繰越）にしました',
					transfer: nt.number + ' を ' + (body && body.service) + ' ' + serviceName(body && body.service) + ' に転送しました'
				}[step];
				actionMsg('success', msg);
				if (step !== 'recall') focusMain();
			});
		});
	}

	/* ---- by number: reprint, priority, carry over ------------------------
	 * Staff name a ticket by its number (the printer alert names it):
	 * reprint it at the kiosk that issued it or on this counter's printer,
	 * mark it priority (or not), or carry it over to another day. */

	function findTicket(num) {
		/* the server finds numbers for calls only: look in today's queue */
		return api('GET', '/api/tickets/by-number/' + encodeURIComponent(num)).then(function (r) {
			return r.data && r.data.ticket;
		});
	}

	function numberOp(ev) {
		if (ev) ev.preventDefault();
		var input = $('#numop');
		var num = normalizeNumber(input.value);
		var what = $('#numop-what').value;
		var box = $('#numop-msg');
		if (!num) {
			showMsg(box, 'error', '番号は「A-023」の形で入力してください（入力: 「' + input.value + '」）');
			input.focus();
			return;
		}
		showMsg(box, '', '');
		findTicket(num).then(function (t) {
			var path = '/api/tickets/' + encodeURIComponent(t.id) + '/';
			if (what === 'reprint-kiosk')
				return action(path + 'reprint', { to: 'kiosk' }).then(function () {
					return t.number + ' の再発行を ' + (t.kiosk || 'キオスク') + ' に送りました（次の通信で印刷）';
				});
			if (what === 'reprint-counter')
				return action(path + 'reprint', { to: 'counter', counter: s.counter }).then(function () {
					return t.number + ' を ' + s.counter + '番窓口のプリンターで再発行しました';
				});
			if (what === 'priority' || what === 'no-priority')
				return action(path + 'priority', { priority: what === 'priority' }).then(function () {
					return t.number + (what === 'priority' ? ' を優先にしました' : ' の優先を外しました');
				});
			if (what === 'carry-over')
				return action(path + 'carry-over', {}).then(function () {
					return t.number + ' を後日対応（繰越）にしました';
				});
			throw new K.ApiError(400, 'BAD_OP', what);
		}).then(function (text) {
			showMsg(box, 'success', text);
			input.value = '';
			soon('queueTimer', refreshQueue, 100);
		}, function (e) {
			showMsg(box, 'error', num + ': ' + K.errorText(e));
		});
	}

	function priorityNext(ev) {
		if (ev) ev.preventDefault();
		var k = $('#prionext-kiosk').value.trim();
		var box = $('#numop-msg');
		if (!/^[A-Za-z0-9._-]{1,63}$/.test(k)) {
			showMsg(box, 'error', 'キオスク名（例 kiosk-1）を入力してください');
			$('#prionext-kiosk').focus();
			return;
		}
		action('/api/kiosks/' + encodeURIComponent(k) + '/priority-next', { priority: true }).then(function () {
			showMsg(box, 'success', k + ' で次に発券される番号札を優先にします（10分以内）');
		}, function (e) {
			showMsg(box, 'error', K.errorText(e));
		});
	}

	/* ---- transfer dialog ------------------------------------------------ */

	function fillTransferServices() {
		var sel = K.clear($('#transfer-service'));
		s.services.forEach(function (sv) {
			sel.appendChild(el('option', { value: sv.letter }, sv.letter + ' ' + sv.name));
		});
	}

	function openTransfer() {
		if (!ticketActive(s.ticket) || s.busy) return;
		fillTransferServices();
		var d = $('#transfer-dialog');
		$('#transfer-what').textContent = s.ticket.number + ' を別の業務の列に移します。';
		var sel = $('#transfer-service');
		/* preselect the first service other than the ticket's own */
		for (var i = 0; i < sel.options.length; i++)
			if (sel.options[i].value !== s.ticket.service) { sel.selectedIndex = i; break; }
		$('#transfer-note').value = '';
		showMsg($('#transfer-error'), 'error', '');
		if (d.showModal) d.showModal(); else d.setAttribute('open', '');
		sel.focus();
	}

	function closeTransfer() {
		var d = $('#transfer-dialog');
		if (d.close) d.close(); else d.removeAttribute('open');
	}

	function onTransferSubmit(ev) {
		ev.preventDefault();
		var svc = $('#transfer-service').value;
		var note = $('#transfer-note').value.trim();
		if (!svc) {
			showMsg($('#transfer-error'), 'error', '転送先の業務を選んでください');
			return;
		}
		if (s.ticket && svc === s.ticket.service) {
			showMsg($('#transfer-error'), 'error', '同じ業務（' + svc + '）には転送できません。別の業務を選んでください');
			return;
		}
		closeTransfer();
		ticketStep('transfer', '転送', { service: svc, note: note });
	}

	/* ---- the application (personal data) -------------------------------- */

	function wipeApplication() {
		if (s.ticket) s.ticket.application = null;
		s.revealMyNumber = false;
		K.clear($('#print-sheet'));
	}

	function wipeTicket() {
		wipeApplication();
		s.ticket = null;
		renderTicket();
	}

	function answerText(v) {
		if (v === true) return 'はい';
		if (v === false) return 'いいえ';
		if (v === null || v === undefined || v === '') return '―';
		if (Array.isArray(v)) return v.map(answerText).join('、');
		if (typeof v === 'object') {
			if ('label' in v && 'value' in v) return answerText(v.label || v.value);
			return Object.keys(v).map(function (k) { return k + ': ' + answerText(v[k]); }).join('、');
		}
		return String(v);
	}

	/* Question and choice texts come from the procedure catalog
	 * (/web/procedures.json) when the server serves it; else the raw ids. */
	var catalog = null;
	function loadCatalog() {
		K.api('GET', '/web/procedures.json', {}).then(function (r) {
			var byId = {};
			((r.data && r.data.procedures) || []).forEach(function (p) { byId[p.id] = p; });
			catalog = byId;
			if (s.ticket && s.ticket.application) renderApplication();
			if (!$('#console').hidden) fillApptProcedures();
		}, function () { catalog = null; });
	}
	function question(procId, k) {
		var p = catalog && catalog[procId];
		var qs = (p && p.questions) || [];
		for (var i = 0; i < qs.length; i++)
			if (qs[i].id === k) return qs[i];
		return null;
	}
	function jaText(t) {
		if (!t) return '';
		if (typeof t === 'string') return t;
		return t.ja || '';
	}
	function answerLabel(k, v) {
		if (v && typeof v === 'object' && !Array.isArray(v) && v.question) return v.question;
		var q = s.ticket && question(s.ticket.procedure, k);
		return q && jaText(q.text) ? jaText(q.text).replace(/[。？?]$/, '') : k;
	}
	function answerShown(k, v) {
		var q = s.ticket && question(s.ticket.procedure, k);
		if (q && q.choices && (typeof v === 'string' || Array.isArray(v))) {
			var ids = Array.isArray(v) ? v : [v];
			return ids.map(function (id) {
				for (var i = 0; i < q.choices.length; i++)
					if (q.choices[i].id === id) return jaText(q.choices[i].text) || id;
				return id;
			}).join('、');
		}
		return answerText(v);
	}

	function maskMyNumber(n) {
		var d = String(n || '').replace(/\D/g, '');
		if (!d) return '';
		return '•••• •••• ' + d.slice(-4);
	}

	function applicationRows(t, forPrint) {
		var app = t.application, rows = [];
		var a = app && app.applicant;
		if (a) {
			var bd = K.parseDate(a.birth);
			rows.push(['氏名', a.name || '―', a.name_kana ? 'ふりがな: ' + a.name_kana : '']);
			rows.push(['住所', a.address || '―', '']);
			rows.push(['生年月日', bd ? K.wareki(bd) + '（' + K.gregorian(bd) + '）' : (a.birth ? a.birth + '（日付として読めません）' : '―'),
			    bd ? K.age(bd) + '歳' : '']);
			rows.push(['性別', K.sexText(a.sex) || '―', '']);
			if (a.mynumber)
				rows.push(['個人番号', s.revealMyNumber && !forPrint ? String(a.mynumber) : maskMyNumber(a.mynumber), 'mynumber']);
		}
		return rows;
	}

	function renderApplication() {
		var box = K.clear($('#app-body'));
		var t = s.ticket;
		K.clear($('#print-sheet'));
		if (!t || !ticketActive(t)) {
			box.appendChild(el('p', { class: 'empty' }, '番号を呼び出すと、キオスクで入力された申請内容がここに表示されます。'));
			return;
		}
		if (t.application === undefined) {
			box.appendChild(el('p', { class: 'empty' }, 'ページを読み込み直したため、申請内容は表示できません（個人情報はブラウザーに保存しません）。'));
			return;
		}
		var app = t.application;
		if (!app) {
			box.appendChild(el('p', { class: 'empty' }, 'この番号には申請内容がありません（カードを使わずに発券されました）。'));
			return;
		}
		var dl = el('table', { class: 'app-table' });
		var tb = el('tbody');
		dl.appendChild(tb);
		applicationRows(t, false).forEach(function (r) {
			var td = el('td', null, r[1]);
			if (r[2] === 'mynumber') {
				td.appendChild(el('button', { type: 'button', class: 'btn secondary small', id: 'b-reveal',
				    onclick: function () { s.revealMyNumber = !s.revealMyNumber; renderApplication();
					    $('#b-reveal').focus(); } },
				    s.revealMyNumber ? '隠す' : '表示'));
			} else if (r[2]) {
				td.appendChild(el('span', { class: 'sub' }, r[2]));
			}
			tb.appendChild(el('tr', null, el('th', { scope: 'row' }, r[0]), td));
		});
		if (!app.applicant)
			tb.appendChild(el('tr', null, el('th', { scope: 'row' }, '申請者'),
			    el('td', null, 'カードの読み取りなし（窓口で確認してください）')));
		var ans = app.answers || {};
		Object.keys(ans).forEach(function (k) {
			tb.appendChild(el('tr', { class: 'answer' }, el('th', { scope: 'row' }, answerLabel(k, ans[k])),
			    el('td', null, answerShown(k, ans[k]))));
		});
		tb.appendChild(el('tr', { class: 'fee' }, el('th', { scope: 'row' }, '手数料合計'),
		    el('td', null, app.fee_yen === null || app.fee_yen === undefined ? '―' : K.yen(app.fee_yen))));
		box.appendChild(dl);
		buildPrintSheet(t);
	}

	function buildPrintSheet(t) {
		var sheet = K.clear($('#print-sheet'));
		var app = t.application;
		var issued = t.issued_at ? new Date(t.issued_at) : new Date();
		sheet.appendChild(el('p', { class: 'ps-draft' }, '下書き'));
		sheet.appendChild(el('h1', null, (t.procedure_name || t.procedure || '申請') + ' 申請書'));
		sheet.appendChild(el('p', { class: 'ps-meta' }, '旭市長 様　　受付番号 ' + t.number +
		    '　受付 ' + K.wareki(K.parseDate(isoDateJst(issued))) + ' ' + K.hhmm(issued.toISOString()) +
		    '　' + s.counter + '番窓口'));
		var tb = el('tbody');
		applicationRows(t, true).forEach(function (r) {
			tb.appendChild(el('tr', null, el('th', null, r[0]),
			    el('td', null, r[1], r[2] && r[2] !== 'mynumber' ? el('span', { class: 'sub' }, '　' + r[2]) : null)));
		});
		if (!app.applicant) {
			['氏名', '住所', '生年月日', '性別'].forEach(function (k) {
				tb.appendChild(el('tr', { class: 'blank' }, el('th', null, k), el('td', null, '')));
			});
		}
		var ans = app.answers || {};
		Object.keys(ans).forEach(function (k) {
			tb.appendChild(el('tr', null, el('th', null, answerLabel(k, ans[k])), el('td', null, answerShown(k, ans[k]))));
		});
		tb.appendChild(el('tr', null, el('th', null, '手数料合計'),
		    el('td', null, app.fee_yen === null || app.fee_yen === undefined ? '' : K.yen(app.fee_yen))));
		sheet.appendChild(el('table', { class: 'ps-table' }, tb));
		sheet.appendChild(el('p', { class: 'ps-decl' }, '上記のとおり申請します。記載の内容に相違ありません。'));
		sheet.appendChild(el('div', { class: 'ps-sign' },
		    el('p', null, '令和　　年　　月　　日'),
		    el('p', { class: 'ps-sign-line' }, '署名（自署）')));
		sheet.appendChild(el('p', { class: 'ps-foot' },
		    'この用紙は受付キオスクで入力・読み取りした内容から作成した下書きです。内容をご確認のうえ、署名してください。'));
	}

	function isoDateJst(d) {
		var j = new Date(d.getTime() + 9 * 3600 * 1000);
		return j.getUTCFullYear() + '-' + K.pad2(j.getUTCMonth() + 1) + '-' + K.pad2(j.getUTCDate());
	}

	function printApplication() {
		if ($('#b-print').disabled) return;
		window.print();
	}

	/* ---- keyboard ------------------------------------------------------- */

	function onKey(ev) {
		if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return;
		if ($('#console').hidden) return;
		var d = $('#transfer-dialog');
		if (d.open) return;
		var tag = (ev.target && ev.target.tagName || '').toLowerCase();
		if (tag === 'input' || tag === 'textarea' || tag === 'select') {
			if (ev.key === 'Escape') ev.target.blur();
			return;
		}
		if (ev.repeat) { ev.preventDefault(); return; }
		var map = {
			KeyN: function () { clickIf('#b-call'); },
			KeyR: function () { clickIf('#b-recall'); },
			KeyA: function () { clickIf('#b-noshow'); },
			KeyD: function () { clickIf('#b-done'); },
			KeyT: function () { clickIf('#b-transfer'); },
			KeyB: function () { clickIf('#b-requeue'); },
			KeyS: function () { $('#callnum').focus(); },
			KeyP: printApplication,
			KeyQ: function () { $('#queue').focus(); }
		};
		var f = map[ev.code];
		if (f) { ev.preventDefault(); f(); }
	}

	function clickIf(sel) {
		var b = $(sel);
		if (b && !b.disabled) b.click();
	}

	/* ---- start ---------------------------------------------------------- */

	function init() {
		$('#signin-form').addEventListener('submit', onSignInSubmit);
		$('#signout').addEventListener('click', signOut);
		$('#b-call').addEventListener('click', callNext);
		$('#b-recall').addEventListener('click', function () { ticketStep('recall', '再呼出'); });
		$('#b-noshow').addEventListener('click', function () { ticketStep('no-show', '不在'); });
		$('#b-done').addEventListener('click', function () { ticketStep('done', '完了'); });
		$('#b-transfer').addEventListener('click', openTransfer);
		$('#b-requeue').addEventListener('click', function () { ticketStep('requeue', '戻す'); });
		$('#numop-form').addEventListener('submit', numberOp);
		$('#prionext-form').addEventListener('submit', priorityNext);
		$('#b-print').addEventListener('click', printApplication);
		$('#callnum-form').addEventListener('submit', callNumber);
		$('#transfer-form').addEventListener('submit', onTransferSubmit);
		$('#appt-form').addEventListener('submit', addAppt);
		$('#visit-add-form').addEventListener('submit', function (ev) {
			ev.preventDefault();
			var id = $('#visit-add').value;
			if (id) routeChange({ add: id }, '追加');
		});
		$('#transfer-cancel').addEventListener('click', function () { closeTransfer(); $('#b-transfer').focus(); });
		document.addEventListener('keydown', onKey);
		loadCatalog();
		/* browsers keep sound off until a click or key on the page:
		 * the first one anywhere allows it; until then a button says so */
		function soundCheck() {
			var st = K.sound.state();
			$('#sound-on').hidden = $('#console').hidden || st === 'running' || st === 'none';
		}
		['pointerdown', 'keydown'].forEach(function (n) {
			document.addEventListener(n, function () {
				K.sound.unlock();
				setTimeout(soundCheck, 300);
			}, { passive: true });
		});
		$('#sound-on').addEventListener('click', function () {
			K.sound.unlock();
			K.sound.play('notice');
			setTimeout(soundCheck, 300);
		});
		setInterval(soundCheck, 5000);
		window.addEventListener('beforeprint', function () {
			if (s.ticket && s.ticket.application) buildPrintSheet(s.ticket);
		});

		var token = ssGet(SS_TOKEN);
		var counter = parseInt(ssGet(SS_COUNTER) || '', 10) || 0;
		/* fill the counter list from the server when it lets us look
		 * (loopback without tokens, or a stored token) */
		K.api('GET', '/api/queue', { token: token || '' }).then(function (r) {
			s.services = (r.data && r.data.services) || [];
		}, function () { /* sign in first */ }).then(function () {
			fillCounterSelect($('#counter'), counter || 1);
			if (token !== null && counter) {
				signIn(token, counter, true).then(function (ok) {
					if (!ok) $('#token').focus();
				}, function () { $('#token').focus(); });
			} else {
				$('#token').focus();
			}
		});
	}

	/* for the browser tests and the console */
	window.KioskStaff = { state: s, normalizeNumber: normalizeNumber };

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
