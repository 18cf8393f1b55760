// End-to-end test of the web playground in Debian's Chromium (headless, WebGL 2 on SwiftShader),
// driven as a person drives it: real mouse clicks on the UI's items and real key presses. The
// page's test hook (window.__driftq, web/glue_pre.js) says where the items are and what the
// state is; screenshots of every step go to OUT_DIR for a person to look at.
//
// Usage: node playground.mjs URL OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import * as h from './helpers.mjs';

const [url, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const run = h.checker();
const { check, failures } = run;
const launch = () => h.launch(1600, 900);

// A page that records its errors; `expected` errors (regexes) are those a step provokes.
async function open(context, address, expected = []) {
  const page = context.pages()[0] ?? await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) page.errors.push(m.text());
  });
  await page.goto(address);
  await ready(page);
  // A first visit meets the Learn layout; these journeys use Inspect's panels, as a person
  // debugging would, so they switch with the menu bar's Inspect (remembered from then on).
  // A page that opens with a notice (storage full, no storage) keeps Learn: its checks read the
  // notice and the status line, which both layouts show.
  const first = await h.state(page);
  page.firstLayout = first.layout;
  if (first.layout === 'Learn' && !first.notice) {  // a notice is modal: the journey reads it first
    await h.click(check, page, 'Inspect', '', 120);
    await h.until(check, page, 'the Inspect layout', (x) => x.layout === 'Inspect');
  }
  return page;
}

async function ready(page) {
  await page.waitForFunction(() => document.getElementById('status').classList.contains('gone') &&
                                   window.__driftq && window.__driftq.state().frames > 3, null, { timeout: 30000 });
}

const state = h.state;
const traceHash = (page) => page.evaluate(() => window.__driftq.traceHash());
const until = (page, what, predicate, timeout) => h.until(check, page, what, predicate, timeout);
// Clicks the item with this label (in this window, if given) where it is on screen.
const click = (page, label, window) => h.click(check, page, label, window, 120);

async function shot(page, name) {
  const path = join(outDir, name + '.png');
  await page.screenshot({ path });
  const colours = Number(execFileSync('convert', [path, '-format', '%k', 'info:']).toString());
  check(colours >= 200, `${name}.png is not blank (${colours} colours)`, colours);
  return path;
}

// Waits until the browser has confirmed saving everything: nothing in flight and no new save for
// longer than the playground waits between saves (twice a second).
async function saved(page) {
  let last = await until(page, 'a first confirmed save', (x) => x.saved.epochs_confirmed > 0 && !x.saved.in_flight);
  for (;;) {
    await page.waitForTimeout(800);
    const now = await until(page, 'the save in flight to finish', (x) => !x.saved.in_flight);
    if (now.saved.epochs_confirmed === last.saved.epochs_confirmed) {
      check(now.saved.error === 0, 'saving reported no error', now.saved);
      return now;
    }
    last = now;
  }
}

const context = await launch();
let page = await open(context, url);

// --- first visit: lesson 1, a live WebGL 2 context, the lesson on screen
let s = await state(page);
check(s.session && s.session.scenario === '01-first-produce-consume.json', 'first visit opens lesson 1', s.session);
check(page.firstLayout === 'Learn', 'a first visit opens in the Learn layout', page.firstLayout);
const alive = await page.evaluate(() => {
  const gl = document.getElementById('canvas').getContext('webgl2');
  return gl !== null && !gl.isContextLost();
});
check(alive, 'the WebGL 2 context is alive');
const labels = (await page.evaluate(() => window.__driftq.items())).map((i) => i.label);
check(labels.includes('< Back') && labels.includes('Next >'), 'the lesson panel is on screen with its Next button', labels);
const drawn = await page.evaluate(() => window.__driftq.drawnText());
check(drawn.includes('first-produce-consume') && drawn.includes('Step 1 of 3') && /A producer\s+appends messages/.test(drawn),
      'the screen shows the lesson\'s title, step and text', drawn.slice(0, 400));
await shot(page, '01-first-visit');

// --- pick a lesson from the menu
await click(page, 'Lessons');
await click(page, '04  ack-timeout-redelivery');
s = await until(page, 'lesson 4 to open', (x) => x.session.scenario === '04-ack-timeout-redelivery.json');
check(s.session.now_ms === 0, 'lesson 4 starts at 0 ms', s.session.now_ms);

