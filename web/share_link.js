// Share links: a session (a scenario with the person's commands) in the URL fragment, so opening
// the link replays the same run. The fragment never reaches a server.
//
//   #f=2&engine=0.1.0&seed=7&at=1500&name=04-ack.json&hash=0123456789abcdef&z=<deflate-raw, base64url>
//
//   f       the link format (this file writes 2; it reads 1 and 2)
//   engine  the engine that made it (a different engine may give a different trace)
//   seed    the seed to run with (edit it to see another run of the same scenario)
//   at      the moment the author was looking at, in ms
//   name    the scenario's file name
//   hash    FNV-1a 64 of the scenario text, in hex: shows a link that was edited or cut short
//   z       the scenario text, deflate-raw compressed (CompressionStream), base64url
//
// Format 1 (links made where CompressionStream is missing) has `json` (the text as UTF-8,
// base64url) instead of `z`, and no `at` or `name`. Readers upgrade every older format to the
// newest (upgraders below), so old links keep opening.
//
// Plain script: the page loads it with a <script> tag; node's tests require() it.
(function (root) {
  'use strict';

  const FORMAT = 2;
  // The largest scenario a link may unpack to. A deflate stream can expand about a thousandfold,
  // so a link of a megabyte or two could otherwise become gigabytes in the tab.
  const MAX_TEXT_BYTES = 16 * 1024 * 1024;

  class TooLarge extends Error {}
  const tooLarge = () => new TooLarge(`the scenario in the link unpacks to more than ${MAX_TEXT_BYTES / (1024 * 1024)} MiB, ` +
                                      'the most a shared scenario may hold: it is not opened');

  function fnv1a64(text) {
    let h = 0xcbf29ce484222325n;
    for (const b of new TextEncoder().encode(text)) {
      h ^= BigInt(b);
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return h.toString(16).padStart(16, '0');
  }

  function toBase64url(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(text) {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; ++i) out[i] = s.charCodeAt(i);
    return out;
  }

  // The browser's streams; tests pass node's zlib instead.
  const streamCodec = {
    available: typeof CompressionStream === 'function',
    async deflate(bytes) {
      return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    },
    // Read as a stream and stopped at `limit` bytes, never inflated whole first.
    async inflate(bytes, limit) {
      const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
      const parts = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > limit) {
          await reader.cancel();
          throw tooLarge();
        }
        parts.push(value);
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const part of parts) { out.set(part, at); at += part.length; }
      return out;
    },
  };

  // {text, seed, at, name, engine} -> the fragment, starting with '#'.
  async function encode(session, codec = streamCodec) {
    const p = new URLSearchParams();
    const compressed = codec.available;
    p.set('f', compressed ? String(FORMAT) : '1');
    p.set('engine', session.engine);
    p.set('seed', String(session.seed));
    if (compressed) {
      p.set('at', String(session.at || 0));
      p.set('name', session.name || 'shared.json');
    }
    p.set('hash', fnv1a64(session.text));
    const bytes = new TextEncoder().encode(session.text);
    if (compressed) p.set('z', toBase64url(await codec.deflate(bytes)));
    else p.set('json', toBase64url(bytes));
    return '#' + p.toString();
  }

  // Upgraders: each takes the fields of format N and returns those of format N + 1.
  const upgraders = {
    1: async (link) => {
      if (!link.json) throw new Error('the link has no scenario (no "json" part)');
      if (link.json.length / 4 * 3 > MAX_TEXT_BYTES) throw tooLarge();
      return { f: 2, engine: link.engine, seed: link.seed, at: '0', name: 'shared.json', hash: link.hash,
               text: new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(link.json)) };
    },
  };

  // Reads a fragment. Resolves to {text, seed, at, name, engine, format, warnings[]} or rejects
  // with an Error saying what is wrong with the link. `engine` is the reader's own engine version.
  async function decode(fragment, engine, codec = streamCodec) {
    const p = new URLSearchParams(fragment.replace(/^#/, ''));
    const link = Object.fromEntries(p.entries());
    const format = Number(link.f);
    if (!Number.isInteger(format) || format < 1) throw new Error('not a DriftQ share link (no format number "f")');
    if (format > FORMAT) {
      throw new Error(`the link was made by a newer playground (link format ${format}; this one reads formats 1 to ${FORMAT})`);
    }
    let fields = link;
    if (format === FORMAT) {
      if (!link.z) throw new Error('the link has no scenario (no "z" part)');
      if (!codec.available) {
        throw new Error('this browser cannot unpack compressed links (it has no DecompressionStream): open the link in a current browser');
      }
      let bytes;
      try {
        bytes = await codec.inflate(fromBase64url(link.z), MAX_TEXT_BYTES);
        if (bytes.length > MAX_TEXT_BYTES) throw tooLarge();
        fields = { ...link, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
      } catch (e) {
        if (e instanceof TooLarge) throw e;
        throw new Error('the scenario in the link is damaged and cannot be unpacked (was the link cut short?)');
      }
    } else {
      try {
        for (let f = format; f < FORMAT; ++f) fields = await upgraders[f](fields);
      } catch (e) {
        if (e instanceof TooLarge) throw e;
        throw new Error('the scenario in the link is damaged: ' + e.message);
      }
    }
    const warnings = [];
    const got = fnv1a64(fields.text);
    if (fields.hash !== got) {
      warnings.push(`The link's content does not match its hash (the link says ${fields.hash || 'nothing'}, the content gives ${got}): ` +
                    'it was edited or cut after it was made. It opens what it holds, which may not be the run its author saw.');
    }
    if (fields.engine !== engine) {
      warnings.push(`The link was made with engine ${fields.engine || 'unknown'}; this playground runs ${engine}. ` +
                    'The same scenario and seed may give a different trace where the semantics changed.');
    }
    const seed = /^\d+$/.test(fields.seed || '') ? fields.seed : null;
    if (fields.seed !== undefined && seed === null) warnings.push(`The link's seed "${fields.seed}" is not a number: the scenario's own seed is used.`);
    const at = /^\d+$/.test(fields.at || '') ? Number(fields.at) : 0;
    return { text: fields.text, seed, at, name: fields.name || 'shared.json', engine: fields.engine, format, warnings };
  }

  const api = { FORMAT, MAX_TEXT_BYTES, tooLarge, encode, decode, fnv1a64, toBase64url, fromBase64url, upgraders };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.DriftqShare = api;
})(typeof self !== 'undefined' ? self : this);
