// The page's side of the playground (prepended to driftq.js with --pre-js, so it can call the
// module's exports): share links, opening and dropping scenario files, paste, and the test hook.
// Everything it does to the session goes through the same C++ entry points as the UI.
var DriftqGlue = {
  // Copies a JS string into the module's memory for one call.
  withString(text, fn) {
    const ptr = allocateUTF8(text);
    try { return fn(ptr); } finally { _free(ptr); }
  },
  takeString(ptr) {
    const s = UTF8ToString(ptr);
    _free(ptr);
    return s;
  },
  notify(title, body, warning, copyable) {
    DriftqGlue.withString(title, (t) => DriftqGlue.withString(body, (b) => DriftqGlue.withString(copyable || '', (c) =>
      Module._driftq_notify(t, b, warning ? 1 : 0, c))));
  },
  // Opens scenario text (a file, a link) as a new session; `warnings` are shown before it runs.
  open(text, name, seed, at, warnings) {
    DriftqGlue.withString(text, (t) => DriftqGlue.withString(name, (n) => DriftqGlue.withString(seed || '', (s) =>
      DriftqGlue.withString((warnings || []).join('\n\n'), (w) => Module._driftq_open_text(t, n, s, at || 0, w)))));
  },

  // --- share links
  linkInPage() { return /(^#|&)f=/.test(location.hash); },
  async openLink() {
    const link = location.href;
    const fragment = location.hash;
    // The link has done its job once read: a reload then resumes from this browser's storage
    // (the session the link replaced is kept as the previous one, File menu).
    history.replaceState(null, '', location.pathname + location.search);
    try {
      const s = await DriftqShare.decode(fragment, DriftqGlue.engine());
      DriftqGlue.open(s.text, s.name, s.seed, s.at, s.warnings);
    } catch (e) {
      DriftqGlue.withString('This share link cannot be opened: ' + e.message + '\n\nThe link is below, to copy and try elsewhere.',
        (m) => DriftqGlue.withString(link, (l) => Module._driftq_link_failed(m, l)));
    }
  },
  async share(text, seed, at, name) {
    const fragment = await DriftqShare.encode({ text, seed, at, name, engine: DriftqGlue.engine() });
    const link = location.origin + location.pathname + location.search + fragment;
    DriftqGlue.lastLink = link;  // not in the address bar: a reload there would reopen the link
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (e) { /* no permission outside a gesture, or no clipboard: the link is shown below */ }
    DriftqGlue.notify('Share link', (copied ? 'Copied to the clipboard' : 'Your browser did not let the page copy it: select it below and press Ctrl+C, or press Copy') +
      ` (${link.length} characters). It opens this session, your commands included, at ${(at / 1000).toFixed(3)} s, ` +
      'with the same seed, so whoever opens it sees the same run.', false, link);
  },
  engine() { return DriftqGlue.takeString(Module._driftq_engine_version()); },

  // --- files
  MAX_FILE_BYTES: 16 << 20,
  openFile(file) {
    if (file.size > DriftqGlue.MAX_FILE_BYTES) {
      return DriftqGlue.notify('Could not open ' + file.name, `It is ${(file.size / 1048576).toFixed(1)} MiB; a scenario file ` +
        `here may be at most ${DriftqGlue.MAX_FILE_BYTES >> 20} MiB (scenarios describe runs, they do not hold them).`, true);
    }
    file.text().then((text) => DriftqGlue.open(text, file.name, '', 0, []),
                     (e) => DriftqGlue.notify('Could not read ' + file.name, String(e), true));
  },
  pickFile() {
    let input = document.getElementById('driftq-file');
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.id = 'driftq-file';
      input.accept = '.json,application/json';
      input.style.display = 'none';
      input.addEventListener('change', () => { if (input.files[0]) DriftqGlue.openFile(input.files[0]); input.value = ''; });
      document.body.appendChild(input);
    }
    input.click();
  },

  install() {
    const canvas = Module.canvas;
    canvas.addEventListener('dragover', (e) => e.preventDefault());
    canvas.addEventListener('drop', (e) => {
      e.preventDefault();
      if (e.dataTransfer.files.length) DriftqGlue.openFile(e.dataTransfer.files[0]);
    });
    // SDL2 has no clipboard on the web, and a browser pastes only into something editable. So
    // Ctrl/Cmd+V moves the focus to a hidden text area before the key's default action runs
    // (and keeps the key from SDL, which would cancel it); the paste lands there, we hand its text
    // to ImGui and give the focus back to the canvas. No clipboard permission is needed. The text
    // is typed in once Ctrl/Cmd is up (web/main.cpp): ImGui ignores characters typed with it held.
    const sink = document.createElement('textarea');
    sink.setAttribute('aria-hidden', 'true');
    sink.tabIndex = -1;
    sink.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none';
    document.body.appendChild(sink);
    const paste = (e) => {
      const text = e.clipboardData && e.clipboardData.getData('text');
      if (text) DriftqGlue.withString(text, (p) => Module._driftq_paste(p));
      e.preventDefault();
    };
    window.addEventListener('keydown', (e) => {
      if (!(e.ctrlKey || e.metaKey) || (e.key !== 'v' && e.key !== 'V')) return;
      e.stopImmediatePropagation();
      sink.value = '';
      sink.focus();
    }, true);
    sink.addEventListener('paste', (e) => {
      paste(e);
      canvas.focus();  // now, before the keys are released: SDL must see them go up
    });
    // A button released outside the canvas would leave ImGui dragging forever.
    window.addEventListener('pointerup', () => Module._driftq_release_buttons());
    canvas.addEventListener('pointerleave', (e) => { if (!e.buttons) Module._driftq_release_buttons(); });
    window.addEventListener('hashchange', () => { if (DriftqGlue.linkInPage()) DriftqGlue.openLink(); });
  },
};

// The test hook: what end-to-end tests read (the page's state as JSON) and where the UI's items
// are, so a test clicks them with real mouse events. Not an API for anything else.
window.__driftq = {
  state: () => JSON.parse(DriftqGlue.takeString(Module._driftq_state_json())),
  // FNV-1a 64 of the trace (NDJSON) up to the cursor: reads the whole trace, so asked for apart.
  traceHash: () => DriftqGlue.takeString(Module._driftq_trace_hash()),
  // Items laid out in the last frame: {label, window, x, y, w, h} in CSS pixels.
  items: () => JSON.parse(DriftqGlue.takeString(Module._driftq_items_json())),
  lastLink: () => DriftqGlue.lastLink || null,
  // The text the last frame drew (read back from its glyphs), one run of text a line.
  drawnText: () => DriftqGlue.takeString(Module._driftq_drawn_text()),
  // The same runs with their places: [{text, x, y, w, h}] in CSS pixels.
  drawnRuns: () => JSON.parse(DriftqGlue.takeString(Module._driftq_drawn_runs_json())),
  // For benchmarks: open scenario text as a file would, move the cursor as the scrubber does,
  // and the module's memory (WebAssembly memory only grows, so this is also its peak).
  open: (text, name) => DriftqGlue.open(text, name, '', 0, []),
  seek: (ms) => Module._driftq_seek(ms),
  wasmBytes: () => HEAP8.buffer.byteLength,
};

// The page as a live view of the driftqd that serves it (`driftqd --web DIR`, opened with ?live):
// reads the broker's command log line by line and hands each to the module (web/live_mirror.cpp).
var DriftqLive = {
  requested() { return new URLSearchParams(location.search).has('live'); },
  async start() {
    const url = 'live/commands';
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      return DriftqLive.fail('cannot reach ' + url + ' (' + e.message + ')');
    }
    if (!response.ok) {
      // driftqd says why (too many pages mirroring it, its history past its bound) in JSON.
      let why = '';
      try { why = (await response.json()).message || ''; } catch (e) { /* not driftqd's answer */ }
      return DriftqLive.fail(url + ' answered ' + response.status + (why ? ': ' + why : '; is this page served by driftqd --web?'));
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      let part;
      try {
        part = await reader.read();
      } catch (e) {
        return DriftqLive.fail('the connection broke (' + e.message + ')');
      }
      if (part.done) break;
      buf += decoder.decode(part.value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        DriftqGlue.withString(line, (l) => DriftqGlue.withString(location.host, (o) => Module._driftq_live_line(l, o)));
      }
    }
    DriftqLive.fail('the broker ended the stream (it stopped, or this page fell too far behind)');
  },
  fail(why) {
    DriftqGlue.notify('The live view stopped', 'The driftqd this page mirrors is out of reach: ' + why +
      '. The view keeps what it has; reload the page to connect again.', true);
  },
};
