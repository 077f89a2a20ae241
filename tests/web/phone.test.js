/*
 * phone.test.js - "your turn is near" on the phone wait page in Debian's
 * chromium (playwright-core), against a running `kiosk serve` started by
 * tests/e2e/web_phone.sh with server.phone_near_ahead = 2.  Env: WEB_BASE,
 * WEB_SHOTS, WEB_STAFF_TOKEN, WEB_KIOSK_TOKEN.
 *
 * Real calls through the staff API move the queue; the page must alert once
 * at two ahead and once when called (and again on a recall), with a tone,
 * a vibration, its title and a notification; over the event stream and, with
 * the stream refused, by polling alone; never when the resident said no.
 * navigator.vibrate and Notification are wrapped to record their calls (the
 * real Notification is still called); the permission is granted through the
 * browser as a resident's tap would.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (k) => {
	const v = process.env[k];
	if (v === undefined) throw new Error(`${k} is not set (run tests/e2e/web_phone.sh)`);
	return v;
};
const BASE = env('WEB_BASE');
const SHOTS = env('WEB_SHOTS');
const STOK = env('WEB_STAFF_TOKEN');
const KTOK = env('WEB_KIOSK_TOKEN');

let browser;
const pageErrors = [];

async function api(method, p, token, body) {
	const headers = { Accept: 'application/json' };
	if (token) headers.Authorization = 'Bearer ' + token;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const r = await fetch(BASE + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	let data = null;
	try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
	return { status: r.status, data };
}

async function issue() {
	const r = await api('POST', '/api/tickets', KTOK, {
		procedure: 'juminhyo', lang: 'ja', answers: { who: 'self', copies: 1 },
		flags: { card: false, assist: false, priority: false }
	});
	assert.equal(r.status, 201, JSON.stringify(r.data));
	return r.data;
}

async function status(t) {
	const r = await api('GET', '/api/status/' + t.token);
	assert.equal(r.status, 200);
	return r.data;
}

/* Counter 2 calls the next ticket of service A; others are finished at
 * once so that the counter is free for the next call. */
async function callNext(mine) {
	const r = await api('POST', '/api/counters/2/call', STOK, {});
	assert.equal(r.status, 200, 'call: ' + JSON.stringify(r.data));
	const t = r.data.ticket;
	if (t.number !== mine.number) {
		const d = await api('POST', '/api/tickets/' + t.id + '/done', STOK, {});
		assert.equal(d.status, 200, 'done: ' + JSON.stringify(d.data));
	}
	return t;
}

async function phone(name, token, opts) {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	await ctx.grantPermissions(['notifications'], { origin: BASE });
	await ctx.addInitScript(() => {
		window.__shown = [];
		window.__buzz = [];
		const Real = window.Notification;
		function Spy(title, o) {
			window.__shown.push({ title, tag: o && o.tag });
			try { return new Real(title, o); } catch (e) { return { close() {} }; }
		}
		Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
		Spy.requestPermission = (...a) => Real.requestPermission(...a);
		window.Notification = Spy;
		navigator.vibrate = (pattern) => { window.__buzz.push(pattern); return true; };
	});
	const page = await ctx.newPage();
	page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
	if (opts && opts.noStream)
		await page.route('**/events', (route) => route.abort());
	await page.goto(BASE + '/t/' + token);
	await page.waitForFunction(() => window.KioskPhone.st !== null, null, { timeout: 5000 });
	return page;
}

const alerts = (page) => page.evaluate(() => window.KioskPhone.alerts.map((a) => a.kind));

before(async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
		    '--disable-default-apps', '--autoplay-policy=no-user-gesture-required']
	});
});

after(async () => {
	if (browser) await browser.close();
});

/* Calls until `mine' has `want' people ahead (or is called: want < 0). */
async function callUntil(mine, want) {
	let last = null;
	for (let i = 0; i < 20; i++) {
		const st = await status(mine);
		if (want >= 0 ? st.ahead <= want : st.state === 'called') return last;
		last = await callNext(mine);
	}
	throw new Error('the queue did not move');
}

