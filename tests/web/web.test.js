/*
 * web.test.js - the staff console, the lobby board and the phone wait page
 * in Debian's chromium (playwright-core), against a running `kiosk serve`.
 * Started by tests/e2e/web.sh, which sets:
 *   WEB_BASE            http://127.0.0.1:PORT
 *   WEB_STAFF_TOKEN, WEB_KIOSK_TOKEN, WEB_DISPLAY_TOKEN
 *   WEB_TICKETS         JSON lines of the 5 tickets issued with curl
 *   WEB_SHOTS           folder for the screenshots
 *   WEB_SERVER_PIDFILE, WEB_SERVER_CMD, WEB_SERVER_LOG  (the reconnect test
 *                       restarts the server and writes the new PID there)
 * The tests run in order and share the browser and the server's state.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');

const env = (k) => {
	const v = process.env[k];
	if (v === undefined) throw new Error(`${k} is not set (run tests/e2e/web.sh)`);
	return v;
};
const BASE = env('WEB_BASE');
const STOK = env('WEB_STAFF_TOKEN');
const KTOK = env('WEB_KIOSK_TOKEN');
const DTOK = env('WEB_DISPLAY_TOKEN');
const SHOTS = env('WEB_SHOTS');
const TICKETS = fs.readFileSync(env('WEB_TICKETS'), 'utf8').trim().split('\n')
	.filter(Boolean).map((l) => JSON.parse(l));
const CATALOG = JSON.parse(fs.readFileSync(path.join(__dirname, '../../assets/procedures.json'), 'utf8'));

let browser;
let staff, board, phone0, phone1;   /* pages */
const pageErrors = [];

function shot(page, name, opts) {
	return page.screenshot(Object.assign({ path: path.join(SHOTS, name + '.png') }, opts || {}));
}

async function api(method, p, token, body) {
	const headers = { Accept: 'application/json' };
	if (token) headers.Authorization = 'Bearer ' + token;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const r = await fetch(BASE + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	let data = null;
	try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
	return { status: r.status, data, headers: r.headers };
}

async function queue() {
	const r = await api('GET', '/api/queue', STOK);
	assert.equal(r.status, 200, 'GET /api/queue: ' + JSON.stringify(r.data));
	const by = {};
	for (const s of r.data.services) by[s.letter] = s;
	return by;
}

async function newPage(viewport, name) {
	const ctx = await browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
			pageErrors.push(`${name}: console: ${m.text()}`);
	});
	return page;
}

const text = (page, sel) => page.locator(sel).innerText();

/* The staff page's current ticket number, once it shows want. */
async function waitTicket(want) {
	await staff.waitForFunction((n) => document.querySelector('#t-number').textContent === n, want, { timeout: 5000 });
}

async function staffIdle() {
	await staff.waitForFunction(() => window.KioskStaff && !window.KioskStaff.state.busy, null, { timeout: 5000 });
}

function questionText(procId, qid) {
	const p = CATALOG.procedures.find((x) => x.id === procId);
	const q = p && (p.questions || []).find((x) => x.id === qid);
	return q ? q.text.ja.replace(/[。？?]$/, '') : qid;
}

/* WCAG contrast of every visible text against its actual background. */
async function lowContrast(page, min) {
	return page.evaluate((minRatio) => {
		function rgba(s) {
			const m = /rgba?\(([^)]+)\)/.exec(s);
			if (!m) return null;
			const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
			return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
		}
		function lum(c) {
			const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
			return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
		}
		function blend(top, under) {
			const a = top.a;
			return { r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a), b: top.b * a + under.b * (1 - a), a: 1 };
		}
		function bgOf(el) {
			const stack = [];
			for (let e = el; e; e = e.parentElement) {
				const c = rgba(getComputedStyle(e).backgroundColor);
				if (c && c.a > 0) { stack.push(c); if (c.a >= 1) break; }
			}
			let bg = { r: 255, g: 255, b: 255, a: 1 };
			for (let i = stack.length - 1; i >= 0; i--) bg = blend(stack[i], bg);
			return bg;
		}
		const bad = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const seen = new Set();
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			if (!n.textContent.trim()) continue;
			const el = n.parentElement;
			if (!el || seen.has(el)) continue;
			seen.add(el);
			if (el.closest('noscript, script, style, #print-sheet, dialog:not([open])')) continue;
			const r = el.getBoundingClientRect();
			const cs = getComputedStyle(el);
			if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || cs.display === 'none') continue;
			if (el.closest('.visually-hidden, .skip')) continue;
			const fg = blend(rgba(cs.color), bgOf(el));
			const bg = bgOf(el);
			const L1 = lum(fg), L2 = lum(bg);
			const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
			if (ratio < minRatio)
				bad.push(`${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}:1`);
		}
		return bad;
	}, min);
}

