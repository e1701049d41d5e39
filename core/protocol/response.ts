/**
 * Typed upsd replies (server → client lines): `parseResponse` turns one
 * reply line into a discriminated {@linkcode Response}, `formatResponse`
 * writes it back; the pair round-trips. Words are split with NUT's one
 * tokenizer, exactly as libupsclient's `pconf_line()` does.
 *
 * @module
 */

import { NutError } from "../errors.ts";
import { quoteValue, Tokenizer, UNBALANCED_HASH } from "./tokenize.ts";

/** `GET TRACKING` answers and the connection switch. */
export type TrackingWord = "PENDING" | "SUCCESS" | "ON" | "OFF";

/** One reply line from upsd, typed. */
export type Response =
  | { readonly kind: "ok"; readonly text: string | undefined }
  | { readonly kind: "err"; readonly error: NutError }
  | { readonly kind: "var"; readonly ups: string; readonly name: string; readonly value: string }
  | { readonly kind: "rw"; readonly ups: string; readonly name: string; readonly value: string }
  | {
    readonly kind: "type";
    readonly ups: string;
    readonly name: string;
    readonly types: readonly string[];
  }
  | { readonly kind: "desc"; readonly ups: string; readonly name: string; readonly desc: string }
  | {
    readonly kind: "cmddesc";
    readonly ups: string;
    readonly name: string;
    readonly desc: string;
  }
  | { readonly kind: "upsdesc"; readonly ups: string; readonly desc: string }
  | { readonly kind: "numlogins"; readonly ups: string; readonly count: number }
  | { readonly kind: "ups"; readonly ups: string; readonly desc: string }
  | { readonly kind: "cmd"; readonly ups: string; readonly name: string }
  | { readonly kind: "enum"; readonly ups: string; readonly name: string; readonly value: string }
  | {
    readonly kind: "range";
    readonly ups: string;
    readonly name: string;
    readonly min: string;
    readonly max: string;
  }
  | { readonly kind: "client"; readonly ups: string; readonly address: string }
  | { readonly kind: "beginList"; readonly query: readonly string[] }
  | { readonly kind: "endList"; readonly query: readonly string[] }
  | { readonly kind: "tracking"; readonly status: TrackingWord }
  | { readonly kind: "other"; readonly words: readonly string[] };

/** A reply line that NUT's tokenizer rejects (`Parse error: <msg>`). */
export class ResponseParseError extends SyntaxError {
  /** The offending line. */
  readonly line: string;
  /**
   * @param message the tokenizer's message
   * @param line the line
   */
  constructor(message: string, line: string) {
    super(message);
    this.name = "ResponseParseError";
    this.line = line;
  }
}

/**
 * Splits a reply line into words like libupsclient's `pconf_line()`.
 * @param line one line without its newline (byte-valued chars)
 * @returns the words
 * @throws ResponseParseError on an unbalanced `#` inside quotes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replyWords } from "./response.ts";
 * assert.deepEqual(replyWords('VAR ups x "a \\"b\\""'), ["VAR", "ups", "x", 'a "b"']);
 * ```
 */
export function replyWords(line: string): string[] {
  const t = new Tokenizer();
  const lines = [...t.push(line), ...t.push("\n"), ...t.end()];
  const first = lines[0];
  if (first === undefined) return [];
  if (first.error !== undefined) throw new ResponseParseError(first.error, line);
  if (lines.some((l) => l.error === UNBALANCED_HASH)) {
    throw new ResponseParseError(UNBALANCED_HASH, line);
  }
  return first.words;
}

const TRACKING_WORDS: readonly string[] = ["PENDING", "SUCCESS", "ON", "OFF"];

function at(words: readonly string[], i: number): string {
  return words[i] ?? "";
}

/**
 * Parses one reply line. Unknown shapes become `{ kind: "other" }`; an
 * `ERR` line becomes `{ kind: "err" }` (libupsclient treats any line
 * starting with `ERR` as an error).
 * @param line a reply line without newline
 * @returns the typed reply
 * @throws ResponseParseError when NUT's tokenizer rejects the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResponse } from "./response.ts";
 * const r = parseResponse('VAR su700 ups.status "OL"');
 * assert.deepEqual(r, { kind: "var", ups: "su700", name: "ups.status", value: "OL" });
 * ```
 */
