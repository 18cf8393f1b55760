// driftqd against pages of other origins, in headless Chromium (issue 20, item 3). A page on
// another site tries what any page a person visits could: an auto-submitted form (text/plain,
// no preflight), no-cors fetches that produce and create a topic, an <img> that opens a consume
// stream; and a name rebound to 127.0.0.1 (Chromium's host resolver rules map evil.test there)
// tries to read the broker's answers. Against the guarded broker nothing acts and the rebound
// name reads only a 421; against one started with --allow-host '*' --allow-origin '*' the same
// page acts and reads (so the first result is the guard's doing).
//
// Usage: node origins.mjs GUARDED_PORT OPEN_PORT OUT_DIR
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [guardedPort, openPort, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const failures = [];
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ': ' + JSON.stringify(detail)}`);
  if (!ok) failures.push(what);
}

// The attack page, for the broker at ?port=N.
const attack = (port) => `<!doctype html><title>another site</title>
<iframe name="sink" style="display:none"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink"
      action="http://127.0.0.1:${port}/v1/topics"><input name='{"name":"formtopic","partitions":1}' value=''></form>
<img src="http://127.0.0.1:${port}/v1/consume?topic=t&group=imggroup&owner=img">
<script>
  document.getElementById('f').submit();
  fetch('http://127.0.0.1:${port}/v1/produce?topic=t&value=fetched', { method: 'POST', mode: 'no-cors' });
  fetch('http://127.0.0.1:${port}/v1/topics', { method: 'POST', mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' }, body: '{"name":"jsontopic","partitions":1}' });
  document.title = 'sent';
</script>`;
const site = createServer((req, res) => {
  const port = new URL(req.url, 'http://x').searchParams.get('port');
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end(attack(port));
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const sitePort = site.address().port;

const api = (port, path, init) => fetch(`http://127.0.0.1:${port}${path}`, init);
const commands = async (port) => Number((await (await api(port, '/metrics')).text()).match(/^driftqd_commands_total (\d+)$/m)[1]);
const topics = async (port) => (await (await api(port, '/v1/topics')).json()).topics;
const groups = async (port) => (await (await api(port, '/metrics')).text()).includes('group="imggroup"');

const profile = mkdtempSync(join(tmpdir(), 'driftq-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 720 },
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
         '--disable-quic', '--no-sandbox', '--host-resolver-rules=MAP evil.test 127.0.0.1'],
});
const page = context.pages()[0] ?? await context.newPage();

async function visit(port) {
  await api(port, '/v1/topics?name=t&partitions=1', { method: 'POST' });
  const before = await commands(port);
  // The page is served by another origin: evil.test on the site's port.
  await page.goto(`http://evil.test:${sitePort}/?port=${port}`);
  await page.waitForFunction(() => document.title === 'sent');
  await page.waitForTimeout(1500);  // the form, the fetches and the image go out
  const result = { acted: (await commands(port)) - before, topics: await topics(port), imgGroup: await groups(port) };
  // A rebound name: the broker's own port under the attacker's name.
  const rebound = await page.goto(`http://evil.test:${port}/v1/topics`);
  result.reboundStatus = rebound.status();
  result.reboundBody = await page.textContent('body');
  return result;
}

const guarded = await visit(guardedPort);
check(guarded.acted === 0, 'guarded: the page on another origin makes the broker apply nothing', guarded);
check(JSON.stringify(guarded.topics) === '["t"]', 'guarded: no topic from the form post or the text/plain fetch', guarded.topics);
check(!guarded.imgGroup, 'guarded: the <img> opened no consume stream (no group imggroup)', guarded);
check(guarded.reboundStatus === 421 && /MISDIRECTED_REQUEST/.test(guarded.reboundBody) && !/"t"/.test(guarded.reboundBody),
      'guarded: the rebound name reads a 421, not the topics', guarded);
await page.screenshot({ path: join(outDir, 'rebound-refused.png') });

const open = await visit(openPort);
check(open.acted >= 3 && open.topics.includes('formtopic') && open.topics.includes('jsontopic'),
      'open (--allow-origin *): the same page creates topics and produces', open);
check(open.imgGroup, 'open: the <img> opened a consume stream', open);
check(open.reboundStatus === 200 && /"t"/.test(open.reboundBody), 'open (--allow-host *): the rebound name reads the topics', open);

await context.close();
site.close();
console.log(failures.length ? `FAILED: ${failures.length}` : 'passed');
process.exit(failures.length ? 1 : 0);
