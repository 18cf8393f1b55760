// Share links (web/share_link.js) under node: round trips, the upgrade from every earlier format
// (fixtures made by earlier versions must keep opening), and the warnings and refusals a person
// sees for tampered, foreign or damaged links. node's zlib stands in for the browser's streams.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const share = require('../../web/share_link.js');

const codec = {
  available: true,
  deflate: async (bytes) => new Uint8Array(zlib.deflateRawSync(bytes)),
  // As the browser's reader does: stopped at the limit (node throws a RangeError there, which
  // stands for the reader's own refusal).
  inflate: async (bytes, limit) => {
    try {
      return new Uint8Array(zlib.inflateRawSync(bytes, { maxOutputLength: limit }));
    } catch (e) {
      throw e instanceof RangeError ? share.tooLarge() : e;
    }
  },
};
const noStreams = { ...codec, available: false };
const ENGINE = '0.1.0';
const scenario = fs.readFileSync(path.join(__dirname, '../../scenarios/04-ack-timeout-redelivery.json'), 'utf8');
const session = { text: scenario, seed: '42', at: 1500, name: '04-ack-timeout-redelivery.json', engine: ENGINE };

const tests = [];
const test = (name, fn) => tests.push([name, fn]);

test('a link opens the same session, at the same time, with no warning', async () => {
  const link = await share.encode(session, codec);
  assert.match(link, /^#f=2&engine=0\.1\.0&seed=42&at=1500&name=04-ack/);
  const got = await share.decode(link, ENGINE, codec);
  assert.equal(got.text, scenario);
  assert.deepEqual([got.seed, got.at, got.name, got.format, got.warnings], ['42', 1500, session.name, 2, []]);
  assert.ok(link.length < scenario.length, 'compressed');
});

test('a link that unpacks past 16 MiB is refused with the limit, without unpacking it whole', async () => {
  // 64 MiB of spaces deflate to about 64 KiB: the kind of link that could fill a tab.
  const bomb = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 200 * 1024);
  let unpacked = 0;
  const counting = { ...codec, inflate: async (bytes, limit) => {
    const out = await codec.inflate(bytes, limit);
    unpacked += out.length;
    return out;
  } };
  const link = `#f=2&engine=${ENGINE}&seed=1&hash=0&z=${share.toBase64url(new Uint8Array(bomb))}`;
  await assert.rejects(share.decode(link, ENGINE, counting), /unpacks to more than 16 MiB/);
  assert.equal(unpacked, 0, 'the codec stopped at the limit');
  // A format-1 link is plain base64: one longer than the limit is refused before decoding.
  const big = `#f=1&engine=${ENGINE}&seed=1&hash=0&json=${'A'.repeat(share.MAX_TEXT_BYTES / 3 * 4 + 8)}`;
  await assert.rejects(share.decode(big, ENGINE, codec), /unpacks to more than 16 MiB/);
  // Just under the limit still opens.
  const text = '{"name": "big", "description": "' + ' '.repeat(share.MAX_TEXT_BYTES - 64) + '"}';
  const ok = await share.decode(`#f=2&engine=${ENGINE}&seed=1&hash=${share.fnv1a64(text)}&z=${share.toBase64url(new Uint8Array(zlib.deflateRawSync(Buffer.from(text))))}`, ENGINE, codec);
  assert.equal(ok.text.length, text.length);
});

test('without CompressionStream the link is format 1, and it opens through the upgrader', async () => {
  const link = await share.encode(session, noStreams);
  assert.match(link, /^#f=1&/);
  const got = await share.decode(link, ENGINE, codec);
  assert.equal(got.text, scenario);
  assert.deepEqual([got.format, got.at, got.warnings], [1, 0, []]);
});

test('links of every earlier format keep opening (fixtures made by earlier versions)', async () => {
  const dir = path.join(__dirname, 'share-links');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  assert.ok(files.length >= 2, 'a fixture per format');
  // The lesson as it stood when the fixtures were made: a link carries its text, not a name.
  const linked = fs.readFileSync(path.join(dir, 'scenario-04-as-linked.json'), 'utf8');
  for (const f of files) {
    const fragment = fs.readFileSync(path.join(dir, f), 'utf8').trim();
    const got = await share.decode(fragment, ENGINE, codec);
    assert.equal(got.text, linked, f);
    assert.deepEqual(got.warnings, [], f);
  }
});

test('an edited link opens what it holds, with a warning that says so', async () => {
  const p = new URLSearchParams((await share.encode(session, codec)).slice(1));
  p.set('hash', 'ffffffffffffffff');
  const got = await share.decode('#' + p, ENGINE, codec);
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0], /does not match its hash \(the link says ffffffffffffffff, the content gives [0-9a-f]{16}\)/);
});

test('a link from another engine says the trace may differ', async () => {
  const link = await share.encode({ ...session, engine: '0.0.9' }, codec);
  const got = await share.decode(link, ENGINE, codec);
  assert.equal(got.warnings.length, 1);
  assert.match(got.warnings[0], /made with engine 0\.0\.9; this playground runs 0\.1\.0/);
});

test('a seed that is not a number is named, and the scenario keeps its own', async () => {
  const p = new URLSearchParams((await share.encode(session, codec)).slice(1));
  p.set('seed', 'abc');
  const got = await share.decode('#' + p, ENGINE, codec);
  assert.equal(got.seed, null);
  assert.match(got.warnings[0], /seed "abc" is not a number/);
});

test('links that cannot open say why', async () => {
  const p = new URLSearchParams((await share.encode(session, codec)).slice(1));
  const cut = new URLSearchParams(p);
  cut.set('z', p.get('z').slice(0, 30));
  await assert.rejects(share.decode('#' + cut, ENGINE, codec), /damaged and cannot be unpacked/);
  const newer = new URLSearchParams(p);
  newer.set('f', '3');
  await assert.rejects(share.decode('#' + newer, ENGINE, codec), /newer playground \(link format 3; this one reads formats 1 to 2\)/);
  await assert.rejects(share.decode('#seed=4', ENGINE, codec), /not a DriftQ share link/);
  const empty = new URLSearchParams(p);
  empty.delete('z');
  await assert.rejects(share.decode('#' + empty, ENGINE, codec), /no scenario/);
  await assert.rejects(share.decode('#f=1&json=%%%', ENGINE, codec), /damaged/);
});

test('a browser that cannot decompress says so, not that the link is damaged', async () => {
  const link = await share.encode(session, codec);
  await assert.rejects(share.decode(link, ENGINE, noStreams), /cannot unpack compressed links \(it has no DecompressionStream\)/);
});

test('FNV-1a 64 matches the C++ trace hash (web/test_hook.cpp) on known values', () => {
  assert.equal(share.fnv1a64(''), 'cbf29ce484222325');
  assert.equal(share.fnv1a64('a'), 'af63dc4c8601ec8c');
});

(async () => {
  let failed = 0;
  for (const [name, fn] of tests) {
    try {
      await fn();
      console.log('ok   ' + name);
    } catch (e) {
      ++failed;
      console.log('FAIL ' + name + '\n' + e.stack);
    }
  }
  console.log(`${tests.length - failed}/${tests.length} passed`);
  process.exit(failed ? 1 : 0);
})();