async function runAlerts(name, opts) {
	/* four waiting before ours, whatever the queue held */
	for (let i = 0; i < 4; i++) await issue();
	const mine = await issue();
	const page = await phone(name, mine.token, opts);
	await page.locator('#alert-ask').waitFor({ state: 'visible', timeout: 5000 });
	await page.click('#alert-yes');
	await page.locator('#alert-on').waitFor({ state: 'visible', timeout: 5000 });
	assert.ok(await page.locator('#alert-ask').isHidden(), 'asked once: the question goes away');
	await callUntil(mine, 3);
	await page.waitForTimeout(opts && opts.noStream ? 3000 : 800);
	assert.deepEqual(await alerts(page), [], 'no alert while three are ahead');

	await callUntil(mine, 2);
	await page.waitForFunction(() => window.KioskPhone.alerts.length === 1, null, { timeout: 12000 });
	const near = await page.evaluate(() => ({
		a: window.KioskPhone.alerts[0], title: document.title, shown: window.__shown, buzz: window.__buzz.length,
		secure: window.isSecureContext }));
	assert.equal(near.a.kind, 'near');
	assert.ok(near.a.sound, 'a tone played');
	assert.ok(near.a.vibrate && near.buzz === 1, 'it vibrated once');
	assert.ok(near.secure, 'loopback http is a secure context');
	assert.ok(near.a.notification && near.shown.length === 1, 'one notification: ' + JSON.stringify(near.shown));
	assert.match(near.shown[0].title, new RegExp(mine.number));
	assert.match(near.title, /^【まもなく】/);
	await page.screenshot({ path: path.join(SHOTS, name + '-near.png') });

	await callUntil(mine, 1);
	await page.waitForTimeout(opts && opts.noStream ? 3000 : 800);
	assert.deepEqual(await alerts(page), ['near'], 'the near alert comes once, not at every step');

	const t = await callUntil(mine, -1);
	assert.equal(t.number, mine.number);
	await page.waitForFunction(() => window.KioskPhone.alerts.length === 2, null, { timeout: 12000 });
	const called = await page.evaluate(() => ({ kinds: window.KioskPhone.alerts.map((a) => a.kind),
		title: document.title, shown: window.__shown.length, state: document.querySelector('#state-ja').textContent }));
	assert.deepEqual(called.kinds, ['near', 'called']);
	assert.match(called.title, /^【呼び出し】/);
	assert.match(called.state, /2番窓口へ/);
	assert.equal(called.shown, 2);
	await page.screenshot({ path: path.join(SHOTS, name + '-called.png') });
	return { page, id: t.id };
}

test('alerts at two ahead and when called, over the event stream', async () => {
	const { page, id } = await runAlerts('phone-alert');
	/* a recall alerts again */
	const rc = await api('POST', '/api/tickets/' + id + '/recall', STOK, {});
	assert.equal(rc.status, 200, JSON.stringify(rc.data));
	await page.waitForFunction(() => window.KioskPhone.alerts.length === 3, null, { timeout: 8000 });
	await api('POST', '/api/tickets/' + id + '/done', STOK, {});
	/* asked once: a reload does not ask again */
	await page.reload();
	await page.waitForFunction(() => window.KioskPhone.st !== null, null, { timeout: 5000 });
	assert.ok(await page.locator('#alert-ask').isHidden(), 'no second question after a reload');
	await page.context().close();
});

test('with the event stream refused, polling alone brings the same alerts', async () => {
	const { page, id } = await runAlerts('phone-alert-polling', { noStream: true });
	await api('POST', '/api/tickets/' + id + '/done', STOK, {});
	assert.equal(await page.evaluate(() => window.KioskPhone.live), false, 'the page never had the stream');
	await page.context().close();
});

test('"no thanks" is kept: no alert, no notification, no question again', async () => {
	const mine = await issue();
	const page = await phone('phone-no', mine.token);
	await page.locator('#alert-ask').waitFor({ state: 'visible', timeout: 5000 });
	await page.click('#alert-no');
	assert.ok(await page.locator('#alert-ask').isHidden());
	assert.ok(await page.locator('#alert-on').isHidden());
	const t = await callUntil(mine, -1);
	await page.waitForFunction(() => window.KioskPhone.st.state === 'called', null, { timeout: 12000 });
	assert.deepEqual(await alerts(page), []);
	assert.equal(await page.evaluate(() => window.__shown.length), 0);
	await api('POST', '/api/tickets/' + t.id + '/done', STOK, {});
	await page.reload();
	await page.waitForFunction(() => window.KioskPhone.st !== null, null, { timeout: 5000 });
	assert.ok(await page.locator('#alert-ask').isHidden());
	await page.context().close();
});

