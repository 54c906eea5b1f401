import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as browserEncode from '../../src/utf8/encode.js';
import * as nodeEncode from '../../src/utf8/encode-node.js';
import { utf8Length, writeUtf8 } from '../../src/utf8/utf8.js';
import { hex } from '../kpl/helpers.js';

// Any UTF-16 unit, lone surrogates included, so the U+FFFD replacement is exercised.
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const texts = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

const utf8 = suite('UTF-8 keys: same bytes as TextEncoder');
utf8('utf8Length and writeUtf8 agree with TextEncoder for any UTF-16 string', () => {
  fc.assert(
    fc.property(texts, (text) => {
      const expected = new TextEncoder().encode(text);
      assert.is(utf8Length(text), expected.length);
      const out = new Uint8Array(expected.length + 2);
      assert.is(writeUtf8(text, out, 1), expected.length + 1);
      assert.is(hex(out.subarray(1, expected.length + 1)), hex(expected));
    }),
    { numRuns: 500 },
  );
});
utf8('ASCII, two-, three- and four-byte characters, and a lone surrogate', () => {
  assert.is(utf8Length('a€😀'), 8);
  assert.is(utf8Length('é'), 2);
  assert.is(utf8Length('\uD800'), 3);
  const out = new Uint8Array(3);
  writeUtf8('\uDC00', out, 0);
  assert.is(hex(out), 'efbfbd');
});
utf8('utf8Into (browser and Node builds) writes what utf8Length counts, as much as fits', () => {
  for (const { allocBytes, utf8Into } of [browserEncode, nodeEncode]) {
    fc.assert(
      fc.property(texts, (text) => {
        const expected = new TextEncoder().encode(text);
        const out = allocBytes(expected.length + 2);
        assert.is(utf8Into(text, out, 1), expected.length);
        assert.is(hex(out.subarray(1, -1)), hex(expected));
        // A plain Uint8Array as well as what allocBytes gives; too little room writes less, never past the end.
        const short = new Uint8Array(expected.length + 1);
        if (expected.length > 0) assert.ok(utf8Into(text, short.subarray(0, expected.length), 1) < expected.length);
        assert.is(short[expected.length], 0);
        assert.is(utf8Into(text, short.subarray(0, 1), 2), 0, 'a position past the end writes nothing');
      }),
      { numRuns: 300 },
    );
  }
});
utf8.run();