before(async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	/* launch() gives chromium a fresh temporary --user-data-dir of its
	 * own and removes it on close */
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

test('the pages and their files are served', async () => {
	for (const [p, type] of [['/staff', 'text/html'], ['/board', 'text/html'],
	    ['/t/' + TICKETS[0].token, 'text/html'], ['/web/css/common.css', 'text/css'],
	    ['/web/js/common.js', 'javascript']]) {
		const r = await fetch(BASE + p);
		assert.equal(r.status, 200, p);
		assert.match(r.headers.get('content-type') || '', new RegExp(type), p + ' content type');
	}
	assert.equal(TICKETS.length, 5, 'the five tickets issued by web.sh');
});

test('staff sign-in with a wrong token is refused', async () => {
	staff = await newPage({ width: 1440, height: 960 }, 'staff');
	await staff.goto(BASE + '/staff');
	await staff.locator('#token').fill('not-the-' + STOK);
	await staff.locator('#signin-btn').click();
	await staff.locator('#signin-error').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await text(staff, '#signin-error'), /トークン/);
	assert.equal(await staff.locator('#console').isVisible(), false, 'the console stays hidden');
	assert.equal(await staff.evaluate(() => sessionStorage.getItem('kiosk.staff.token')), null,
	    'a refused token is not kept');
	/* the display's token is a real token, but not a staff one */
	await staff.locator('#token').fill(DTOK);
	await staff.locator('#signin-btn').click();
	await staff.waitForFunction(() => !document.querySelector('#signin-btn').disabled, null, { timeout: 5000 });
	assert.match(await text(staff, '#signin-error'), /トークン/);
	assert.equal(await staff.locator('#console').isVisible(), false, 'a display token does not open the console');
	await shot(staff, 'staff-signin-refused');
});

test('staff signs in with the keyboard and sees the queue', async () => {
	await staff.locator('#token').fill('');
	await staff.locator('#token').focus();
	await staff.keyboard.type(STOK);
	await staff.keyboard.press('Tab');                 /* counter select */
	assert.equal(await staff.evaluate(() => document.activeElement.id), 'counter');
	await staff.locator('#counter').selectOption('1');
	await staff.keyboard.press('Tab');                 /* sign-in button */
	await staff.keyboard.press('Enter');
	await staff.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await text(staff, '#counter-label'), /1番窓口/);
	await staff.waitForFunction(() => document.querySelector('#queue-body tr[data-letter="A"]'), null, { timeout: 5000 });
	assert.match(await text(staff, '#queue-body tr[data-letter="A"] td.waiting'), /^5人$/);
	assert.equal(await staff.evaluate(() => sessionStorage.getItem('kiosk.staff.token')), STOK);
	await shot(staff, 'staff-signed-in');
});

test('the phone pages show waiting, people ahead and the wait', async () => {
	phone0 = await newPage({ width: 390, height: 844 }, 'phone0');
	phone1 = await newPage({ width: 390, height: 844 }, 'phone1');
	await phone0.goto(BASE + '/t/' + TICKETS[0].token);
	await phone1.goto(BASE + '/t/' + TICKETS[1].token);
	for (const [pg, i] of [[phone0, 0], [phone1, 1]]) {
		await pg.waitForFunction(() => window.KioskPhone && window.KioskPhone.st, null, { timeout: 5000 });
		assert.equal(await text(pg, '#number'), TICKETS[i].number);
		assert.match(await text(pg, '#state-ja'), /お待ちください/);
		assert.equal(await text(pg, '#ahead'), String(i));
	}
	const html = await phone0.content();
	assert.doesNotMatch(html, /旭 花子|二の2132|1980/, 'no personal data on the phone page');
	await shot(phone1, 'phone-waiting');
});

test('the board opens with its display token', async () => {
	board = await newPage({ width: 1920, height: 1080 }, 'board');
	await board.goto(BASE + '/board#token=' + DTOK);
	await board.waitForFunction(() => document.querySelectorAll('#waiting-list li').length > 0, null, { timeout: 5000 });
	assert.equal(await board.locator('#auth').isVisible(), false);
	assert.match(await text(board, '#waiting-list li[data-letter="A"] .count'), /^5/);
	assert.doesNotMatch(board.url(), /token/, 'the token is taken out of the address bar');
});

