// The lesson loop in the browser, walked as a learner walks it, at 1280x720 and 1440x900: every
// bundled lesson opened from the Lessons menu, Next pressed from its first step to its last and
// on to its end, where every check must have passed and none wait (what `driftq-sim run`
// reports); Back from the end makes the end's checks wait again. Quick clicks on tabs switch
// them. Event >> pressed from a check's own time moves on, and lesson 9 shows its lost offset as
// skipped. Screenshots go to OUT_DIR.
//
// Usage: node lessons.mjs URL OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as h from './helpers.mjs';

const [url, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const run = h.checker();
const { check, failures } = run;
const launch = h.launch;
const until = (page, what, predicate, timeout) => h.until(check, page, what, predicate, timeout);
const click = (page, label, window = '') => h.click(check, page, label, window, 0);

// Quick clicks on the tabs of the panel under the lanes, each moving the pointer and pressing at
// once, the second right after the first (they were lost after the WAL tab had been shown: ImGui
// takes a tab's press only where the pointer was the frame before).
async function quickTabs(page, size) {
  const details = '##details';
  await h.clickText(check, page, 'WAL', details);
  await h.clickText(check, page, 'Lag and throughput', details);
  const start = Date.now();
  let text = '';
  while (Date.now() - start < 3000 && !(text = await h.windowText(page, details)).includes('Per partition')) await page.waitForTimeout(40);
  check(text.includes('Per partition') && !text.includes('runs without a WAL'),
        `${size}: two quick clicks, WAL then Lag and throughput, show the plots`, text.slice(0, 200));
  await h.clickText(check, page, 'Events', details);
  while (Date.now() - start < 6000 && !(text = await h.windowText(page, details)).includes('all kinds')) await page.waitForTimeout(40);
  check(text.includes('all kinds') && !text.includes('Per partition'), `${size}: a quick click on Events shows the events`, text.slice(0, 200));
}

async function walk(width, height) {
  const context = await launch(width, height);
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status').classList.contains('gone') &&
                             window.__driftq && window.__driftq.state().frames > 3, null, { timeout: 30000 });
  const size = `${width}x${height}`;
  await quickTabs(page, size);
  let resolved = 0;
  for (let n = 1; n <= 18; ++n) {
    const id = String(n).padStart(2, '0');
    await click(page, 'Lessons');
    // The menu is open when its entries are on screen and stay put (a person waits to see it
    // too; ImGui lays a new menu out once unseen before it draws it).
    let menu = [], entry, seen;
    for (const start = Date.now(); !entry && Date.now() - start < 3000; await page.waitForTimeout(40)) {
      menu = await page.evaluate(() => window.__driftq.items());
      const now = menu.find((i) => i.label.startsWith(id + '  '));
      if (now && seen && now.x === seen.x && now.y === seen.y) entry = now;
      seen = now;
    }
    if (!entry) { check(false, `lesson ${id} in the Lessons menu`, menu.map((i) => i.label)); continue; }
    await page.mouse.click(entry.x + entry.w / 2, entry.y + entry.h / 2);
    let s = await until(page, `lesson ${id} to open`, (x) => x.session && x.session.scenario.startsWith(id + '-'));
    // As a person would, look before clicking: the menu that was just closed can still be on
    // screen for a frame, over the Lesson panel's buttons.
    await page.waitForTimeout(250);
    const end = s.session.until_ms;
    const last = s.session.lesson_steps - 1;
    // Next, one press at a time, from the first step to the last and then to the end.
    for (let press = 0; press < s.session.lesson_steps + 1 && s.session.now_ms < end; ++press) {
      const before = s.session;
      await click(page, 'Next >', '##lesson');
      s = await until(page, `Next to move on in lesson ${id} from ${before.now_ms} ms`,
                      (x) => x.session.now_ms > before.now_ms || x.session.lesson_step > before.lesson_step);
    }
    const c = s.session.checks;
    const ok = s.session.now_ms === end && s.session.lesson_step === last && c.at_end && c.waiting === 0 && c.failed === 0 &&
               c.passed === c.lines.length && c.passed > 0;
    check(ok, `${size} lesson ${id}: Next reaches its last step and its end (${end} ms), every check passed, none waiting`, c);
    const drawn = await page.evaluate(() => window.__driftq.drawnText());
    check(drawn.includes(`${c.passed} passed, 0 failed, 0 still to check`) && drawn.includes('every check passed'),
          `${size} lesson ${id}: the panel shows the same tally`, drawn.slice(0, 300));
    if (ok) ++resolved;
    if ([4, 8, 15].includes(n)) {
      // At the end, with the step text, checks and panels full: no text cut at the panels' edges.
      const cut = (await page.evaluate(() => window.__driftq.drawnRuns())).filter((r) => r.cut).map((r) => `${r.window}: ${r.text}`);
      check(cut.length === 0, `${size} lesson ${id}: no text runs past its panel`, cut);
      await page.screenshot({ path: join(outDir, `lesson${id}-end-${size}.png`) });
    }
    if (n === 6 || n === 9) {
      // Back from the end: the checks at the end wait again, and the tally says so.
      await click(page, '< Back', '##lesson');
      s = await until(page, `Back in lesson ${id}`, (x) => x.session.now_ms < end);
      const back = s.session.checks;
      check(!back.at_end && back.waiting > 0 && back.passed + back.failed + back.waiting === back.lines.length,
            `${size} lesson ${id}: back before the end, the end's checks wait again`, back);
      const text = await page.evaluate(() => window.__driftq.drawnText());
      check(text.includes(`${back.passed} passed, ${back.failed} failed, ${back.waiting} still to check`),
            `${size} lesson ${id}: the tally after Back matches the list`, text.slice(0, 300));
      await page.screenshot({ path: join(outDir, `lesson${id}-back-${size}.png`) });
    }
    if (n === 9) {
      // Offset 0 was committed past and never acked: after the restart it is drawn as lost.
      await page.evaluate(() => window.__driftq.seek(1200));
      await until(page, 'lesson 9 at 1200 ms', (x) => x.session.now_ms === 1200);
      // Point at offset 0's cell, just right of its lane's label, and read the tooltip.
      const runs = await page.evaluate(() => window.__driftq.drawnRuns());
      let story = '';
      for (const r of runs.filter((x) => x.text === 'orders p0')) {
        await page.mouse.move(r.x + 150 + 4, r.y + r.h / 2);
        await page.waitForTimeout(150);
        story = await page.evaluate(() => window.__driftq.drawnText());
        if (story.includes('group g: ')) break;
      }
      check(/group g: skipped: committed past, never acked/.test(story) && !/group g: acked/.test(story),
            `${size} lesson 09: its lost offset 0 is drawn as skipped, not acked`, story.slice(-400));
      await page.screenshot({ path: join(outDir, `lesson09-skipped-${size}.png`) });
    }
    if (n === 4) {
      // Event >> from a check's own time moves on (it stalled at 499 ms).
      await page.evaluate(() => window.__driftq.seek(499));
      await until(page, 'lesson 4 at 499 ms', (x) => x.session.now_ms === 499);
      await click(page, 'Event >>', 'Timeline');
      s = await until(page, 'Event >> to move on from 499 ms', (x) => x.session.now_ms > 499);
      await page.keyboard.press('ArrowRight');
      const from = s.session.now_ms;
      await until(page, 'Right to move on', (x) => x.session.now_ms > from);
      await page.evaluate(() => window.__driftq.seek(400));
      await until(page, 'lesson 4 at 400 ms', (x) => x.session.now_ms === 400);
      await page.screenshot({ path: join(outDir, `lesson04-expired-${size}.png`) });
    }
  }
  check(resolved === 18, `${size}: all 18 lessons resolve every check at their end`, resolved);
  check(errors.length === 0, `${size}: the page logged no errors`, errors);
  await context.close();
}

await walk(1280, 720);
await walk(1440, 900);
console.log(`${run.steps - failures.length}/${run.steps} checks passed; screenshots in ${outDir}`);
if (failures.length) process.exit(1);