test('"I\'ll come back later" keeps the place, "I\'m back" returns to it, cancel asks first', async () => {
	const first = await issue();
	const mine = await issue();
	const page = await phone('phone-leave', first.token);
	await page.locator('#leave').waitFor({ state: 'visible', timeout: 5000 });
	await page.click('#away-btn');
	await page.waitForFunction(() => window.KioskPhone.st.state === 'away', null, { timeout: 8000 });
	assert.match(await page.locator('#state-ja').innerText(), /お戻りをお待ちしています.*23:59までにお戻りください/s);
	assert.ok(await page.locator('#leave').isHidden(), 'no second "come back later" while away');
	await page.locator('#back').waitFor({ state: 'visible' });
	assert.equal((await status(mine)).ahead, 0, 'the one behind moves up while we are away');
	await page.screenshot({ path: path.join(SHOTS, 'phone-away.png') });
	await page.click('#back-btn');
	await page.waitForFunction(() => window.KioskPhone.st.state === 'waiting', null, { timeout: 8000 });
	assert.equal((await status(mine)).ahead, 1, 'back at the old place, before the later ticket');
	/* cancel asks first; "keep it" keeps it */
	await page.click('#cancel-btn');
	await page.locator('#confirm-cancel').waitFor({ state: 'visible' });
	await page.click('#cancel-no');
	assert.ok(await page.locator('#confirm-cancel').isHidden());
	assert.equal((await status(first)).state, 'waiting');
	await page.click('#cancel-btn');
	await page.click('#cancel-yes');
	await page.waitForFunction(() => window.KioskPhone.st.state === 'cancelled', null, { timeout: 8000 });
	assert.match(await page.locator('#state-ja').innerText(), /取り消されました/);
	assert.ok(await page.locator('#leave').isHidden() && await page.locator('#back').isHidden());
	assert.equal((await status(mine)).ahead, 0);
	await page.screenshot({ path: path.join(SHOTS, 'phone-cancelled.png') });
	await page.context().close();
	/* the one behind is served normally */
	const t = await callUntil(mine, -1);
	await api('POST', '/api/tickets/' + t.id + '/done', STOK, {});
});

test('one number for a visit: the phone names the counters; staff skip, add and send it on', async () => {
	const r = await api('POST', '/api/tickets', KTOK, {
		procedure: 'okuyami', lang: 'ja', answers: {},
		flags: { card: false, assist: false, priority: false }
	});
	assert.equal(r.status, 201, JSON.stringify(r.data));
	const v = r.data;
	const page = await phone('phone-visit', v.token);
	await page.locator('#visit').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await page.locator('#visit').innerText(), /窓口7 → 窓口3・4 → 窓口6/);
	await page.screenshot({ path: path.join(SHOTS, 'phone-visit.png') });

	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	const staff = await ctx.newPage();
	staff.on('pageerror', (e) => pageErrors.push(`staff-visit: ${e.message}`));
	await staff.goto(BASE + '/staff');
	await staff.locator('#token').fill(STOK);
	await staff.locator('#counter').selectOption('7');
	await staff.locator('#token').press('Enter');
	await staff.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await staff.waitForFunction(() => window.KioskStaff && !window.KioskStaff.state.busy, null, { timeout: 5000 });
	await staff.click('#b-call');
	await staff.waitForFunction((n) => document.querySelector('#t-number').textContent === n, v.number, { timeout: 5000 });
	await staff.locator('#t-visit').waitFor({ state: 'visible', timeout: 5000 });
	const steps = () => staff.locator('#t-visit-steps li').allInnerTexts();
	assert.equal((await steps()).length, 3);
	assert.match((await steps())[0], /いまここ/);
	await staff.click('#t-visit-steps button[data-skip="kokuho"]');
	await staff.waitForFunction(() => document.querySelectorAll('#t-visit-steps li').length === 2, null, { timeout: 5000 });
	await staff.locator('#visit-add').selectOption('kokuho');
	await staff.click('#visit-add-form button[type="submit"]');
	await staff.waitForFunction(() => document.querySelectorAll('#t-visit-steps li').length === 3, null, { timeout: 5000 });
	await staff.screenshot({ path: path.join(SHOTS, 'staff-visit.png') });
	await staff.click('#b-done');
	await staff.waitForFunction(() => /次の B/.test(document.querySelector('#action-msg') ? document.querySelector('#action-msg').textContent : document.body.textContent), null, { timeout: 5000 });
	const st = await status(v);
	assert.equal(st.state, 'waiting');
	assert.equal(st.service, 'B');
	assert.equal(st.number, v.number, 'the same number at the next step');
	await page.waitForFunction(() => window.KioskPhone.st.service === 'B', null, { timeout: 8000 });
	assert.match(await page.locator('#visit').innerText(), /窓口3・4 → 窓口6/);
	await ctx.close();
	await page.context().close();
});