let callT0 = 0;
test('call next shows the ticket and its pre-filled application', async () => {
	callT0 = Date.now();
	await staff.locator('#b-call').click();
	await waitTicket(TICKETS[0].number);
	await staffIdle();
	const app = await text(staff, '#app-body');
	assert.match(app, /旭 花子/);
	assert.match(app, /あさひ はなこ/);
	assert.match(app, /千葉県旭市二の2132番地/);
	assert.match(app, /昭和55年4月1日/);
	assert.match(app, /1980年4月1日/);
	assert.match(app, /女/);
	assert.match(app, /600円/);
	assert.match(app, new RegExp(questionText('juminhyo', 'copies')));
	assert.match(await text(staff, '#t-state'), /呼出中/);
	assert.equal(await staff.locator('#b-call').isDisabled(), true, 'no second call while one is open');
	await shot(staff, 'staff-called', { fullPage: true });
});

test('the phone page turns to called within 2 s of the call', async () => {
	await phone0.waitForFunction(() => window.KioskPhone.st && window.KioskPhone.st.state === 'called', null, { timeout: 5000 });
	const changed = await phone0.evaluate(() => {
		const c = window.KioskPhone.changes.filter((x) => x.state === 'called');
		return c.length ? c[0].at : 0;
	});
	const delay = changed - callT0;
	console.log(`# phone page updated ${delay} ms after the call was clicked`);
	assert.ok(delay <= 2000, `the phone updated after ${delay} ms`);
	assert.match(await text(phone0, '#state-ja'), /1番窓口へ\u200b?お越しください/);
	await shot(phone0, 'phone-called');
});

test('the board shows the call large with its counter, highlighted, with a chime', async () => {
	await board.waitForFunction((n) => document.querySelector('#hero-number').textContent === n,
	    TICKETS[0].number, { timeout: 5000 });
	assert.match(await text(board, '#hero-counter'), /1番窓口へ\u200b?お越しください/);
	assert.match(await text(board, '#hero-counter'), /Please go to counter 1/);
	assert.equal(await board.locator('#hero').evaluate((e) => e.classList.contains('fresh')), true);
	await board.waitForFunction((n) => {
		const r = document.querySelector('#recent-body tr td.num');
		return r && r.textContent === n;
	}, TICKETS[0].number, { timeout: 5000 });
	assert.ok(await board.evaluate(() => window.Kiosk.sound.played) >= 1, 'a chime was played');
	/* after the chime, the call-out in Japanese, then in English */
	await board.waitForFunction(() => window.KioskBoard.spoken.length >= 2, null, { timeout: 15000 });
	const said = await board.evaluate(() => window.KioskBoard.spoken);
	const m = /^([A-Z])-0*(\d+)$/.exec(TICKETS[0].number);
	assert.deepEqual(said.slice(0, 2).map((s) => s.lang), ['ja', 'en']);
	assert.equal(said[0].text, `受付番号 ${m[1]} の ${m[2]} 番の方、1 番窓口へお越しください。`);
	assert.equal(said[1].text, `Number ${m[1]} ${m[2]}, please come to counter 1.`);
	assert.ok(said[1].at >= said[0].at, 'English after Japanese');
	await shot(board, 'board-called');
});

test('the application prints as an A4 draft with a signature box', async () => {
	/* A4 at 96 dpi less the page margins, for a screenshot that looks like the sheet */
	await staff.setViewportSize({ width: 794 - 121, height: 1123 - 136 });
	await staff.emulateMedia({ media: 'print' });
	const sheet = await staff.locator('#print-sheet').innerText();
	assert.match(sheet, /申請書/);
	assert.match(sheet, /旭 花子/);
	assert.match(sheet, /昭和55年4月1日/);
	assert.match(sheet, /署名/);
	assert.equal(await staff.locator('#console').isVisible(), false, 'only the sheet is printed');
	await shot(staff, 'staff-print-a4', { fullPage: true });
	await staff.pdf({ path: path.join(SHOTS, 'staff-print-a4.pdf'), preferCSSPageSize: true });
	await staff.emulateMedia({ media: 'screen' });
	await staff.setViewportSize({ width: 1440, height: 960 });
	/* the P key opens the browser's print: count the calls */
	await staff.evaluate(() => { window.__prints = 0; window.print = () => { window.__prints++; }; });
	await staff.locator('#current').focus();
	await staff.keyboard.press('p');
	assert.equal(await staff.evaluate(() => window.__prints), 1);
});

