// The lesson loop in the browser, walked as a learner walks it, at 1280x720 and 1440x900. A first
// visit opens lesson 1 in the Learn layout, its Flow panel showing messages travel and acks come
// back, and a click on a member crashes it; then Inspect. Every bundled lesson opened from the
// Lessons menu, Next pressed from its first step to its last and on to its end (Skip pressed at
// each task, which Next waits for), where every check must have passed and none wait (what
// `driftq-sim run` reports); Back from the end makes the end's checks wait again. Quick clicks on
// tabs switch them. Event >> pressed from a check's own time moves on, and lesson 9 shows its
// lost offset as skipped. Screenshots go to OUT_DIR.
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

// The first visit: Learn, lesson 1, Flow large. Moves read back from the page's scene (what the
// panel draws), names from the drawn text; a click on billing-1 then Crash in its menu.
async function firstVisit(page, size) {
  let s = await page.evaluate(() => window.__driftq.state());
  check(s.layout === 'Learn' && s.session.scenario.startsWith('01-'), `${size}: a first visit opens lesson 1 in the Learn layout`, [s.layout, s.session.scenario]);
  const seekTo = async (ms) => {
    await page.evaluate((t) => window.__driftq.seek(t), ms);
    return until(page, `lesson 1 at ${ms} ms`, (x) => x.session.now_ms === ms);
  };
  s = await seekTo(30);  // order 3 produced at 20, on its way to the partition
  const travelling = (x, kind, from, to) => x.session.flow.moves.some((m) => m.kind === kind && m.from === from && m.to === to && m.progress > 0 && m.progress < 1);
  check(travelling(s, 'produce', 'producer', 'partition') && travelling(s, 'delivery', 'partition', 'member'),
        `${size}: at 30 ms a produce travels from shop to the partition and a delivery to billing-1`, s.session.flow.moves);
  s = await seekTo(75);  // acks at 50, 60 and 70 coming back
  check(travelling(s, 'ack', 'member', 'partition'), `${size}: at 75 ms acks travel back from billing-1`, s.session.flow.moves);
  const drawn = await page.evaluate(() => window.__driftq.drawnRuns());
  const inFlow = drawn.filter((r) => r.window === 'Flow').map((r) => r.text).join('\n');
  check(['producers', 'shop', 'you', 'consumers', 'billing-1', 'read by billing'].every((w) => inFlow.includes(w)),
        `${size}: the Flow panel names the producers, the partition's reader and the consumer`, inFlow.slice(0, 300));
  await page.screenshot({ path: join(outDir, `learn-first-visit-${size}.png`) });
  const member = drawn.find((r) => r.window === 'Flow' && r.text === 'billing-1');
  if (!member) check(false, `${size}: billing-1 drawn in Flow`, inFlow);
  else {
    await page.mouse.click(member.x + 4, member.y + member.h / 2);
    await page.waitForTimeout(250);
    await click(page, 'Crash');
    s = await until(page, 'billing-1 to be crashed', (x) => x.session.flow.members.some((m) => m.name === 'billing-1' && m.state === 'gone'));
    check(s.session.flow.members.some((m) => m.name === 'billing-1' && m.state === 'gone'), `${size}: a click on billing-1 in Flow, then Crash, crashes it`, s.session.flow.members);
  }
  await click(page, 'Inspect');
  s = await until(page, 'the Inspect layout', (x) => x.layout === 'Inspect');
  check(s.layout === 'Inspect', `${size}: a click on Inspect in the menu bar switches the layout`, s.layout);
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
  await firstVisit(page, size);
  await quickTabs(page, size);
  let resolved = 0, skipped = 0;
  for (let n = 1; n <= 21; ++n) {
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
    // Opened afresh: at 0 ms with no command of the person's (the first visit left lesson 1 acted on).
    let s = await until(page, `lesson ${id} to open`, (x) => x.session && x.session.scenario.startsWith(id + '-') && x.session.now_ms === 0 && x.session.commands === 0);
    // As a person would, look before clicking: the menu that was just closed can still be on
    // screen for a frame, over the Lesson panel's buttons.
    await page.waitForTimeout(250);
    const end = s.session.until_ms;
    const last = s.session.lesson_steps - 1;
    // Next, one press at a time, from the first step to the last and then to the end.
    for (let press = 0; press < s.session.lesson_steps + 1 && s.session.now_ms < end; ++press) {
      if (s.session.task && s.session.task.waiting) {
        // The run waits for the step's task: Skip applies one solution, and it says solved.
        await click(page, 'Skip: show a solution', '##lesson');
        s = await until(page, `Skip to solve lesson ${id}'s task`, (x) => x.session.task && x.session.task.solved);
        await page.waitForTimeout(100);
        const said = await page.evaluate(() => window.__driftq.drawnText());
        check(said.includes('Task solved'), `${size} lesson ${id}: Skip solves the task at ${s.session.now_ms} ms`, said.slice(0, 300));
        ++skipped;
      }
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
  check(resolved === 21, `${size}: all 21 lessons resolve every check at their end`, resolved);
  check(skipped === 10, `${size}: Skip solved all 10 tasks`, skipped);
  check(errors.length === 0, `${size}: the page logged no errors`, errors);
  await context.close();
}

await walk(1280, 720);
await walk(1440, 900);
console.log(`${run.steps - failures.length}/${run.steps} checks passed; screenshots in ${outDir}`);
if (failures.length) process.exit(1);
