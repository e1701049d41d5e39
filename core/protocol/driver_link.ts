/**
 * The driver ⇄ upsd socket protocol ("driver link"): typed messages in both
 * directions, parsed from tokenizer words and formatted back to wire lines.
 *
 * Driver → server: `SETINFO`, `DELINFO`, `ADDENUM`, `DELENUM`, `ADDRANGE`,
 * `DELRANGE`, `SETAUX`, `SETFLAGS`, `ADDCMD`, `DELCMD`, `DATAOK`,
 * `DATASTALE`, `DUMPDONE`, `PONG`, `TRACKING`, `PID`, `OK Goodbye`.
 * Server → driver: `DUMPALL`, `PING`, `INSTCMD`, `SET`, `NOBROADCAST`,
 * `BROADCAST`, `GETPID`, `DUMPVALUE`, `DUMPSTATUS`, `LOGOUT`.
 *
 * Command words are case-insensitive, extra trailing words are tolerated the
 * way NUT's `parse_args()`/`sock_arg()` tolerate them, and values are always
 * sent escaped and quoted (the receiver unescapes; unescaped input from real
 * NUT drivers is tokenized exactly as NUT does).
 *
 * @module
 */

import { formatWord, quoteValue, Tokenizer, type TokenizerOptions } from "./tokenize.ts";

/** Variable flags as they appear in `SETFLAGS`, in NUT's dump order. */
export const VAR_FLAGS = ["RW", "STRING", "NUMBER"] as const;
/** One variable flag word. */
export type VarFlag = typeof VAR_FLAGS[number];

/** Results a driver reports for a tracked `SET`/`INSTCMD`. */
export const TRACKING_RESULT = {
  handled: 0,
  unknown: 1,
  invalid: 2,
  failed: 3,
  conversionFailed: 4,
} as const;
/** A tracking result code (0–4, or another integer from a peer). */
export type TrackingResult = number;

/** A message a driver sends to upsd (or any socket client). */
export type DriverMessage =
  | { readonly kind: "setinfo"; readonly name: string; readonly value: string }
  | { readonly kind: "delinfo"; readonly name: string }
  | { readonly kind: "addenum"; readonly name: string; readonly value: string }
  | { readonly kind: "delenum"; readonly name: string; readonly value: string }
  | { readonly kind: "addrange"; readonly name: string; readonly min: number; readonly max: number }
  | { readonly kind: "delrange"; readonly name: string; readonly min: number; readonly max: number }
  | { readonly kind: "setaux"; readonly name: string; readonly aux: number }
  | { readonly kind: "setflags"; readonly name: string; readonly flags: readonly string[] }
  | { readonly kind: "addcmd"; readonly name: string }
  | { readonly kind: "delcmd"; readonly name: string }
  | { readonly kind: "dataok" }
  | { readonly kind: "datastale" }
  | { readonly kind: "dumpdone" }
  | { readonly kind: "pong" }
  | { readonly kind: "tracking"; readonly id: string; readonly result: TrackingResult }
  | { readonly kind: "pid"; readonly pid: number }
  | { readonly kind: "goodbye" };

/** A message upsd (or upsdrvctl, or any client) sends to a driver. */
export type ServerMessage =
  | { readonly kind: "dumpall" }
  | { readonly kind: "ping" }
  | {
    readonly kind: "instcmd";
    readonly cmd: string;
    readonly param?: string;
    readonly tracking?: string;
  }
  | {
    readonly kind: "set";
    readonly name: string;
    readonly value: string;
    readonly tracking?: string;
  }
  | { readonly kind: "nobroadcast" }
  | { readonly kind: "broadcast"; readonly level?: number }
  | { readonly kind: "getpid" }
  | { readonly kind: "dumpvalue"; readonly name: string }
  | { readonly kind: "dumpstatus" }
  | { readonly kind: "logout" };

/** Why a server → driver line was not accepted (NUT's log texts). */
export type ServerParseError = {
  readonly kind: "error";
  readonly reason: "malformed-instcmd" | "malformed-set" | "unknown";
};

/**
 * C `atoi`/`strtol(…, 10)`: leading blanks, optional sign, digits; 0 when
 * there are none.
 * @param text the word
 * @returns the integer prefix, clamped to 32-bit int
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atoi } from "./driver_link.ts";
 * assert.equal(atoi(" 12abc"), 12);
 * assert.equal(atoi("x"), 0);
 * ```
 */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) return 0;
  const n = Number.parseInt(m[1]!, 10);
  if (n > 2147483647) return 2147483647;
  if (n < -2147483648) return -2147483648;
  return n;
}

/** Formats one word (bare when plain, else quoted): see core/protocol/tokenize.ts. */
export { formatWord };

const is = (word: string | undefined, name: string) =>
  word !== undefined && word.toUpperCase() === name;

