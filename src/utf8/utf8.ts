/**
 * UTF-8 length and encoding of table keys straight into the output buffer. Keys are short (at most 256
 * characters); for them a plain loop beats `TextEncoder.encode`, which costs about 0.5 us per call in
 * Node (a native call and a fresh `Uint8Array`), more than encoding the key itself. Both follow the WHATWG
 * encoder: a lone surrogate becomes U+FFFD (EF BF BD), so the bytes always equal
 * `new TextEncoder().encode(key)`.
 */

const REPLACEMENT_CHARACTER = 0xfffd;

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Number of bytes `text` takes in UTF-8.
 *
 * @example
 * ```ts
 * utf8Length('a€😀'); // 1 + 3 + 4 = 8
 * ```
 */
export function utf8Length(text: string): number {
  // Keys are mostly ASCII: one byte per UTF-16 unit until the first unit that is not.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return i + multiByteLength(text, i);
  }
  return text.length;
}

function multiByteLength(text: string, from: number): number {
  let length = text.length - from;
  for (let i = from; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      length += 1;
    } else if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
      // Two UTF-16 units, four bytes.
      length += 2;
      i++;
    } else {
      length += 2;
    }
  }
  return length;
}

/**
 * Writes `text` as UTF-8 at `pos` and returns the position after it; `out` must have
 * `utf8Length(text)` bytes free there.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(3);
 * writeUtf8('€', out, 0); // 3; out is [0xe2, 0x82, 0xac]
 * ```
 */
export function writeUtf8(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) return writeMultiByte(text, i, out, pos);
    out[pos++] = unit;
  }
  return pos;
}

function writeMultiByte(text: string, from: number, out: Uint8Array, pos: number): number {
  for (let i = from; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[pos++] = code;
      continue;
    }
    if (code < 0x800) {
      out[pos++] = 0xc0 | (code >> 6);
      out[pos++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (isHighSurrogate(code) || isLowSurrogate(code)) {
      const next = text.charCodeAt(i + 1);
      if (isHighSurrogate(code) && isLowSurrogate(next)) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[pos++] = 0xf0 | (code >> 18);
        out[pos++] = 0x80 | ((code >> 12) & 0x3f);
        out[pos++] = 0x80 | ((code >> 6) & 0x3f);
        out[pos++] = 0x80 | (code & 0x3f);
        continue;
      }
      code = REPLACEMENT_CHARACTER;
    }
    out[pos++] = 0xe0 | (code >> 12);
    out[pos++] = 0x80 | ((code >> 6) & 0x3f);
    out[pos++] = 0x80 | (code & 0x3f);
  }
  return pos;
}
