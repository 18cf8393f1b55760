// Browser figures for docs/benchmarks.md, in Debian's headless Chromium (SwiftShader, no GPU):
// cold load to the first rendered frame, IndexedDB transaction time per 1 MiB file, UI frame
// time on the desktop benchmark's 1,000,000-message run, and the memory of a 1,000,000-event
// session with time travel. Prints Markdown rows. Run by scripts/bench-web.sh.
//
// Usage: node bench.mjs URL [ui_messages] [session_messages]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, uiMessagesArg, sessionMessagesArg] = process.argv.slice(2);
const uiMessages = Number(uiMessagesArg || 1000000);
const sessionMessages = Number(sessionMessagesArg || 250000);

const launch = () => chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'driftq-bench-')), {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1600, height: 900 },
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-first-run', '--disable-quic', '--no-sandbox', '--enable-unsafe-swiftshader'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (what, figure) => console.log(`| ${what} | ${figure} |`);

async function ready(page) {
  await page.waitForFunction(() => window.__driftqFirstFrame && window.__driftq && window.__driftq.state().frames > 2,
                             null, { timeout: 60000 });
}

// The fixture of bench_ui_frame (tests/ui/big_run.hpp) as a scenario file.
function bigRun(messages) {
  const producers = [];
  for (let i = 0; i < 16; ++i) {
    producers.push({ name: `shop-${i}`, topic: 'orders',
                     rate: { count: messages / 16, every_ms: 1, keys: { kind: 'round_robin', value: `user:${i}:`, count: 4096 } } });
  }
  return { name: 'big-run', seed: 7, until_ms: messages / 16 + 10,
           broker: { max_partition_messages: 0, max_partition_bytes: 0, max_in_flight: 157 },
           topics: [{ name: 'orders', partitions: 64 }], producers,
           consumers: [{ name: 'holder', topic: 'orders', group: 'billing', lease_ms: 100000000, behaviour: 'manual' }] };
}

// The workload of bench_sim and bench_session (bench/bench_scenario.hpp) as a scenario file.
function simWorkload(messages) {
  const consumers = [];
  for (let i = 0; i < 4; ++i) {
    consumers.push({ name: `worker-${i}`, topic: 'orders', group: 'billing', lease_ms: 2000,
                     processing: { kind: 'uniform', min_ms: 1, max_ms: 8 }, fail_probability: 0.01 });
  }
  return { name: 'bench', seed: 42, until_ms: messages + 10000,
           broker: { max_partition_messages: 0, max_partition_bytes: 0, max_in_flight: 16 },
           topics: [{ name: 'orders', partitions: 8 }],
           producers: [{ name: 'shop', topic: 'orders', rate: { count: messages, every_ms: 1, keys: { kind: 'round_robin', value: 'user:', count: 1000 } } }],
           consumers, invariants: ['all_acked_or_dead_lettered'] };
}

// Opens a workload and builds its whole run (the cursor to its end); returns the seconds it took.
async function build(page, scenario, name) {
  const t0 = Date.now();
  await page.evaluate(([text, n]) => window.__driftq.open(text, n), [JSON.stringify(scenario), name]);
  await page.evaluate((ms) => window.__driftq.seek(ms), scenario.until_ms);
  await page.waitForFunction((ms) => window.__driftq.state().session.now_ms >= ms, scenario.until_ms, { timeout: 600000 });
  return (Date.now() - t0) / 1000;
}

// Frame CPU time over the next 240 frames.
async function frames(page, ms = 4500) {
  await page.waitForTimeout(ms);
  return (await page.evaluate(() => window.__driftq.state())).frame_ms;
}

console.log('| what | figure |');
console.log('|---|---:|');

// --- cold load: a fresh profile each time (nothing cached), to the first frame drawn
const loads = [];
for (let i = 0; i < 5; ++i) {
  const ctx = await launch();
  const page = ctx.pages()[0] ?? await ctx.newPage();
  await page.goto(url);
  await ready(page);
  loads.push(await page.evaluate(() => window.__driftqFirstFrame));
  await ctx.close();
}
row('cold load to first frame, median of 5 (ms)', median(loads).toFixed(0));
row('cold load to first frame, worst of 5 (ms)', Math.max(...loads).toFixed(0));