test('the console lists today\'s appointments: add, check-in, call with 予約, cancel', async () => {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 1400 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	const staff = await ctx.newPage();
	staff.on('pageerror', (e) => pageErrors.push(`staff-appt: ${e.message}`));
	staff.on('dialog', (d) => d.accept());
	await staff.goto(BASE + '/staff');
	await staff.locator('#token').fill(STOK);
	await staff.locator('#counter').selectOption('3');
	await staff.locator('#token').press('Enter');
	await staff.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await staff.waitForFunction(() => window.KioskStaff && !window.KioskStaff.state.busy, null, { timeout: 5000 });
	/* this minute in Tokyo: on time, due at once */
	const hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
	await staff.waitForFunction(() => document.querySelectorAll('#appt-proc option').length > 1, null, { timeout: 5000 });
	await staff.locator('#appt-time').fill(hm);
	await staff.locator('#appt-proc').selectOption('tennyu');
	await staff.click('#b-appt-add');
	await staff.waitForFunction(() => /予約番号: \d{8}/.test(document.querySelector('#appt-msg').textContent), null, { timeout: 5000 });
	const code = (await staff.locator('#appt-msg').innerText()).match(/予約番号: (\d{8})/)[1];
	const row = staff.locator('#appt-body tr', { hasText: '…' + code.slice(-2) });
	await row.first().waitFor({ timeout: 5000 });
	assert.match(await row.first().innerText(), new RegExp(hm + '[\\s\\S]*転入届[\\s\\S]*予約中'));
	assert.ok(!(await staff.locator('#appt-body').innerText()).includes(code), 'the list shows the last digits only');

	/* the kiosk checks in: the row shows the ticket */
	const r = await api('POST', '/api/tickets', KTOK, { procedure: 'tennyu', lang: 'ja', answers: {}, appointment: code });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	assert.equal(r.data.appointment.arrival, 'on_time');
	await staff.waitForFunction((n) => document.querySelector('#appt-body').textContent.includes(n), r.data.number, { timeout: 8000 });
	assert.match(await row.first().innerText(), /受付済/);
	/* the queue table counts it among B's waiting */
	await staff.waitForFunction(() => /予約1/.test(document.querySelector('#queue-body tr[data-letter="B"]').textContent), null, { timeout: 8000 });
	/* the phone page shows the slot (the script renders it over the
	 * server's text once its status arrives) */
	const pg = await phone('phone-appt', r.data.token);
	assert.equal(await pg.locator('#appt').innerText(), '予約 ' + hm + ' / Appointment ' + hm);
	await pg.context().close();

	/* a due appointment is called first, and shows 予約 HH:MM */
	await staff.click('#b-call');
	await staff.waitForFunction((n) => document.querySelector('#t-number').textContent === n, r.data.number, { timeout: 5000 });
	assert.match(await staff.locator('#t-flags').innerText(), new RegExp('予約 ' + hm));
	/* no counter of B had called: staff were alerted; one takes it */
	const alert = staff.locator('#alerts', { hasText: '予約の方: 窓口が開いていません' });
	await alert.waitFor({ timeout: 5000 });
	assert.match(await alert.innerText(), new RegExp(r.data.number));
	await staff.locator('#alerts button', { hasText: '対応します' }).first().click();
	await staff.waitForFunction(() => !/予約の方: 窓口が開いていません/.test(document.querySelector('#alerts').textContent), null, { timeout: 5000 });
	await staff.locator('#appointments').screenshot({ path: path.join(SHOTS, 'staff-appointments.png') });
	await staff.locator('#current').screenshot({ path: path.join(SHOTS, 'staff-appointment-called.png') });
	await staff.click('#b-done');
	await staff.waitForFunction(() => !window.KioskStaff.state.busy && window.KioskStaff.state.ticket && window.KioskStaff.state.ticket.state === 'done', null, { timeout: 5000 });

	/* a booked one is cancelled from its row */
	await staff.locator('#appt-time').fill(hm);
	await staff.locator('#appt-proc').selectOption('tennyu');
	await staff.locator('#appt-code').fill('24681357');
	await staff.click('#b-appt-add');
	const row2 = staff.locator('#appt-body tr', { hasText: '…57' });
	await row2.first().waitFor({ timeout: 5000 });
	await row2.first().locator('button', { hasText: '取消' }).click();
	await staff.waitForFunction(() => Array.from(document.querySelectorAll('#appt-body tr')).some((tr) => tr.textContent.includes('…57') && tr.textContent.includes('取消') && !tr.querySelector('button')), null, { timeout: 5000 });
	const look = await api('POST', '/api/appointments/lookup', KTOK, { code: '24681357' });
	assert.equal(look.status, 409);
	assert.equal(look.data.error, 'appointment_cancelled');
	await ctx.close();
});

test('no script errors on the phone pages', () => {
	assert.deepEqual(pageErrors, []);
});