/**
 * Parses a driver → server line (as words), with upsd's word-count rules:
 * extra words are ignored, too few words make the line unrecognized.
 * @param words the tokenized line
 * @returns the message, or undefined for a line upsd would ignore
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDriverMessage } from "./driver_link.ts";
 * assert.deepEqual(parseDriverMessage(["setinfo", "ups.status", "OL"]), {
 *   kind: "setinfo", name: "ups.status", value: "OL",
 * });
 * assert.equal(parseDriverMessage(["SETINFO", "x"]), undefined);
 * ```
 */
export function parseDriverMessage(words: readonly string[]): DriverMessage | undefined {
  const [w0, w1, w2, w3] = words;
  if (w0 === undefined) return undefined;
  const cmd = w0.toUpperCase();
  switch (cmd) {
    case "PONG":
      return { kind: "pong" };
    case "DUMPDONE":
      return { kind: "dumpdone" };
    case "DATASTALE":
      return { kind: "datastale" };
    case "DATAOK":
      return { kind: "dataok" };
    case "OK":
      return is(w1, "GOODBYE") ? { kind: "goodbye" } : undefined;
  }
  if (w1 === undefined) return undefined;
  switch (cmd) {
    case "DELINFO":
      return { kind: "delinfo", name: w1 };
    case "ADDCMD":
      return { kind: "addcmd", name: w1 };
    case "DELCMD":
      return { kind: "delcmd", name: w1 };
    case "PID":
      return { kind: "pid", pid: atoi(w1) };
  }
  if (w2 === undefined) return undefined;
  switch (cmd) {
    case "SETINFO":
      return { kind: "setinfo", name: w1, value: w2 };
    case "ADDENUM":
      return { kind: "addenum", name: w1, value: w2 };
    case "DELENUM":
      return { kind: "delenum", name: w1, value: w2 };
    case "SETAUX":
      return { kind: "setaux", name: w1, aux: atoi(w2) };
    case "SETFLAGS":
      return { kind: "setflags", name: w1, flags: words.slice(2) };
    case "TRACKING":
      return { kind: "tracking", id: w1, result: atoi(w2) };
  }
  if (w3 === undefined) return undefined;
  switch (cmd) {
    case "ADDRANGE":
      return { kind: "addrange", name: w1, min: atoi(w2), max: atoi(w3) };
    case "DELRANGE":
      return { kind: "delrange", name: w1, min: atoi(w2), max: atoi(w3) };
  }
  return undefined;
}

/**
 * Formats a driver → server message as one wire line (newline included).
 * Values are escaped and quoted; names are bare unless they need quoting.
 * @param msg the message
 * @returns the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDriverMessage } from "./driver_link.ts";
 * assert.equal(
 *   formatDriverMessage({ kind: "setinfo", name: "ups.alarm", value: 'a "b"' }),
 *   'SETINFO ups.alarm "a \\"b\\""\n',
 * );
 * ```
 */
export function formatDriverMessage(msg: DriverMessage): string {
  const w = formatWord;
  switch (msg.kind) {
    case "setinfo":
      return `SETINFO ${w(msg.name)} ${quoteValue(msg.value)}\n`;
    case "delinfo":
      return `DELINFO ${w(msg.name)}\n`;
    case "addenum":
      return `ADDENUM ${w(msg.name)} ${quoteValue(msg.value)}\n`;
    case "delenum":
      return `DELENUM ${w(msg.name)} ${quoteValue(msg.value)}\n`;
    case "addrange":
      return `ADDRANGE ${w(msg.name)} ${msg.min} ${msg.max}\n`;
    case "delrange":
      return `DELRANGE ${w(msg.name)} ${msg.min} ${msg.max}\n`;
    case "setaux":
      return `SETAUX ${w(msg.name)} ${msg.aux}\n`;
    case "setflags":
      return `SETFLAGS ${[msg.name, ...msg.flags].map(w).join(" ")}\n`;
    case "addcmd":
      return `ADDCMD ${w(msg.name)}\n`;
    case "delcmd":
      return `DELCMD ${w(msg.name)}\n`;
    case "dataok":
      return "DATAOK\n";
    case "datastale":
      return "DATASTALE\n";
    case "dumpdone":
      return "DUMPDONE\n";
    case "pong":
      return "PONG\n";
    case "tracking":
      return `TRACKING ${w(msg.id)} ${msg.result}\n`;
    case "pid":
      return `PID ${msg.pid}\n`;
    case "goodbye":
      return "OK Goodbye\n";
  }
}

/**
 * Parses a server → driver line (as words) with the driver core's rules
 * (`sock_arg()` in NUT's dstate.c).
 * @param words the tokenized line
 * @returns the message, or an error describing why NUT would ignore it
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServerMessage } from "./driver_link.ts";
 * assert.deepEqual(parseServerMessage(["INSTCMD", "load.off", "TRACKING", "42"]), {
 *   kind: "instcmd", cmd: "load.off", tracking: "42",
 * });
 * ```
 */
