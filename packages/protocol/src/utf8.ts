/**
 * UTF-8 encode/decode without `TextEncoder`/`TextDecoder`, which some mini-program
 * runtimes lack. Lone surrogates become U+FFFD, as `TextEncoder` does.
 */

/** Encodes a string as UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 63);
        out[o++] = 0x80 | ((c >> 6) & 63);
        out[o++] = 0x80 | (c & 63);
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 63);
    out[o++] = 0x80 | (c & 63);
  }
  return out;
}

/** Number of bytes `text` takes in UTF-8 (what a transport counts against `maxPayload`). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * Decodes UTF-8 bytes exactly as `TextDecoder` does (WHATWG Encoding, "UTF-8 decoder"):
 * each maximal invalid subpart becomes one U+FFFD, so a truncated sequence such as
 * `E2 82` yields a single replacement character, and the byte that broke a sequence is
 * decoded afresh.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = "";
  let chunk: number[] = [];
  const len = bytes.length;
  for (let i = 0; i < len;) {
    const b = bytes[i++]!;
    let cp = b;
    if (b >= 0x80) {
      // Number of continuation bytes, and the allowed range of the first one.
      let need = 0;
      let lower = 0x80;
      let upper = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        if (b === 0xe0) lower = 0xa0; // no overlong forms
        if (b === 0xed) upper = 0x9f; // no surrogates
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        if (b === 0xf0) lower = 0x90; // no overlong forms
        if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
      } else {
        cp = 0xfffd;
      }
      for (; need > 0; need--) {
        const c = i < len ? bytes[i]! : -1;
        if (c < lower || c > upper) {
          cp = 0xfffd; // `c` is not consumed: it starts the next character
          break;
        }
        cp = (cp << 6) | (c & 0x3f);
        lower = 0x80;
        upper = 0xbf;
        i++;
      }
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023));
    } else chunk.push(cp);
    if (chunk.length > 4096) {
      out += String.fromCharCode(...chunk);
      chunk = [];
    }
  }
  return out + String.fromCharCode(...chunk);
}