test('a reload keeps the open ticket and fetches its application from the server', async () => {
	await staff.reload();
	await staff.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await waitTicket(TICKETS[0].number);
	await staff.waitForFunction(() => /旭 花子/.test(document.querySelector('#app-body').textContent), null, { timeout: 5000 });
	const kept = await staff.evaluate(() => JSON.stringify(Object.assign({}, sessionStorage)));
	assert.doesNotMatch(kept, /花子|二の2132|1980/, 'no personal data in sessionStorage');
	await staff.waitForFunction(() => /ライブ更新中/.test(document.querySelector('#live').textContent), null, { timeout: 5000 });
});

test('recall (R key) calls the same ticket again', async () => {
	const before = await board.evaluate(() => window.KioskBoard.announced);
	await staff.locator('#current').focus();
	await staff.keyboard.press('r');
	await staff.waitForFunction(() => /再呼出 1回/.test(document.querySelector('#t-state').textContent), null, { timeout: 5000 });
	await board.waitForFunction((n) => window.KioskBoard.announced > n, before, { timeout: 20000 });
	assert.equal(await text(staff, '#t-number'), TICKETS[0].number);
	/* a recall says so */
	await board.waitForFunction(() => window.KioskBoard.spoken.some((s) => /^再度お呼びします。受付番号/.test(s.text)),
	    null, { timeout: 20000 });
});

test('done finishes the ticket and wipes the application from the page', async () => {
	await staffIdle();
	await staff.locator('#b-done').click();
	await staff.waitForFunction(() => /完了/.test(document.querySelector('#t-state').textContent), null, { timeout: 5000 });
	const html = await staff.content();
	assert.doesNotMatch(html, /旭 花子|二の2132/, 'personal data left the DOM');
	assert.equal(await staff.locator('#b-call').isDisabled(), false);
	await phone0.waitForFunction(() => window.KioskPhone.st.state === 'done', null, { timeout: 8000 });
	await shot(phone0, 'phone-done');
});

test('a double click on 呼出 calls exactly one ticket', async () => {
	const q0 = await queue();
	await staff.locator('#b-call').dblclick();
	await waitTicket(TICKETS[1].number);
	await staffIdle();
	await staff.waitForTimeout(500);
	const q1 = await queue();
	assert.equal(q1.A.waiting, q0.A.waiting - 1, 'one ticket left the queue');
	const serving1 = (q1.A.serving || []).filter((s) => s.counter === 1);
	assert.deepEqual(serving1.map((s) => s.number), [TICKETS[1].number]);
	assert.match(await text(staff, '#app-body'), /申請内容はありません|カードの読み取りなし/);
});

test('no-show (A key) is refused before the recalls the server wants, then closes the ticket', async () => {
	/* web.sh sets server.noshow_after_recalls = 1 */
	await staff.locator('#current').focus();
	await staff.keyboard.press('a');
	await staff.waitForFunction(() => /できませんでした/.test(document.querySelector('#action-msg').textContent), null, { timeout: 5000 });
	assert.match(await text(staff, '#action-msg'), /recall/, 'the server says why');
	assert.match(await text(staff, '#t-state'), /呼出中/);
	await staffIdle();
	await staff.locator('#current').focus();
	await staff.keyboard.press('r');
	await staff.waitForFunction(() => /再呼出 1回/.test(document.querySelector('#t-state').textContent), null, { timeout: 5000 });
	await staffIdle();
	await staff.locator('#current').focus();
	await staff.keyboard.press('a');
	await staff.waitForFunction(() => /不在/.test(document.querySelector('#t-state').textContent), null, { timeout: 5000 });
	await phone1.waitForFunction(() => window.KioskPhone.st.state === 'no_show', null, { timeout: 8000 });
	await shot(phone1, 'phone-no-show');
});

test('番号指定呼出 calls a given number out of order', async () => {
	await staff.locator('#current').focus();
	await staff.keyboard.press('s');
	assert.equal(await staff.evaluate(() => document.activeElement.id), 'callnum');
	/* typed the way people do: lower case, no dash, full-width digits */
	const n = TICKETS[3].number;              /* A-004, skipping A-003 */
	const typed = n.toLowerCase().replace('-', '').replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xFEE0));
	await staff.keyboard.type(typed);
	await staff.keyboard.press('Enter');
	await waitTicket(n);
	await staffIdle();
	const q = await queue();
	assert.ok((q.A.serving || []).some((s) => s.number === n && s.counter === 1));
	await staff.locator('#callnum').fill('zz');
	await staff.locator('#b-callnum').evaluate((b) => { b.disabled = false; });
	await staff.locator('#b-callnum').click();
	assert.match(await text(staff, '#action-msg'), /A-023/, 'a bad number gets an error that shows the format');
});