export function parseServerMessage(words: readonly string[]): ServerMessage | ServerParseError {
  const unknown: ServerParseError = { kind: "error", reason: "unknown" };
  const [w0, w1, w2, w3, w4] = words;
  if (w0 === undefined) return unknown;
  const cmd = w0.toUpperCase();
  switch (cmd) {
    case "DUMPALL":
      return { kind: "dumpall" };
    case "PING":
      return { kind: "ping" };
    case "NOBROADCAST":
      return { kind: "nobroadcast" };
    case "BROADCAST":
      return w1 === undefined ? { kind: "broadcast" } : { kind: "broadcast", level: atoi(w1) };
    case "GETPID":
      return { kind: "getpid" };
    case "DUMPSTATUS":
      return { kind: "dumpstatus" };
    case "LOGOUT":
      return { kind: "logout" };
  }
  if (w1 === undefined) return unknown;
  switch (cmd) {
    case "DUMPVALUE":
      return { kind: "dumpvalue", name: w1 };
    case "INSTCMD":
      switch (words.length) {
        case 2:
          return { kind: "instcmd", cmd: w1 };
        case 3:
          return { kind: "instcmd", cmd: w1, param: w2! };
        case 4:
          if (is(w2, "TRACKING")) return { kind: "instcmd", cmd: w1, tracking: w3! };
          return { kind: "error", reason: "malformed-instcmd" };
        case 5:
          if (is(w3, "TRACKING")) return { kind: "instcmd", cmd: w1, param: w2!, tracking: w4! };
          return { kind: "error", reason: "malformed-instcmd" };
        default:
          return { kind: "error", reason: "malformed-instcmd" };
      }
  }
  if (w2 === undefined) return unknown;
  if (cmd === "SET") {
    if (words.length === 3) return { kind: "set", name: w1, value: w2 };
    if (words.length === 5 && is(w3, "TRACKING")) {
      return { kind: "set", name: w1, value: w2, tracking: w4! };
    }
    return { kind: "error", reason: "malformed-set" };
  }
  return unknown;
}

/**
 * Formats a server → driver message as one wire line (newline included).
 * @param msg the message
 * @returns the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatServerMessage } from "./driver_link.ts";
 * assert.equal(
 *   formatServerMessage({ kind: "set", name: "ups.id", value: "a b", tracking: "t1" }),
 *   'SET ups.id "a b" TRACKING t1\n',
 * );
 * ```
 */
export function formatServerMessage(msg: ServerMessage): string {
  const w = formatWord;
  switch (msg.kind) {
    case "dumpall":
      return "DUMPALL\n";
    case "ping":
      return "PING\n";
    case "nobroadcast":
      return "NOBROADCAST\n";
    case "broadcast":
      return msg.level === undefined ? "BROADCAST\n" : `BROADCAST ${msg.level}\n`;
    case "getpid":
      return "GETPID\n";
    case "dumpstatus":
      return "DUMPSTATUS\n";
    case "logout":
      return "LOGOUT\n";
    case "dumpvalue":
      return `DUMPVALUE ${w(msg.name)}\n`;
    case "instcmd": {
      let line = `INSTCMD ${w(msg.cmd)}`;
      if (msg.param !== undefined) line += ` ${quoteValue(msg.param)}`;
      if (msg.tracking !== undefined) line += ` TRACKING ${w(msg.tracking)}`;
      return line + "\n";
    }
    case "set": {
      let line = `SET ${w(msg.name)} ${quoteValue(msg.value)}`;
      if (msg.tracking !== undefined) line += ` TRACKING ${w(msg.tracking)}`;
      return line + "\n";
    }
  }
}

/** One decoded line of a {@linkcode LinkReader}. */
export interface LinkLine<M> {
  /** The words as tokenized. */
  readonly words: readonly string[];
  /** The parsed message (undefined/error when not recognized). */
  readonly message: M;
  /** NUT's tokenizer error for this line, if any (the line is then ignored). */
  readonly error?: string;
}

/**
 * Incremental reader for one direction of the driver link: feed it socket
 * chunks of any size, get parsed lines back. Empty lines are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkReader, parseDriverMessage } from "./driver_link.ts";
 * const r = new LinkReader(parseDriverMessage);
 * assert.deepEqual(r.push("DATA"), []);
 * assert.deepEqual(r.push("OK\n").map((l) => l.message), [{ kind: "dataok" }]);
 * ```
 */
export class LinkReader<M> {
  readonly #tok: Tokenizer;
  readonly #parse: (words: readonly string[]) => M;

  /**
   * @param parse {@linkcode parseDriverMessage} or {@linkcode parseServerMessage}
   * @param options tokenizer options (limits, warning callback)
   */
  constructor(parse: (words: readonly string[]) => M, options: TokenizerOptions = {}) {
    this.#parse = parse;
    this.#tok = new Tokenizer(options);
  }

  /**
   * Feeds a chunk.
   * @param chunk bytes, or a string of byte-valued chars
   * @returns the non-empty lines completed by this chunk
   */
  push(chunk: string | Uint8Array): LinkLine<M>[] {
    const out: LinkLine<M>[] = [];
    for (const line of this.#tok.push(chunk)) {
      if (line.error !== undefined) {
        out.push({ words: line.words, message: this.#parse([]), error: line.error });
      } else if (line.words.length > 0) {
        out.push({ words: line.words, message: this.#parse(line.words) });
      }
    }
    return out;
  }
}