// --- play, pause, step back
await click(page, 'Play', 'Timeline');
// Past the redelivery at 500 ms, so that two earlier event times (500 and 0) exist to step back to.
s = await until(page, 'time to move while playing', (x) => x.session.now_ms > 600);
await click(page, 'Pause', 'Timeline');
const paused = await until(page, 'pause', (x) => !x.session.playing);
check(paused.session.events > 0, 'playing made events', paused.session.events);
// Left: back to the latest earlier event's time; again: before it, so it leaves the screen.
await page.keyboard.press('ArrowLeft');
const back1 = await until(page, 'one step back', (x) => x.session.now_ms < paused.session.now_ms);
await page.keyboard.press('ArrowLeft');
s = await until(page, 'a second step back', (x) => x.session.now_ms < back1.session.now_ms);
check(s.session.events < back1.session.events, 'stepping back shows fewer events', [s.session.events, back1.session.events]);
// Two quick taps are two steps: where two slow Left taps lead from 1000 ms, two quick ones must too.
await page.evaluate(() => window.__driftq.seek(1000));
await until(page, 'the seek to 1000 ms', (x) => x.session.now_ms === 1000);
await page.keyboard.press('ArrowLeft');
const slow1 = await until(page, 'a slow step back', (x) => x.session.now_ms < 1000);
await page.keyboard.press('ArrowLeft');
const slow2 = await until(page, 'another slow step back', (x) => x.session.now_ms < slow1.session.now_ms);
await page.evaluate(() => window.__driftq.seek(1000));
await until(page, 'the seek back to 1000 ms', (x) => x.session.now_ms === 1000);
await page.keyboard.press('ArrowLeft');
await page.keyboard.press('ArrowLeft');
s = await until(page, 'two quick steps back', (x) => x.session.now_ms === slow2.session.now_ms);
check(s.session.now_ms === slow2.session.now_ms, 'two quick taps of Left step twice, as two slow ones do',
      [slow1.session.now_ms, slow2.session.now_ms, s.session.now_ms]);
await shot(page, '02-lesson4-stepped-back');

// --- paste into a field (the browser's paste event; SDL has no web clipboard), then act with it
await context.grantPermissions(['clipboard-read', 'clipboard-write']);
await page.evaluate(() => navigator.clipboard.writeText('pasted-key'));
await click(page, 'Key', '');
await page.keyboard.press('Control+A');
await page.keyboard.press('Control+V');
await page.keyboard.press('Enter');
await click(page, 'Produce');
s = await until(page, 'the produce with the pasted key', (x) => x.session.last_events.some((e) => e.includes('pasted-key')));
check(s.session.commands === 1, 'the produce is the session\'s one command', s.session);

