// What the browser tests share: a checker that prints each check, a headless Chromium (Debian's,
// no download), waiting on the page's state, and clicking an item where the UI drew it.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// check(ok, what, detail) prints one line; `failures` lists what failed.
export function checker() {
  const c = { steps: 0, failures: [] };
  c.check = (ok, what, detail) => {
    ++c.steps;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ': ' + JSON.stringify(detail)}`);
    if (!ok) c.failures.push(what);
  };
  return c;
}

export async function launch(width = 1600, height = 900) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'driftq-chromium-')), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width, height },
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--no-first-run', '--disable-quic', '--no-sandbox', '--enable-unsafe-swiftshader'],
  });
}

export const state = (page) => page.evaluate(() => window.__driftq.state());

// Polls the page's state until `predicate` holds; a timeout is a failed check.
export async function until(check, page, what, predicate, timeout = 10000) {
  const start = Date.now();
  for (;;) {
    const s = await state(page);
    if (predicate(s)) return s;
    if (Date.now() - start > timeout) {
      check(false, 'waiting for ' + what, s);
      return s;
    }
    await page.waitForTimeout(40);
  }
}

// Clicks the item with this label (in a window whose name starts with `window`) where it is on
// screen, then lets the page draw `settle` ms.
export async function click(check, page, label, window = '', settle = 120) {
  const start = Date.now();
  for (;;) {
    const items = await page.evaluate(() => window.__driftq.items());
    const it = items.find((i) => i.label === label && (!window || i.window.startsWith(window)));
    if (it) {
      await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
      if (settle) await page.waitForTimeout(settle);
      return true;
    }
    if (Date.now() - start > 5000) {
      check(false, `finding "${label}"${window ? ' in ' + window : ''}`, items.map((i) => i.label).slice(0, 80));
      return false;
    }
    await page.waitForTimeout(50);
  }
}

// Clicks drawn text that is not an item with a label (a tab's name): the first run in a window
// whose name starts with `win` that starts with `text`, near its left end. No settling.
export async function clickText(check, page, text, win) {
  const runs = await page.evaluate(() => window.__driftq.drawnRuns());
  const r = runs.find((x) => x.window.startsWith(win) && x.text.startsWith(text));
  if (!r) {
    check(false, `finding the text "${text}" in ${win}`, runs.filter((x) => x.window.startsWith(win)).map((x) => x.text));
    return false;
  }
  await page.mouse.click(r.x + Math.min(10, r.w / 2), r.y + r.h / 2);
  return true;
}

// The text a window drew in the last frame, one run a line.
export async function windowText(page, win) {
  const runs = await page.evaluate(() => window.__driftq.drawnRuns());
  return runs.filter((x) => x.window.startsWith(win)).map((x) => x.text).join('\n');
}
