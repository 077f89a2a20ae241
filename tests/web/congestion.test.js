/*
 * congestion.test.js - the public congestion page on a phone and as a
 * printed poster, and the staff console's accuracy and staffing tables,
 * in Debian's chromium.  Started by tests/e2e/web_congestion.sh, which sets
 * WEB_BASE (a server with history and three waiting tickets, no tokens),
 * WEB_SHOTS and WEB_TMP (the poster screenshot goes there for zbarimg).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.WEB_BASE;
const SHOTS = process.env.WEB_SHOTS;
const TMP = process.env.WEB_TMP;
const PERSONAL = ['混雑 確認子', '旭市ハ9999'];
let browser;
let api;

before(async () => {
	if (!BASE) throw new Error('WEB_BASE is not set (run tests/e2e/web_congestion.sh)');
	browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
	    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
	        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'] });
	const r = await fetch(BASE + '/api/congestion');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('cache-control'), /^public, max-age=([1-9]|1[0-5])$/);
	api = await r.json();
});

after(async () => { if (browser) await browser.close(); });

test('/api/congestion: waiting now and typical waits, no personal data', async () => {
	const text = JSON.stringify(api);
	for (const p of PERSONAL) assert.ok(!text.includes(p), `${p} in the answer`);
	assert.doesNotMatch(text, /"token"|"number"|"lang"|"procedure"/);
	const a = api.services.find((s) => s.letter === 'A');
	assert.equal(a.waiting, 3);
	assert.ok(a.typical.length >= 6, 'typical waits for the opening hours: ' + a.typical.length);
	assert.ok(a.typical.every((h) => h.wait_median_min === null || h.tickets >= api.min_tickets));
	/* cached: a second answer within 15 s is the same one */
	const again = await (await fetch(BASE + '/api/congestion')).json();
	assert.equal(again.now, api.now);
});

test('/congestion on a phone shows the numbers of the API', async () => {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP',
	    timezoneId: 'Asia/Tokyo', deviceScaleFactor: 2 });
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(BASE + '/congestion');
	await page.waitForFunction(() => document.querySelector('.svc[data-letter="A"] .waiting'), null, { timeout: 5000 });
	const a = api.services.find((s) => s.letter === 'A');
	assert.equal(await page.locator('.svc[data-letter="A"] .waiting').innerText(), '3');
	const rows = page.locator('.svc[data-letter="A"] tbody tr');
	assert.equal(await rows.count(), a.typical.length);
	for (let i = 0; i < a.typical.length; i++) {
		const h = a.typical[i];
		const cells = await rows.nth(i).locator('td').allInnerTexts();
		assert.equal(cells[0], h.wait_median_min === null ? '―' : '約' + Math.round(h.wait_median_min) + '分');
		assert.equal(cells[1], h.wait_p90_min === null ? '―' : Math.round(h.wait_p90_min) + '分');
	}
	assert.equal(await page.locator('.svc[data-letter="A"] svg rect').count(),
	    a.typical.filter((h) => h.wait_median_min !== null).length);
	const body = await page.content();
	for (const p of PERSONAL) assert.ok(!body.includes(p), `${p} on the page`);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
	const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.now dd')).fontSize));
	assert.ok(size >= 32, `the counts are large (${size} px)`);
	await page.screenshot({ path: path.join(SHOTS, 'congestion-phone.png'), fullPage: true });
	assert.deepEqual(errors, []);
	await ctx.close();
});

test('/congestion printed: a poster with the usual waits and a QR code', async () => {
	const ctx = await browser.newContext({ viewport: { width: 794, height: 1123 }, locale: 'ja-JP',
	    timezoneId: 'Asia/Tokyo' });
	const page = await ctx.newPage();
	await page.goto(BASE + '/congestion');
	await page.waitForFunction(() => document.querySelector('#qr svg path'), null, { timeout: 5000 });
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('#qr-box').isVisible(), true, 'the QR box prints');
	assert.equal(await page.locator('#print').isVisible(), false, 'the button does not');
	assert.equal(await page.locator('#qr-url').innerText(), BASE + '/congestion');
	await page.screenshot({ path: path.join(TMP, 'poster.png'), fullPage: true });
	await page.screenshot({ path: path.join(SHOTS, 'congestion-poster.png'), fullPage: true });
	const pdf = await page.pdf({ format: 'A4' });
	assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-');
	await ctx.close();
});

test('the staff console shows the estimate accuracy and the staffing advice', async () => {
	const stats = await (await fetch(BASE + '/api/stats')).json();
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP',
	    timezoneId: 'Asia/Tokyo' });
	const page = await ctx.newPage();
	await page.goto(BASE + '/staff');
	await page.waitForFunction(() => document.querySelectorAll('#counter option').length > 1, null, { timeout: 5000 });
	await page.locator('#counter').selectOption('1');
	await page.locator('#signin-btn').click();
	await page.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await page.waitForFunction(() => document.querySelector('#staff-body table.heat'), null, { timeout: 5000 });
	const sa = stats.staffing.services.find((s) => s.letter === 'A');
	const wd = new Date(Date.now() + 9 * 3600e3).getUTCDay();      /* 0 = Sunday */
	const row = sa.grid[(wd + 6) % 7];
	const h = row.findIndex((c) => c);
	/* the heat-map cell for today's weekday at the first open hour */
	const wdJa = ['日', '月', '火', '水', '木', '金', '土'][wd];
	const cell = page.locator('#staff-body table.heat[data-letter="A"] tbody tr', { hasText: wdJa })
	    .locator('td').first();
	assert.equal(await cell.innerText(), String(row[h].needed));
	assert.ok(stats.staffing.target_share === 0.8 && stats.staffing.target_wait_min === 10);
	/* nobody called yet today: the accuracy table says so */
	assert.match(await page.locator('#acc-body').innerText(), /まだ呼び出した番号がありません/);
	await fetch(BASE + '/api/counters/1/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
	await page.evaluate(() => window.dispatchEvent(new Event('focus')));
	await page.waitForFunction(() => /終日/.test(document.querySelector('#acc-body').textContent), null, { timeout: 10000 });
	await page.locator('#staffing').screenshot({ path: path.join(SHOTS, 'staff-staffing.png') });
	await ctx.close();
});
