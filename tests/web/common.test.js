/*
 * common.test.js - the pages' shared helpers (assets/web/js/common.js) in
 * node, without a browser: 和暦 at every era boundary, date checks, sex
 * codes, Japan time, and the chime queue's spacing.
 */
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

/* objects made inside the vm context have its prototypes: compare as JSON or text */

function load() {
	const src = fs.readFileSync(path.join(__dirname, '../../assets/web/js/common.js'), 'utf8');
	const timers = [];
	const ctx = {
		window: {},
		performance: { now: () => ctx.__now },
		setTimeout: (fn, ms) => { timers.push({ fn, at: ctx.__now + ms }); return timers.length; },
		clearTimeout: () => {},
		__now: 0,
		__timers: timers
	};
	vm.createContext(ctx);
	vm.runInContext(src, ctx);
	return { K: ctx.window.Kiosk, ctx };
}

const { K } = load();

test('和暦 at every era boundary', () => {
	const rows = [
		['1868-10-23', '明治元年10月23日'],
		['1912-07-29', '明治45年7月29日'],
		['1912-07-30', '大正元年7月30日'],
		['1926-12-24', '大正15年12月24日'],
		['1926-12-25', '昭和元年12月25日'],
		['1980-04-01', '昭和55年4月1日'],
		['1989-01-07', '昭和64年1月7日'],
		['1989-01-08', '平成元年1月8日'],
		['2019-04-30', '平成31年4月30日'],
		['2019-05-01', '令和元年5月1日'],
		['2026-11-28', '令和8年11月28日']
	];
	for (const [iso, want] of rows)
		assert.equal(K.wareki(K.parseDate(iso)), want, iso);
});

test('dates that do not exist are refused, leap days are not', () => {
	for (const bad of ['1980-02-30', '1981-02-29', '1980-13-01', '1980-4-1', '19800401', '', null, '1980-04-01x'])
		assert.equal(K.parseDate(bad), null, String(bad));
	assert.equal(JSON.stringify(K.parseDate('2000-02-29')), JSON.stringify({ y: 2000, m: 2, d: 29 }));
	assert.equal(K.gregorian(K.parseDate('1980-04-01')), '1980年4月1日');
});

test('age counts whole years up to the birthday', () => {
	const bd = K.parseDate('1980-04-01');
	assert.equal(K.age(bd, new Date(2026, 2, 31)), 45);
	assert.equal(K.age(bd, new Date(2026, 3, 1)), 46);
});

test('sex codes of the card (JIS X 0303) read as words', () => {
	assert.equal(K.sexText('1'), '男');
	assert.equal(K.sexText('2'), '女');
	assert.equal(K.sexText('9'), '適用不能');
	assert.equal(K.sexText('0'), '不明');
	assert.equal(K.sexText(''), '');
	assert.match(K.sexText('7'), /コード 7/);
});

test('times show in Japan time whatever the browser zone', () => {
	assert.equal(K.hhmm('2026-11-28T13:05:00Z'), '22:05');
	assert.equal(K.hhmm('2026-11-28T22:05:00+09:00'), '22:05');
	assert.equal(K.hhmm('not a time'), '');
	assert.equal(K.yen(1200), '1,200円');
	assert.equal(K.yen(null), '');
});

test('chimes queued together start one after the other, never overlapping', () => {
	const { K: K2, ctx } = load();
	const s = K2.sound;
	s.muted = true;          /* no AudioContext in node */
	s.play('call');
	s.play('call');
	s.play('alert');
	/* run the timers in time order */
	for (let guard = 0; guard < 20 && ctx.__timers.length; guard++) {
		ctx.__timers.sort((a, b) => a.at - b.at);
		const t = ctx.__timers.shift();
		ctx.__now = t.at;
		t.fn();
	}
	assert.equal(s.played, 3);
	const starts = s.log.map((x) => x.start);
	assert.ok(starts[1] - starts[0] >= s.duration('call') * 1000 - 1, JSON.stringify(starts));
	assert.ok(starts[2] - starts[1] >= s.duration('call') * 1000 - 1, JSON.stringify(starts));
	assert.equal(s.log.map((x) => x.kind).join(','), 'call,call,alert');
});