const ctx = await launch();
const page = ctx.pages()[0] ?? await ctx.newPage();
await page.goto(url);
await ready(page);

// --- IndexedDB: one transaction writing a 1 MiB file, as the playground saves a WAL segment
const idb = await page.evaluate(async () => {
  const db = await new Promise((res, rej) => {
    const req = indexedDB.open('driftq-bench', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('files');
    req.onsuccess = () => res(req.result);
    req.onerror = () => rej(req.error);
  });
  const times = [];
  for (let i = 0; i < 20; ++i) {
    const bytes = new Uint8Array(1 << 20);
    for (let j = 0; j < bytes.length; j += 4096) bytes[j] = (i + j) & 255;
    const t0 = performance.now();
    await new Promise((res, rej) => {
      const tx = db.transaction('files', 'readwrite');
      tx.objectStore('files').put(bytes, 'wal/seg-' + (i % 4));
      tx.oncomplete = res;
      tx.onabort = () => rej(tx.error);
    });
    times.push(performance.now() - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  return { p50: times[10], worst: times[19] };
});
row('IndexedDB: one 1 MiB file per transaction, median of 20 (ms)', idb.p50.toFixed(1));
row('IndexedDB: one 1 MiB file per transaction, worst of 20 (ms)', idb.worst.toFixed(1));

// --- UI frame time on the desktop benchmark's run
const big = bigRun(uiMessages);
const buildUi = await build(page, big, 'big-run.json');
const s = (await page.evaluate(() => window.__driftq.state())).session;
row(`UI run: ${uiMessages} messages, 64 partitions (events)`, s.events);
row('UI run: built in (s)', buildUi.toFixed(1));
const idle = await frames(page);
row('UI frame, zoomed out, idle: p50 / p95 / worst (ms)', `${idle.p50.toFixed(2)} / ${idle.p95.toFixed(2)} / ${idle.max.toFixed(2)}`);
await page.evaluate((ms) => window.__driftq.seek(ms), big.until_ms / 2);
const items = await page.evaluate(() => window.__driftq.items());
const play = items.find((i) => i.label === 'Play');
await page.mouse.click(play.x + play.w / 2, play.y + play.h / 2);
const playing = await frames(page);
row('UI frame, playing at 1x mid-run (session included): p50 / p95 / worst (ms)',
    `${playing.p50.toFixed(2)} / ${playing.p95.toFixed(2)} / ${playing.max.toFixed(2)}`);
row('UI run: WebAssembly memory (MiB)', ((await page.evaluate(() => window.__driftq.wasmBytes())) / 1048576).toFixed(0));
await ctx.close();

// --- memory of a 1,000,000-event session with time travel (a fresh page: memory only grows)
const ctx2 = await launch();
const page2 = ctx2.pages()[0] ?? await ctx2.newPage();
await page2.goto(url);
await ready(page2);
const work = simWorkload(sessionMessages);
const buildS = await build(page2, work, 'bench.json');
let seed = 12345;
const seeks = [];
for (let i = 0; i < 50; ++i) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  const at = seed % work.until_ms;
  const t0 = Date.now();
  await page2.evaluate((ms) => window.__driftq.seek(ms), at);
  seeks.push(Date.now() - t0);
}
row(`session: ${sessionMessages} messages (events recorded)`, (await page2.evaluate((ms) => { window.__driftq.seek(ms); return window.__driftq.state().session.events; }, work.until_ms)));
row('session: recorded in (s)', buildS.toFixed(1));
row('session: 50 random seeks, median / worst, with a page round trip (ms)', `${median(seeks)} / ${Math.max(...seeks)}`);
row('session: WebAssembly memory after the seeks (MiB)', ((await page2.evaluate(() => window.__driftq.wasmBytes())) / 1048576).toFixed(0));
await ctx2.close();
