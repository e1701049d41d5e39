/**
 * Building reply lines that every NUT client can parse: echoed words are
 * written so the tokenizer reads them back (quoted when needed), values are
 * escaped, and no line ever exceeds NUT's 512 bytes (newline included).
 *
 * @module
 */

import { escapeValue } from "../protocol/tokenize.ts";
import { formatWord } from "../protocol/request.ts";
import type { ErrCode } from "../protocol/err_codes.ts";

/** Longest reply line, newline included (NUT's SMALLBUF − 1 for the NUL). */
export const MAX_REPLY_LINE = 512;

/** `ERR <code>\n`. */
export function err(code: ErrCode): string {
  return `ERR ${code}\n`;
}

/** A word as the client wrote it, safe to echo. */
export const echo: (word: string) => string = formatWord;

/**
 * A single-line reply; one that would not fit in 512 bytes (only possible
 * with absurdly long echoed names) becomes `ERR INVALID-ARGUMENT`.
 * @param text the line without newline
 * @returns the line with newline
 */
export function line(text: string): string {
  return text.length < MAX_REPLY_LINE ? text + "\n" : err("INVALID-ARGUMENT");
}

/**
 * `<prefix> "<escaped value>"\n`, with the value shortened when the row
 * would pass 512 bytes (never cutting an escape in half).
 * @param prefix the words before the value
 * @param value the raw value
 * @returns the row with newline
 */
export function valueLine(prefix: string, value: string): string {
  const esc = escapeValue(value);
  const room = MAX_REPLY_LINE - 1 - prefix.length - 3;
  if (esc.length <= room) return `${prefix} "${esc}"\n`;
  if (room < 0) return err("INVALID-ARGUMENT");
  let cut = esc.slice(0, room);
  let bs = 0;
  for (let i = cut.length - 1; i >= 0 && cut[i] === "\\"; i--) bs++;
  if (bs % 2 === 1) cut = cut.slice(0, -1);
  return `${prefix} "${cut}"\n`;
}
