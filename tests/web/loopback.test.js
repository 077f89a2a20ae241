/*
 * loopback.test.js - the pages on a server with no tokens, as `make run`
 * starts it (loopback callers only): the staff console signs in with an
 * empty token, and the phone page follows the event stream (not polling).
 * Env: WEB_BASE, WEB_SHOTS.  Started by tests/e2e/web.sh.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.WEB_LOOPBACK_BASE;
const SHOTS = process.env.WEB_SHOTS;
let browser;

async function post(p, body) {
	const r = await fetch(BASE + p, { method: 'POST', headers: { 'Content-Type': 'application/json' },
	    body: JSON.stringify(body) });
	return { status: r.status, data: r.status === 204 ? null : await r.json() };
}

before(async () => {
	if (!BASE) throw new Error('WEB_LOOPBACK_BASE is not set (run tests/e2e/web.sh)');
	browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
	    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
	        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'] });
});

after(async () => { if (browser) await browser.close(); });

test('loopback without tokens: the staff console signs in with an empty token', async () => {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
	const page = await ctx.newPage();
	await page.goto(BASE + '/staff');
	/* the counter list comes from the server before signing in */
	await page.waitForFunction(() => document.querySelectorAll('#counter option').length === 7, null, { timeout: 5000 });
	await page.locator('#counter').selectOption('5');
	await page.locator('#signin-btn').click();
	await page.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await page.locator('#counter-label').innerText(), /5番窓口.*マイナンバーカード/);
	await page.waitForFunction(() => /ライブ更新中/.test(document.querySelector('#live').textContent), null, { timeout: 5000 });
	await page.screenshot({ path: path.join(SHOTS, 'staff-loopback.png') });
	await ctx.close();
});

test('loopback without tokens: the phone page follows the event stream', async () => {
	const t = await post('/api/tickets', { procedure: 'mynumber_card', lang: 'ja', answers: { what: 'receive' },
	    flags: { card: false, assist: false, priority: false } });
	assert.equal(t.status, 201, JSON.stringify(t.data));
	const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await ctx.newPage();
	await page.goto(BASE + '/t/' + t.data.token);
	await page.waitForFunction(() => window.KioskPhone && window.KioskPhone.live && window.KioskPhone.st, null, { timeout: 5000 });
	/* with the stream up the page polls only every 30 s: the update must come from the stream */
	const t0 = Date.now();
	const c = await post('/api/counters/5/call', {});
	assert.equal(c.status, 200, JSON.stringify(c.data));
	await page.waitForFunction(() => window.KioskPhone.st.state === 'called', null, { timeout: 3000 });
	const at = await page.evaluate(() => window.KioskPhone.changes.find((x) => x.state === 'called').at);
	console.log(`# phone page updated through the event stream ${at - t0} ms after the call`);
	assert.ok(at - t0 < 1000, `updated after ${at - t0} ms`);
	assert.match(await page.locator('#state-ja').innerText(), /5番窓口へ\u200b?お越しください/);
	await page.screenshot({ path: path.join(SHOTS, 'phone-called-360.png') });
	await ctx.close();
});