test('transfer (T key) moves the ticket to another service with a note', async () => {
	const q0 = await queue();
	await staff.locator('#current').focus();
	await staff.keyboard.press('t');
	await staff.locator('#transfer-dialog').waitFor({ state: 'visible', timeout: 3000 });
	await staff.locator('#transfer-service').selectOption('B');
	await staff.locator('#transfer-note').fill('転入届も必要');
	await shot(staff, 'staff-transfer-dialog');
	await staff.locator('#transfer-ok').click();
	await staff.waitForFunction(() => /転送/.test(document.querySelector('#action-msg').textContent) &&
	    !window.KioskStaff.state.busy, null, { timeout: 5000 });
	assert.match(await text(staff, '#action-msg'), /B/);
	const q1 = await queue();
	assert.equal(q1.B.waiting, q0.B.waiting + 1, 'the ticket waits in B now');
	assert.equal(await staff.locator('#b-call').isDisabled(), false);
});

test('a call the console never heard of: 呼出 names the ticket in hand, 戻す puts it back, a reload shows it', async () => {
	const issue = async () => {
		const r = await api('POST', '/api/tickets', KTOK, { procedure: 'juminhyo', lang: 'ja',
		    answers: { who: 'self', copies: 1 }, flags: { card: false, assist: false, priority: false }, kiosk: 'kiosk-e2e' });
		assert.equal(r.status, 201, JSON.stringify(r.data));
		return r.data;
	};
	await staffIdle();
	assert.equal(await staff.locator('#b-call').isDisabled(), false, 'the console holds nothing');
	const t = await issue();
	/* the call's answer went astray: counter 1 holds it, the console does not know */
	let r = await api('POST', '/api/counters/1/call', STOK, { number: t.number, request_id: 'lost-answer-0001' });
	assert.equal(r.status, 200);
	await staff.locator('#b-call').click();
	await waitTicket(t.number);
	assert.match(await text(staff, '#action-msg'), new RegExp(t.number + ' を呼出中'));
	/* the retry of the lost request answers the same ticket, nothing new */
	r = await api('POST', '/api/counters/1/call', STOK, { request_id: 'lost-answer-0001' });
	assert.equal(r.data.ticket.number, t.number);
	assert.equal(r.data.replayed, true);
	/* 戻す: back in the queue, in its place */
	await staff.locator('#b-requeue').click();
	await staffIdle();
	assert.match(await text(staff, '#action-msg'), /元の位置に戻しました/);
	r = await api('GET', '/api/tickets/' + t.id, STOK);
	assert.equal(r.data.ticket.state, 'waiting');
	/* called elsewhere again, then the console reloads: it shows it */
	r = await api('POST', '/api/counters/1/call', STOK, { number: t.number });
	assert.equal(r.status, 200);
	await staff.reload();
	await staff.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await waitTicket(t.number);
	assert.match(await text(staff, '#t-proc'), /住民票/);
	assert.equal(await staff.locator('#b-print').isDisabled(), false, 'its application came with it');
	await shot(staff, 'staff-held-after-reload');
	await staff.locator('#b-done').click();
	await staffIdle();
	r = await api('GET', '/api/counters/1', STOK);
	assert.equal(r.data.tickets.length, 0);
});

test('番号で操作: priority and a reprint at the kiosk, by number', async () => {
	const r0 = await api('POST', '/api/tickets', KTOK, { procedure: 'soudan', lang: 'ja', answers: {},
	    flags: { card: false, assist: false, priority: false }, kiosk: 'kiosk-e2e' });
	assert.equal(r0.status, 201, JSON.stringify(r0.data));
	const num = r0.data.number;
	await staff.locator('#numop').fill(num.toLowerCase().replace('-', ''));
	await staff.locator('#numop-what').selectOption('priority');
	await staff.locator('#b-numop').click();
	await staff.waitForFunction(() => /優先にしました/.test(document.querySelector('#numop-msg').textContent), null, { timeout: 5000 });
	let r = await api('GET', '/api/tickets/' + r0.data.id, STOK);
	assert.equal(r.data.ticket.flags.priority, true);
	await staff.locator('#numop').fill(num);
	await staff.locator('#numop-what').selectOption('reprint-kiosk');
	await staff.locator('#b-numop').click();
	await staff.waitForFunction(() => /再発行を kiosk-e2e に送りました/.test(document.querySelector('#numop-msg').textContent), null, { timeout: 5000 });
	/* the kiosk's next heartbeat carries it */
	r = await api('POST', '/api/kiosks/kiosk-e2e/heartbeat', KTOK, {});
	assert.equal(r.status, 200);
	assert.ok(r.data.reprints.some((x) => x.number === num), JSON.stringify(r.data));
	await staff.locator('#numop').fill('Z9');
	await staff.locator('#b-numop').click();
	await staff.waitForFunction(() => /Z-009/.test(document.querySelector('#numop-msg').textContent), null, { timeout: 5000 });
	/* cleared for the later tests */
	await staff.locator('#numop').fill(num);
	await staff.locator('#numop-what').selectOption('carry-over');
	await staff.locator('#b-numop').click();
	await staff.waitForFunction(() => /繰越/.test(document.querySelector('#numop-msg').textContent), null, { timeout: 5000 });
});

