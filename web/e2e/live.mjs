// The web playground as a live view of a driftqd (driftqd --web, page opened with ?live), in
// headless Chromium: the page mirrors the broker's traffic as it happens, Space pauses the view
// while the broker goes on, L returns to live, and the view's history matches the broker's.
//
// Usage: node live.mjs BASE_URL OUT_DIR     (BASE_URL: the driftqd serving the page)
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const [base, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const failures = [];

function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failures.push(what);
}

const post = async (path, body) => (await fetch(base + path, { method: 'POST', body })).status;

const profile = mkdtempSync(join(tmpdir(), 'driftq-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1600, height: 900 },
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-first-run', '--disable-quic', '--no-sandbox', '--enable-unsafe-swiftshader'],
});
const page = context.pages()[0] ?? await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await page.goto(base + '/?live');
await page.waitForTimeout(2000);  // the module loads and connects

// The page's state through its test hook (web/test_hook.cpp); nothing until the module runs.
const state = async () => JSON.parse(await page.evaluate(() => {
  try {
    return JSON.stringify(window.__driftq.state());
  } catch (e) {
    return '{"session":{}}';
  }
}));
async function until(what, predicate, timeout = 10000) {
  const start = Date.now();
  for (;;) {
    const s = await state();
    if (predicate(s)) return s;
    if (Date.now() - start > timeout) {
      check(false, 'waiting for ' + what, s);
      return s;
    }
    await page.waitForTimeout(200);
  }
}
const drawn = () => page.evaluate(() => window.__driftq.drawnText());

let s = await until('the page to connect to the broker', (x) => x.session.live === true, 30000);
check(s.session.live && /^live/.test(s.session.scenario), 'the page opens as a live view of the broker', s.session);
check(/A DriftQ broker is listening/.test(await drawn()), 'the lesson panel says what this page is and what to send');

// Traffic from an HTTP client appears in the page.
check(await post('/v1/topics?name=orders&partitions=3') === 201, 'the broker creates a topic');
for (let i = 0; i < 5; ++i) await post(`/v1/produce?topic=orders&key=order-${i}&value=item-${i}`);
const consumer = await fetch(base + '/v1/consume?topic=orders&group=billing&owner=alice&lease_ms=60000');
const reader = consumer.body.getReader();
const first = JSON.parse(new TextDecoder().decode((await reader.read()).value).split('\n')[0]);
check(await post(`/v1/ack?topic=orders&group=billing&owner=alice&partition=${first.partition}&offset=${first.offset}`) === 204,
  'an ack from the client');
s = await until('the page to show the traffic', (x) => x.session.commands >= 8 && x.session.now_ms === x.session.live_now_ms);
check(s.session.events > 10, 'the page mirrors the broker\'s events', s.session);
const text = await drawn();
check(text.includes('orders p0') && text.includes('alice'), 'the partitions and alice\'s deliveries are on screen', text.slice(0, 400));
await page.screenshot({ path: join(outDir, 'live-1-traffic.png') });

// Space pauses the view; the broker goes on.
await page.mouse.click(800, 450);
await page.keyboard.press('Space');
s = await until('the view to pause', (x) => !x.session.playing);
const pausedAt = s.session.now_ms;
await post('/v1/produce?topic=orders&key=late&value=later');
s = await until('the broker to move on while the view stays', (x) => x.session.live_now_ms > pausedAt + 200);
check(s.session.now_ms === pausedAt, 'the paused view stays where it was', [s.session.now_ms, pausedAt]);
check(/view paused/.test(await drawn()), 'the status bar says the view is behind the live broker');
await page.screenshot({ path: join(outDir, 'live-2-paused.png') });

// L returns to live, the late message there.
await page.keyboard.press('l');
s = await until('the view to return to live', (x) => x.session.playing && x.session.now_ms >= x.session.live_now_ms);
check(s.session.commands >= 9, 'the late produce is in the view', s.session);
await page.screenshot({ path: join(outDir, 'live-3-back.png') });
for (const name of ['live-1-traffic', 'live-2-paused', 'live-3-back']) {
  const colours = Number(execFileSync('convert', [join(outDir, name + '.png'), '-format', '%k', 'info:']).toString());
  check(colours >= 200, `${name}.png is not blank (${colours} colours)`, colours);
}
check(errors.length === 0, 'the page logged no errors', errors);
await reader.cancel();
await context.close();
console.log(`live view e2e: ${failures.length ? 'FAILED' : 'ok'} (${failures.length} failures)`);
process.exit(failures.length ? 1 : 0);
