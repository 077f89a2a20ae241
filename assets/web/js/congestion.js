/*
 * congestion.js - the public congestion page (/congestion): people waiting
 * now per service and the usual wait by hour for today's weekday, from
 * /api/congestion (no personal data, cached on the server).  Polls every
 * 30 s while visible.  The bar chart is an inline SVG; every bar also has
 * its number in the table below it, so nothing rests on the drawing alone.
 */
(function () {
	'use strict';
	var K = window.Kiosk;
	var WD_JA = ['月', '火', '水', '木', '金', '土', '日'];
	var WD_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
	var SVG = 'http://www.w3.org/2000/svg';
	var timer = null;

	function $(s) { return document.querySelector(s); }
	function el(tag, attrs) {
		var e = document.createElement(tag), i;
		for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
		for (i = 2; i < arguments.length; i++) {
			var c = arguments[i];
			if (c === null || c === undefined) continue;
			e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
		}
		return e;
	}
	function svg(tag, attrs) {
		var e = document.createElementNS(SVG, tag);
		for (var k in attrs) e.setAttribute(k, attrs[k]);
		return e;
	}
	function mins(v) { return v === null || v === undefined ? '―' : String(Math.round(v)); }

	/* bars of the median wait by hour; the current hour in dark ink */
	function chart(hours, nowHour) {
		var w = 320, h = 120, left = 4, bottom = 20, max = 10;
		hours.forEach(function (x) { if (x.wait_median_min > max) max = x.wait_median_min; });
		var s = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img',
		    'aria-label': 'ふだんの待ち時間（時台別）/ usual wait by hour' });
		var slot = (w - left) / Math.max(hours.length, 1);
		hours.forEach(function (x, i) {
			var v = x.wait_median_min, bh = v === null ? 0 : (h - bottom - 14) * v / max;
			var cur = x.hour === nowHour;
			if (v !== null) {
				s.appendChild(svg('rect', { x: left + i * slot + slot * 0.15, y: h - bottom - bh,
				    width: slot * 0.7, height: Math.max(bh, 1), fill: cur ? '#000060' : '#7F8CE0',
				    stroke: '#000060' }));
				var t = svg('text', { x: left + i * slot + slot / 2, y: h - bottom - bh - 3,
				    'text-anchor': 'middle', 'font-size': 11 });
				t.textContent = mins(v);
				s.appendChild(t);
			}
			var l = svg('text', { x: left + i * slot + slot / 2, y: h - 5, 'text-anchor': 'middle',
			    'font-size': 11, 'font-weight': cur ? 700 : 400 });
			l.textContent = x.hour + '時';
			s.appendChild(l);
		});
		return s;
	}

	function qr(q) {
		var box = K.clear($('#qr'));
		if (!q || !q.modules) return;
		var n = q.modules.length, pad = 4;
		var s = svg('svg', { viewBox: '0 0 ' + (n + 2 * pad) + ' ' + (n + 2 * pad),
		    role: 'img', 'aria-label': 'QR: ' + q.url, 'shape-rendering': 'crispEdges' });
		s.appendChild(svg('rect', { x: 0, y: 0, width: n + 2 * pad, height: n + 2 * pad, fill: '#FFFFFF' }));
		var d = '';
		q.modules.forEach(function (row, y) {
			for (var x = 0; x < row.length; x++)
				if (row.charAt(x) === '1') d += 'M' + (x + pad) + ' ' + (y + pad) + 'h1v1h-1z';
		});
		s.appendChild(svg('path', { d: d, fill: '#000000' }));
		box.appendChild(s);
		$('#qr-url').textContent = q.url;
	}

	function render(d) {
		var nowHour = Number((d.now || '').substr(11, 2));
		var wd = (d.weekday || 1) - 1;
		$('#site').textContent = d.site || '';
		$('#wd-ja').textContent = WD_JA[wd] + '曜日';
		$('#wd-en').textContent = WD_EN[wd] + 's';
		var box = K.clear($('#services'));
		(d.services || []).forEach(function (sv) {
			var typ = sv.typical || [];
			var tbody = el('tbody');
			typ.forEach(function (x) {
				tbody.appendChild(el('tr', x.hour === nowHour ? { class: 'current' } : null,
				    el('th', { scope: 'row' }, x.hour + ':00–'),
				    el('td', null, x.wait_median_min === null ? '―' : '約' + mins(x.wait_median_min) + '分'),
				    el('td', null, x.wait_p90_min === null ? '―' : mins(x.wait_p90_min) + '分')));
			});
			box.appendChild(el('section', { class: 'svc', 'data-letter': sv.letter,
			    'aria-labelledby': 'h-' + sv.letter },
			    el('h2', { id: 'h-' + sv.letter }, el('span', { class: 'letter' }, sv.letter), sv.name),
			    el('dl', { class: 'now' },
			        el('div', null, el('dt', null, el('span', { class: 'ja' }, 'いま待っている人'),
			            el('span', { class: 'en', lang: 'en' }, 'Waiting now')),
			            el('dd', null, el('span', { class: 'waiting' }, String(sv.waiting)), el('span', { class: 'unit' }, '人'))),
			        el('div', null, el('dt', null, el('span', { class: 'ja' }, 'いちばん長い待ち'),
			            el('span', { class: 'en', lang: 'en' }, 'Longest wait now')),
			            el('dd', null, el('span', { class: 'oldest' }, String(sv.oldest_wait_min)), el('span', { class: 'unit' }, '分')))),
			    el('div', { class: 'typ' },
			        el('h3', null, el('span', { class: 'ja' }, 'ふだんの待ち時間（' + WD_JA[wd] + '曜日）'),
			            el('span', { class: 'en', lang: 'en' }, 'Usual wait on ' + WD_EN[wd] + 's')),
			        typ.length ? chart(typ, nowHour) : el('p', null, 'まだデータがありません / no data yet'),
			        typ.length ? el('table', null,
			            el('thead', null, el('tr', null, el('th', { scope: 'col' }, '時間 / hour'),
			                el('th', { scope: 'col' }, '半数はこれ以内 / median'),
			                el('th', { scope: 'col' }, '9割はこれ以内 / 90 %'))),
			            tbody) : null)));
		});
		$('#basis').textContent = '過去' + d.history_weeks + '週間の' + WD_JA[wd] + '曜日（' +
		    d.history_days + '日）の実績。' + d.min_tickets + '件未満の時間帯は「―」。 / From the last ' +
		    d.history_weeks + ' weeks (' + d.history_days + ' ' + WD_EN[wd] + 's); "―" where fewer than ' +
		    d.min_tickets + ' tickets.';
		$('#updated').textContent = K.hhmm(d.now) + ' 現在 / as of ' + K.hhmm(d.now);
		qr(d.qr);
	}

	function refresh() {
		clearTimeout(timer);
		return K.api('GET', '/api/congestion').then(function (r) {
			$('#problem').hidden = true;
			render(r.data);
		}, function (e) {
			var p = $('#problem');
			p.hidden = false;
			p.textContent = '混雑状況を読み込めません / cannot load: ' + K.errorText(e);
		}).then(function () {
			timer = setTimeout(function () {
				if (document.visibilityState !== 'hidden') refresh();
				else timer = setTimeout(refresh, 30000);
			}, 30000);
		});
	}

	function start() {
		$('#print').addEventListener('click', function () { window.print(); });
		refresh();
	}
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