test('kiosk help requests and printer alerts pop up with a sound', async () => {
	const played0 = await staff.evaluate(() => window.Kiosk.sound.played);
	let r = await api('POST', '/api/help', KTOK, { kiosk: 'kiosk-e2e', kind: 'resident' });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	r = await api('POST', '/api/help', KTOK, { kiosk: 'kiosk-e2e', kind: 'printer' });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	await staff.waitForFunction(() => document.querySelectorAll('#alerts .alert').length >= 2, null, { timeout: 5000 });
	assert.match(await text(staff, '#alerts'), /kiosk-e2e\s*でお客様がお手伝いを求めています/);
	assert.match(await text(staff, '#alerts'), /プリンター/);
	await staff.waitForFunction((n) => window.Kiosk.sound.played >= n + 2, played0, { timeout: 8000 });
	await shot(staff, 'staff-help-alert');
	/* 対応します takes each (on the server): they go once it answers */
	for (const id of await staff.evaluate(() => Array.from(document.querySelectorAll('#alerts .alert')).map((x) => x.id))) {
		await staff.locator('#' + id + ' button').click();
		await staff.waitForFunction((x) => !document.getElementById(x), id, { timeout: 5000 });
	}
	assert.equal(await staff.locator('#alerts .alert').count(), 0);
	assert.equal((await api('GET', '/api/alerts', STOK)).data.alerts.length, 0, 'taken on the server too');
});

test('alerts wait on the server: a console signed in later sees them, one member of staff takes each, every console drops it', async () => {
	let r = await api('POST', '/api/help', KTOK, { kiosk: 'kiosk-2f', kind: 'card_last_try' });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	const cardId = r.data.id;
	r = await api('POST', '/api/help', KTOK, { kiosk: 'kiosk-2f', kind: 'printer', number: 'A-004', detail: 'paper_out' });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	const printerId = r.data.id;
	await staff.waitForFunction((id) => document.getElementById('alert-' + id), printerId, { timeout: 5000 });
	/* a second console that signs in only now, as "sato" at counter 3 */
	const staff2 = await newPage({ width: 1280, height: 900 }, 'staff2');
	await staff2.goto(BASE + '/staff');
	await staff2.locator('#staff-id').fill('sato');
	await staff2.locator('#token').fill(STOK);
	await staff2.locator('#counter').selectOption('3');
	await staff2.locator('#signin-btn').click();
	await staff2.locator('#console').waitFor({ state: 'visible', timeout: 5000 });
	await staff2.waitForFunction((ids) => ids.every((id) => document.getElementById('alert-' + id)),
	    [cardId, printerId], { timeout: 5000 });
	assert.match(await text(staff2, '#alert-' + cardId), /kiosk-2f.*暗証番号があと1回/);
	assert.match(await text(staff2, '#alert-' + printerId), /A-004.*印刷できませんでした.*paper_out/);
	await shot(staff2, 'staff-alerts-after-sign-in');
	/* sato takes the printer alert: it goes from both consoles */
	await staff2.locator('#alert-' + printerId + ' button').click();
	await staff.waitForFunction((id) => !document.getElementById('alert-' + id), printerId, { timeout: 5000 });
	await staff2.waitForFunction((id) => !document.getElementById('alert-' + id), printerId, { timeout: 5000 });
	const open = await api('GET', '/api/alerts', STOK);
	assert.ok(!open.data.alerts.some((a) => a.id === printerId), 'taken alerts are not open');
	assert.ok(open.data.alerts.some((a) => a.id === cardId), 'the other one still is');
	r = await api('POST', '/api/alerts/' + printerId + '/take', STOK, { staff: 'tanaka' });
	assert.equal(r.status, 409);
	assert.match(r.data.detail, /sato/, 'the server says who took it');
	/* the first console (no staff id: counter-1) takes the other */
	await staff.locator('#alert-' + cardId + ' button').click();
	await staff2.waitForFunction((id) => !document.getElementById('alert-' + id), cardId, { timeout: 5000 });
	r = await api('POST', '/api/alerts/' + cardId + '/take', STOK, { staff: 'x' });
	assert.match(r.data.detail, /counter-1/);
	await staff2.context().close();
});