export function parseResponse(line: string): Response {
  if (line.startsWith("ERR")) {
    return { kind: "err", error: NutError.fromLine(line) ?? new NutError("") };
  }
  if (line === "OK") return { kind: "ok", text: undefined };
  if (line.startsWith("OK ")) return { kind: "ok", text: line.slice(3) };
  const w = replyWords(line);
  const n = w.length;
  const head = at(w, 0);
  if (n === 1 && TRACKING_WORDS.includes(head)) {
    return { kind: "tracking", status: head as TrackingWord };
  }
  switch (head) {
    case "VAR":
      if (n === 4) return { kind: "var", ups: at(w, 1), name: at(w, 2), value: at(w, 3) };
      break;
    case "RW":
      if (n === 4) return { kind: "rw", ups: at(w, 1), name: at(w, 2), value: at(w, 3) };
      break;
    case "TYPE":
      if (n >= 3) return { kind: "type", ups: at(w, 1), name: at(w, 2), types: w.slice(3) };
      break;
    case "DESC":
      if (n === 4) return { kind: "desc", ups: at(w, 1), name: at(w, 2), desc: at(w, 3) };
      break;
    case "CMDDESC":
      if (n === 4) return { kind: "cmddesc", ups: at(w, 1), name: at(w, 2), desc: at(w, 3) };
      break;
    case "UPSDESC":
      if (n === 3) return { kind: "upsdesc", ups: at(w, 1), desc: at(w, 2) };
      break;
    case "NUMLOGINS":
      if (n === 3 && /^[0-9]+$/.test(at(w, 2))) {
        return { kind: "numlogins", ups: at(w, 1), count: Number(at(w, 2)) };
      }
      break;
    case "UPS":
      if (n === 3) return { kind: "ups", ups: at(w, 1), desc: at(w, 2) };
      break;
    case "CMD":
      if (n === 3) return { kind: "cmd", ups: at(w, 1), name: at(w, 2) };
      break;
    case "ENUM":
      if (n === 4) return { kind: "enum", ups: at(w, 1), name: at(w, 2), value: at(w, 3) };
      break;
    case "RANGE":
      if (n === 5) {
        return { kind: "range", ups: at(w, 1), name: at(w, 2), min: at(w, 3), max: at(w, 4) };
      }
      break;
    case "CLIENT":
      if (n === 3) return { kind: "client", ups: at(w, 1), address: at(w, 2) };
      break;
    case "BEGIN":
      if (n >= 3 && at(w, 1) === "LIST") return { kind: "beginList", query: w.slice(2) };
      break;
    case "END":
      if (n >= 3 && at(w, 1) === "LIST") return { kind: "endList", query: w.slice(2) };
      break;
  }
  return { kind: "other", words: w };
}

/** Options for {@linkcode formatResponse}. */
export interface FormatResponseOptions {
  /**
   * upsd sends DESC/CMDDESC text from cmdvartab without escaping (quirk).
   * Set false to reproduce that; default true (always parseable).
   */
  readonly escapeDescriptions?: boolean;
}

function word(w: string): string {
  return w === "" || /[\s"\\#]/.test(w) ? quoteValue(w) : w;
}

/**
 * Formats a reply as upsd sends it (without the newline).
 * @param r the reply
 * @param options quirk switches
 * @returns the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatResponse } from "./response.ts";
 * assert.equal(
 *   formatResponse({ kind: "var", ups: "u", name: "ups.mfr", value: 'A"B' }),
 *   'VAR u ups.mfr "A\\"B"',
 * );
 * ```
 */
export function formatResponse(r: Response, options: FormatResponseOptions = {}): string {
  const desc = (d: string) => options.escapeDescriptions === false ? `"${d}"` : quoteValue(d);
  switch (r.kind) {
    case "ok":
      return r.text === undefined ? "OK" : `OK ${r.text}`;
    case "err":
      return r.error.toLine();
    case "var":
      return `VAR ${r.ups} ${r.name} ${quoteValue(r.value)}`;
    case "rw":
      return `RW ${r.ups} ${r.name} ${quoteValue(r.value)}`;
    case "type":
      return [`TYPE`, r.ups, r.name, ...r.types].join(" ");
    case "desc":
      return `DESC ${r.ups} ${r.name} ${desc(r.desc)}`;
    case "cmddesc":
      return `CMDDESC ${r.ups} ${r.name} ${desc(r.desc)}`;
    case "upsdesc":
      return `UPSDESC ${r.ups} ${quoteValue(r.desc)}`;
    case "numlogins":
      return `NUMLOGINS ${r.ups} ${r.count}`;
    case "ups":
      return `UPS ${r.ups} ${quoteValue(r.desc)}`;
    case "cmd":
      return `CMD ${r.ups} ${r.name}`;
    case "enum":
      return `ENUM ${r.ups} ${r.name} ${quoteValue(r.value)}`;
    case "range":
      return `RANGE ${r.ups} ${r.name} ${quoteValue(r.min)} ${quoteValue(r.max)}`;
    case "client":
      return `CLIENT ${r.ups} ${r.address}`;
    case "beginList":
      return ["BEGIN", "LIST", ...r.query].join(" ");
    case "endList":
      return ["END", "LIST", ...r.query].join(" ");
    case "tracking":
      return r.status;
    case "other":
      return r.words.map(word).join(" ");
  }
}