// --- open a scenario file: File > Open (the browser's file dialog), and a file dropped on the page
const chooser = page.waitForEvent('filechooser');
await click(page, 'File');
await click(page, 'Open a scenario file...');
await (await chooser).setFiles(new URL('../../scenarios/02-key-partitioning.json', import.meta.url).pathname);
await until(page, 'the chosen file to open', (x) => x.session.scenario === '02-key-partitioning.json');
await page.evaluate(() => {
  const dt = new DataTransfer();
  dt.items.add(new File(['{"name": "broken", "topics": 3}'], 'broken.json', { type: 'application/json' }));
  document.getElementById('canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
});
s = await until(page, 'the dropped file to be refused', (x) => x.notice && /broken\.json/.test(x.notice.title));
check(/topics/.test(s.notice.body) && s.session.scenario === '02-key-partitioning.json',
      'a bad dropped file is refused with where it is wrong, and the session stays', s);
await shot(page, '02b-bad-file-dropped');
await click(page, 'OK');

// --- a lesson with a WAL: play, crash the broker from the UI, reload, recover
await click(page, 'Lessons');
await click(page, '15  broker-crash-wal-replay');
await until(page, 'lesson 15 to open', (x) => x.session.scenario === '15-broker-crash-wal-replay.json');
await click(page, 'Play', 'Timeline');
await until(page, 'lesson 15 to run a while', (x) => x.session.now_ms > 400 && x.session.wal.durable > 0);
await click(page, 'Pause', 'Timeline');
const beforeCrash = await until(page, 'pause', (x) => !x.session.playing && x.session.broker_running);
await click(page, 'Crash the broker', 'Actions');
s = await until(page, 'the broker to be down', (x) => !x.session.broker_running);
check(s.session.commands === 1 && s.session.now_ms === beforeCrash.session.now_ms, 'the crash is one command at the same time', s.session);
const beforeReload = await saved(page);
const hashBeforeReload = await traceHash(page);
check(beforeReload.saved.durable_records === beforeCrash.session.wal.durable,
      'the browser holds the WAL up to its durable point', [beforeReload.saved.durable_records, beforeCrash.session.wal.durable]);
await shot(page, '03-lesson15-crashed');

await page.reload();
await ready(page);
const after = await state(page);
check(after.session.scenario === '15-broker-crash-wal-replay.json' && after.session.now_ms === beforeReload.session.now_ms &&
      !after.session.broker_running, 'a reload resumes the session where it was', after.session);
const hashAfterReload = await traceHash(page);
check(/^[0-9a-f]{16}$/.test(hashAfterReload) && hashAfterReload === hashBeforeReload, 'with the same trace', [hashAfterReload, hashBeforeReload]);
check(after.saved.loaded_files > 0, 'the files came back from IndexedDB', after.saved);
check(after.saved.recovered.attempted && after.saved.recovered.error === '' &&
      after.saved.recovered.records === beforeReload.saved.durable_records,
      'the WAL from IndexedDB replays to the same durable point', after.saved.recovered);
check(JSON.stringify(after.saved.recovered.committed) === JSON.stringify(beforeCrash.session.committed),
      'the broker rebuilt from it has the same committed offsets', [after.saved.recovered.committed, beforeCrash.session.committed]);
check(/Welcome back.*1 command of yours/.test(after.status), 'the status line says what was recovered', after.status);
await shot(page, '04-lesson15-after-reload');
await click(page, 'Restart the broker', 'Actions');
s = await until(page, 'the broker to restart', (x) => x.session.broker_running);
check(JSON.stringify(s.session.committed) === JSON.stringify(beforeCrash.session.committed),
      'the restarted broker has the committed offsets it had before the crash', [s.session.committed, beforeCrash.session.committed]);

// --- share link: same trace for someone else
await click(page, 'File');
await click(page, 'Copy a share link');
s = await until(page, 'the share notice', (x) => x.notice && x.notice.title === 'Share link');
const link = await page.evaluate(() => window.__driftq.lastLink());
check(typeof link === 'string' && link.includes('#f=2&'), 'a share link is made', link);
await shot(page, '05-share-link');
check(s.notice.copyable === link, 'the notice shows the link to copy', s.notice);
await click(page, 'OK');
const shared = s.session;
const sharedHash = await traceHash(page);

// --- another session replaces the kept one; the File menu brings it back
await click(page, 'Lessons');
await click(page, '01  first-produce-consume');
await until(page, 'lesson 1 to open', (x) => x.session.scenario === '01-first-produce-consume.json');
await page.waitForTimeout(700);  // saved, the lesson 15 session kept as the previous one
await click(page, 'File');
await click(page, 'Reopen the previous session (15-broker-crash-wal-replay.json)');
s = await until(page, 'the previous session to reopen', (x) => x.session.scenario === '15-broker-crash-wal-replay.json');
check(s.session.now_ms === shared.now_ms && (await traceHash(page)) === sharedHash,
      'the previous session comes back at the same moment with the same trace', s.session);

const other = await launch();  // someone else's browser
let page2 = await open(other, link);
s = await until(page2, 'the link to open', (x) => x.session && x.session.scenario === shared.scenario && x.session.now_ms === shared.now_ms);
const openedHash = await traceHash(page2);
check(openedHash === sharedHash, 'the link gives the same trace hash', [openedHash, sharedHash]);
check(s.notice === null, 'a good link opens with no warning', s.notice);
check(!(await page2.evaluate(() => location.hash)), 'the link leaves the address bar once opened');
check(!(await page.evaluate(() => location.hash)), 'sharing leaves the sharer\'s address bar alone (a reload resumes)');

// --- a tampered link: warned, and what differs
const fields = new URLSearchParams(new URL(link).hash.slice(1));
fields.set('hash', '0000000000000000');
fields.set('engine', '0.0.9');
await page2.goto(new URL(link).origin + new URL(link).pathname + '#' + fields.toString());
await ready(page2);
s = await until(page2, 'the tampered-link warning', (x) => x.notice && x.notice.warning);
check(/does not match its hash/.test(s.notice.body) && /engine 0\.0\.9/.test(s.notice.body),
      'the warning says the content does not match and the engine differs', s.notice);
await shot(page2, '06-tampered-link');
await click(page2, 'OK');
// A link cut short cannot be unpacked: said so, and the playground goes on.
fields.set('z', fields.get('z').slice(0, 20));
await page2.goto(new URL(link).origin + new URL(link).pathname + '#' + fields.toString());
await ready(page2);
s = await until(page2, 'the damaged-link notice', (x) => x.notice && /cannot be opened/.test(x.notice.title));
check(/damaged/.test(s.notice.body) && s.has_session && s.notice.copyable.includes('#f=2&'),
      'a damaged link is refused with a reason (the link shown to copy), and a session still opens', s);
check(page2.errors.length === 0, 'the other browser logged no errors', page2.errors);
await other.close();

// --- storage errors are shown with what to do
const third = await launch();
let page3 = await open(third, url);
// A kept session.json that is damaged: refused with where, set aside, lesson 1 instead.
await page3.evaluate(() => new Promise((res, rej) => {
  const req = indexedDB.open('driftq-playground', 1);
  req.onsuccess = () => {
    const tx = req.result.transaction('files', 'readwrite');
    tx.objectStore('files').put(new TextEncoder().encode('{"format": 1, "scenario": 5}'), 'session.json');
    tx.oncomplete = () => { req.result.close(); res(); };
    tx.onabort = () => rej(tx.error);
  };
  req.onerror = () => rej(req.error);
}));
await page3.reload();
await ready(page3);
s = await until(page3, 'the damaged-session notice', (x) => x.notice && /could not be reopened/.test(x.notice.title));
check(/session\.json: \/scenario: expected a string/.test(s.notice.body) && /session\.rejected-1\.json/.test(s.notice.body) &&
      s.session.scenario === '01-first-produce-consume.json', 'a damaged kept session is refused with where, kept aside, and lesson 1 opens', s);
await page3.evaluate(() => new Promise((res, rej) => {  // a newer playground's database
  const req = indexedDB.open('driftq-playground', 7);
  req.onsuccess = () => { req.result.close(); res(); };
  req.onerror = () => rej(req.error);
}));
page3.errors = [];
await page3.reload();
await ready(page3);
s = await until(page3, 'the version error', (x) => x.saved.error === 3 && x.notice);
check(/newer version/.test(s.notice.body), 'a database from a newer version is explained', s.notice);
await shot(page3, '07-storage-version-error');
await third.close();

const fourth = await launch();
await fourth.addInitScript(() => {  // the browser's quota is full
  IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
});
let page4 = await open(fourth, url);
s = await until(page4, 'the quota error', (x) => x.saved.error === 4 && x.notice);
check(/storage for this site is full/.test(s.notice.body), 'a full quota is explained', s.notice);
await fourth.close();

// Another tab blocks the database (an older playground still open): said, and the page works.
const fifth = await launch();
await fifth.addInitScript(() => {
  IDBFactory.prototype.open = function () {
    const req = {};
    setTimeout(() => req.onblocked && req.onblocked(), 20);
    return req;
  };
});
let page5 = await open(fifth, url);
s = await until(page5, 'the blocked error', (x) => x.saved.error === 2 && x.notice);
check(/Another tab/.test(s.notice.body) && s.session.scenario === '01-first-produce-consume.json',
      'a blocked database is explained and lesson 1 still opens', s);
await fifth.close();

// No IndexedDB at all (storage turned off): said, and the page works.
const sixth = await launch();
await sixth.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
let page6 = await open(sixth, url);
s = await until(page6, 'the no-storage error', (x) => x.saved.error === 1 && x.notice);
check(/nothing is kept after a reload/.test(s.notice.body), 'a browser without IndexedDB is explained', s.notice);
await shot(page6, '08-no-storage');
await sixth.close();

check(page.errors.length === 0, 'the page logged no errors', page.errors);
await context.close();
console.log(`${run.steps - failures.length}/${run.steps} checks passed; screenshots in ${outDir}`);
if (failures.length) process.exit(1);
