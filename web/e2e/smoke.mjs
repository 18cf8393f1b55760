// First browser check of the playground: load the page in Debian's Chromium (headless, WebGL 2
// on SwiftShader), wait until the module is ready, check the WebGL 2 context is alive, and save a
// screenshot that must not be blank. Usage: node smoke.mjs URL OUT.png
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out] = process.argv.slice(2);
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
await page.goto(url);
await page.waitForFunction(() => document.getElementById('status').classList.contains('gone'), null, { timeout: 30000 });
await page.waitForTimeout(1500);
const alive = await page.evaluate(() => {
  const gl = document.getElementById('canvas').getContext('webgl2');
  return gl !== null && !gl.isContextLost();
});
await page.screenshot({ path: out });
await context.close();
console.log(JSON.stringify({ alive, errors }));
if (!alive || errors.length) process.exit(1);
