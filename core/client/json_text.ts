/**
 * JSON string escaping exactly as NUT 2.8.5's `json_print_esc()` does it
 * (upsc `-j`): `"`, `\`, `\b`, `\f`, `\n`, `\r`, `\t` escaped, other control
 * characters as `\u00XX`, everything else passed through.
 *
 * @module
 */

/**
 * Escapes a string for the inside of a JSON string literal, NUT-style.
 * @param s the raw text
 * @returns the escaped text, without surrounding quotes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonEscape } from "./json_text.ts";
 * assert.equal(jsonEscape('a"b\\c\n\x01'), 'a\\"b\\\\c\\n\\u0001');
 * ```
 */
export function jsonEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default: {
        const c = ch.charCodeAt(0);
        out += c < 32 ? `\\u${c.toString(16).padStart(4, "0")}` : ch;
      }
    }
  }
  return out;
}
