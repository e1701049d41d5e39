/**
 * dummy-ups data files (`.dev` dumps, `.seq` sequences): what each line
 * means, with NUT 2.8.0's quirks. Pure: tokenized words in, an action out.
 *
 * @module
 */

import { atoi } from "../../core/protocol/driver_link.ts";
import { tokenize, type TokenLine } from "../../core/protocol/tokenize.ts";

/** NUT's value buffer (MAX_STRING_SIZE): values keep at most 127 characters. */
export const MAX_VALUE = 127;

/** What one data-file line asks for. */
export type DataAction =
  /** `TIMER <sec>`: stop reading, resume after `seconds`. */
  | { readonly kind: "timer"; readonly seconds: number }
  /** `driver.*` lines are skipped. */
  | { readonly kind: "skip"; readonly name: string }
  /** `ups.status` (or any name starting with it): rebuild the status from the words. */
  | { readonly kind: "status"; readonly tokens: readonly string[] }
  /** Set a variable; an empty value deletes it. */
  | { readonly kind: "set"; readonly name: string; readonly value: string };

/**
 * Interprets one line. `previous` is NUT's static value buffer: a line
 * without value words reuses the previous line's value (quirk).
 * @param words the line's words (at least one)
 * @param previous the value buffer left by the previous `set` line
 * @returns the action
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interpretLine } from "./data_file.ts";
 * assert.deepEqual(interpretLine(["battery.charge:", "100"], ""), {
 *   kind: "set", name: "battery.charge", value: "100",
 * });
 * assert.deepEqual(interpretLine(["ups.model:"], "Smart-UPS"), {
 *   kind: "set", name: "ups.model", value: "Smart-UPS",
 * });
 * assert.deepEqual(interpretLine(["TIMER", "5"], ""), { kind: "timer", seconds: 5 });
 * ```
 */
export function interpretLine(words: readonly string[], previous: string): DataAction {
  const first = words[0] ?? "";
  if (first.startsWith("TIMER")) return { kind: "timer", seconds: atoi(words[1] ?? "") };
  const colon = first.indexOf(":");
  const name = colon < 0 ? first : first.slice(0, colon);
  if (name.startsWith("driver.")) return { kind: "skip", name };
  if (name.startsWith("ups.status")) return { kind: "status", tokens: words.slice(1) };
  const value = words.length > 1 ? words.slice(1).join(" ").slice(0, MAX_VALUE) : previous;
  return { kind: "set", name, value };
}

/**
 * Tokenizes a data file the way NUT's parseconf reads it: lines with a parse
 * error and empty lines are dropped.
 * @param text the file contents (latin1 string)
 * @param onWarning receives NUT's `addchar: discarding invalid character` texts
 * @returns the usable lines
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dataLines } from "./data_file.ts";
 * assert.deepEqual(dataLines('# c\nups.mfr: "A B"\n\n').map((l) => l.words), [["ups.mfr:", "A B"]]);
 * ```
 */
export function dataLines(text: string, onWarning?: (message: string) => void): TokenLine[] {
  const options = onWarning ? { onWarning: (w: { message: string }) => onWarning(w.message) } : {};
  return tokenize(text, options).filter((l) => l.error === undefined && l.words.length > 0);
}
