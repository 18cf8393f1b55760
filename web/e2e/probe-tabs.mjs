import * as h from './helpers.mjs';
const ctx = await h.launch(1280, 720);
const page = await ctx.newPage();
page.on('crash', () => console.log('CRASH')); page.on('close', () => console.log('CLOSE')); ctx.on('close', () => console.log('CTX CLOSE'));
await page.goto('http://127.0.0.1:8765/index.html'); await page.waitForTimeout(3000);
for (let i = 0; ; ++i) { const f = await page.evaluate(() => window.__driftq ? window.__driftq.state().frames : -1).catch(e => String(e)); if (i % 10 == 0) console.log("frames", f); if (f > 3) break; await page.waitForTimeout(500); }
await page.waitForTimeout(500);
const runs = () => page.evaluate(() => window.__driftq.drawnRuns());
const panel = async () => (await runs()).filter(r => r.window.startsWith('##details')).map(r => r.text).slice(0, 5).join(' | ');
const delay = Number(process.argv[2] ?? 300);
for (const tab of ['WAL', 'Events', 'Lag and throughput', 'WAL', 'Lag and throughput', 'Events']) {
  const r = (await runs()).find(r => r.window.startsWith('##details') && r.text.startsWith(tab));
  if (!r) { console.log('no tab', tab); continue; }
  await page.mouse.click(r.x + 10, r.y + r.h / 2);
  await page.waitForTimeout(delay);
  const s = await page.evaluate(() => window.__driftq.state());
  console.log(tab, '=>', await panel(), JSON.stringify(s.imgui));
  await page.screenshot({ path: `/tmp/probe/tab-${tab.replace(/ /g,'_')}.png` });
}
await ctx.close();