test('本日の実績 counts a new ticket without a reload', async () => {
	const total = () => staff.evaluate(() => {
		const t = document.querySelector('#stats-body tr.total');
		return t ? Number(t.children[1].textContent) : -1;
	});
	await staff.waitForFunction(() => document.querySelector('#stats-body tr.total'), null, { timeout: 5000 });
	const n0 = await total();
	/* 相談 (E): the later tests count and call service A */
	const r = await api('POST', '/api/tickets', KTOK, { procedure: 'soudan', lang: 'ja',
	    answers: {}, flags: { card: false, assist: false, priority: false }, kiosk: 'kiosk-e2e' });
	assert.equal(r.status, 201, JSON.stringify(r.data));
	await staff.waitForFunction((n) => {
		const t = document.querySelector('#stats-body tr.total');
		return t && Number(t.children[1].textContent) === n + 1;
	}, n0, { timeout: 8000 });
});

test('the board queues calls so one chime never cuts off another', async () => {
	/* let the earlier announcements finish first */
	await board.waitForFunction(() => !window.KioskBoard.showing && !window.KioskBoard.queue.length &&
	    !window.Kiosk.sound.queue.length, null, { timeout: 30000 });
	const n0 = await board.evaluate(() => window.Kiosk.sound.log.length);
	/* two counters call at the same instant (each serves one ticket at a
	 * time: counter 2 finishes what it holds first) */
	for (const t of (await api('GET', '/api/counters/2', STOK)).data.tickets)
		await api('POST', '/api/tickets/' + t.id + '/done', STOK, {});
	const [a, b] = await Promise.all([
		api('POST', '/api/counters/2/call', STOK, {}),
		api('POST', '/api/counters/1/call', STOK, { number: TICKETS[4].number })
	]);
	assert.deepEqual([a.status, b.status].sort(), [200, 200], JSON.stringify([a.data, b.data]));
	await board.waitForFunction((n) => window.Kiosk.sound.log.length >= n + 2, n0, { timeout: 15000 });
	const log = await board.evaluate((n) => window.Kiosk.sound.log.slice(n), n0);
	const dur = await board.evaluate(() => window.Kiosk.sound.duration('call') * 1000);
	const gap = log[1].start - log[0].start;
	assert.ok(gap >= dur - 20, `the second chime started ${gap} ms after the first (chime ${dur} ms)`);
	await board.waitForFunction(() => window.KioskBoard.log.length >= 2, null, { timeout: 10000 });
	const shown = await board.evaluate(() => window.KioskBoard.log.slice(-2).map((x) => x.number).sort());
	assert.deepEqual(shown, [TICKETS[2].number, TICKETS[4].number].sort());
	const recent = await board.locator('#recent-body').innerText();
	assert.ok(recent.includes(TICKETS[2].number) && recent.includes(TICKETS[4].number), 'both in the recent calls');
	await board.waitForTimeout(300);
	await shot(board, 'board-two-calls');
	/* counter 1 is the console's: free it again for the later tests */
	await api('POST', '/api/tickets/' + b.data.ticket.id + '/done', STOK, {});
});

test('the call highlight on the board ends after 10 s', async () => {
	await board.waitForFunction(() => !document.querySelector('#hero').classList.contains('fresh'), null, { timeout: 16000 });
	await shot(board, 'board');
});

test('the six recent call rows fit on the board at 1080p and 720p', async () => {
	for (const vp of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
		await board.setViewportSize(vp);
		const clipped = await board.evaluate(() => {
			const box = document.querySelector('.recent').getBoundingClientRect();
			const rows = Array.from(document.querySelectorAll('#recent-body tr'));
			return { n: rows.length, out: rows.filter((r) => r.getBoundingClientRect().bottom > box.bottom + 0.5).length };
		});
		assert.equal(clipped.n, 6, 'six rows');
		assert.equal(clipped.out, 0, `${clipped.out} rows cut off at ${vp.width}x${vp.height}`);
	}
	await board.setViewportSize({ width: 1920, height: 1080 });
});

test("today's counts and median wait are shown", async () => {
	await staff.evaluate(() => document.querySelector('#stats').scrollIntoView());
	await staff.waitForFunction(() => {
		const t = document.querySelector('#stats-body tr.total');
		return t && Number(t.children[1].textContent) >= 5;
	}, null, { timeout: 8000 });
	const stats = await api('GET', '/api/stats?date=' + new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10), STOK);
	assert.equal(stats.status, 200);
	const a = stats.data.services.find((s) => s.letter === 'A');
	const row = await text(staff, '#stats-body tr:first-child');
	assert.match(row, new RegExp('\\b' + a.issued + '\\b'));
});

test('an unknown phone token gets a page that says so', async () => {
	const pg = await newPage({ width: 390, height: 844 }, 'phone-unknown');
	await pg.goto(BASE + '/t/0123456789abcdef0123456789abcdef');
	await pg.locator('#notfound').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await text(pg, '#notfound'), /見つかりません/);
	await shot(pg, 'phone-unknown');
	await pg.context().close();
	/* a malformed token never reaches a file */
	const r = await fetch(BASE + '/t/..%2F..%2Fetc%2Fpasswd');
	assert.equal(r.status, 404);
	assert.doesNotMatch(await r.text(), /root:/);
});

test('the phone page backs off and says so when the server rate-limits it', async () => {
	const pg = await newPage({ width: 390, height: 844 }, 'phone-429');
	let hits = 0;
	await pg.route('**/api/status/**', (route) => {
		hits++;
		route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '15' },
		    body: JSON.stringify({ error: 'rate_limited', detail: 'too many status requests from this address' }) });
	});
	await pg.goto(BASE + '/t/' + TICKETS[3].token);
	await pg.locator('#problem').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await text(pg, '#problem'), /アクセスが集中/);
	const h0 = hits;
	await pg.waitForTimeout(3000);
	assert.ok(hits - h0 <= 1, `no hammering while rate-limited (${hits - h0} more requests in 3 s)`);
	await pg.context().close();
});

test('the board refuses a wrong display token and asks for one', async () => {
	const pg = await newPage({ width: 1280, height: 720 }, 'board-wrong');
	await pg.goto(BASE + '/board#token=wrong-' + DTOK);
	await pg.locator('#auth').waitFor({ state: 'visible', timeout: 5000 });
	assert.match(await text(pg, '#auth'), /トークン/);
	await pg.context().close();
});

test('every text is at least 7:1 against its background', async () => {
	for (const [name, pg] of [['board', board], ['phone', phone0], ['staff', staff]]) {
		const bad = await lowContrast(pg, 7);
		assert.deepEqual(bad, [], name + ': ' + bad.join('; '));
	}
});

test('the live streams reconnect after a server restart', async () => {
	const pidfile = env('WEB_SERVER_PIDFILE');
	const old = Number(fs.readFileSync(pidfile, 'utf8'));
	await staff.waitForFunction(() => /ライブ更新中/.test(document.querySelector('#live').textContent), null, { timeout: 5000 });
	process.kill(old, 'SIGTERM');
	for (let i = 0; i < 50; i++) {
		try { process.kill(old, 0); } catch (e) { break; }
		await new Promise((r) => setTimeout(r, 100));
	}
	await staff.waitForFunction(() => !/ライブ更新中/.test(document.querySelector('#live').textContent), null, { timeout: 10000 });
	const [cmd, ...args] = env('WEB_SERVER_CMD').split(' ');
	const log = fs.openSync(env('WEB_SERVER_LOG'), 'a');
	const child = spawn(cmd, args, { stdio: ['ignore', log, log], detached: false });
	fs.writeFileSync(pidfile, String(child.pid));
	child.unref();
	await staff.waitForFunction(() => /ライブ更新中/.test(document.querySelector('#live').textContent), null, { timeout: 20000 });
	/* a new call after the restart reaches the board through its stream */
	const t = await api('POST', '/api/tickets', KTOK, { procedure: 'juminhyo', lang: 'ja', answers: { who: 'self', copies: 1 },
	    flags: { card: false, assist: false, priority: false }, kiosk: 'kiosk-e2e' });
	assert.equal(t.status, 201, JSON.stringify(t.data));
	await staff.waitForFunction(() => document.querySelector('#queue-body tr[data-letter="A"] td.waiting').textContent === '1人',
	    null, { timeout: 5000 });
	await staff.locator('#b-call').click();
	await waitTicket(t.data.number);
	await board.waitForFunction((n) => document.querySelector('#hero-number').textContent === n, t.data.number, { timeout: 15000 });
});

test('no script errors on any page', async () => {
	assert.deepEqual(pageErrors, []);
});
