/**
 * Problems found while parsing NUT configuration files, shared by every
 * parser in `core/config/`.
 *
 * @module
 */

import { ConfigSyntaxError } from "../errors.ts";
import { tokenize, type TokenLine } from "../protocol/tokenize.ts";

/** How bad a problem is: `error` = NUT refuses or drops it; `warning` = NUT accepts it. */
export type Severity = "error" | "warning";

/** One problem in a config file, at a line. */
export interface ConfigProblem {
  /** File name as given to the parser (e.g. `ups.conf`). */
  readonly file: string;
  /** 1-based physical line. */
  readonly line: number;
  /** `error` or `warning`. */
  readonly severity: Severity;
  /** What is wrong; NUT's own wording where NUT logs something. */
  readonly message: string;
  /** Set when NUT itself exits on this problem (fatal at start). */
  readonly fatal?: boolean;
  /** A suggestion of ours, e.g. `did you mean "driver"?` (never part of NUT's text). */
  readonly hint?: string;
  /** NUT itself prints this exact message (a daemon should log it verbatim). */
  readonly logged?: boolean;
  /**
   * NUT's whole log text when it says more than `message`, one line per
   * line NUT prints (parse errors: `Parse error: <file>:<N>: ...`, where N
   * is NUT's logical line count).
   * Pass the full path as the parser's `file` to get NUT's exact text.
   */
  readonly nutText?: string;
}

/** Options of {@linkcode ProblemList.error} and {@linkcode ProblemList.warn}. */
export interface ProblemOptions {
  /** NUT exits on it. */
  fatal?: boolean;
  /** A suggestion, or a function computing it when first read. */
  hint?: string | (() => string | undefined) | undefined;
  /** NUT prints this exact text. */
  logged?: boolean;
  /** NUT's whole log line, when it differs from the message. */
  nutText?: string;
}

/** A problem whose did-you-mean is computed on first read (parsers run far more often than people read hints). */
class LazyHintProblem implements ConfigProblem {
  fatal?: boolean;
  logged?: boolean;
  nutText?: string;
  #compute: (() => string | undefined) | undefined;
  #hint: string | undefined;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly severity: Severity,
    readonly message: string,
    compute: () => string | undefined,
  ) {
    this.#compute = compute;
  }
  get hint(): string | undefined {
    if (this.#compute) [this.#hint, this.#compute] = [this.#compute(), undefined];
    return this.#hint;
  }
  toJSON(): ConfigProblem {
    const { file, line, severity, message, hint, fatal, logged, nutText } = this;
    return {
      file,
      line,
      severity,
      message,
      ...(hint === undefined ? {} : { hint }),
      ...(fatal ? { fatal } : {}),
      ...(logged ? { logged } : {}),
      ...(nutText === undefined ? {} : { nutText }),
    };
  }
}

/**
 * Collects problems for one file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProblemList } from "./problem.ts";
 * const p = new ProblemList("ups.conf");
 * p.warn(3, "ignored");
 * assert.deepEqual(p.items, [{ file: "ups.conf", line: 3, severity: "warning", message: "ignored" }]);
 * ```
 */
export class ProblemList {
  /** The problems, in the order found. */
  readonly items: ConfigProblem[] = [];
  /** The file name every problem carries. */
  readonly file: string;

  /** @param file file name for every problem */
  constructor(file: string) {
    this.file = file;
  }

  /**
   * Adds an error (NUT refuses the file, or drops the line or value).
   * @param line 1-based line
   * @param message text
   * @param options fatal flag and hint
   */
  error(line: number, message: string, options: ProblemOptions = {}): void {
    this.#add("error", line, message, options);
  }

  /**
   * Adds a warning (NUT accepts it, but it is probably not what was meant).
   * @param line 1-based line
   * @param message text
   * @param options fatal flag and hint
   */
  warn(line: number, message: string, options: ProblemOptions = {}): void {
    this.#add("warning", line, message, options);
  }

  #add(severity: Severity, line: number, message: string, o: ProblemOptions): void {
    const hint = o.hint;
    const p: { -readonly [K in keyof ConfigProblem]: ConfigProblem[K] } = typeof hint === "function"
      ? new LazyHintProblem(this.file, line, severity, message, hint)
      : { file: this.file, line, severity, message };
    if (typeof hint === "string") p.hint = hint;
    if (o.fatal) p.fatal = true;
    if (o.logged) p.logged = true;
    if (o.nutText !== undefined) p.nutText = o.nutText;
    this.items.push(p);
  }
}

/**
 * Tokenizes a config file and turns tokenizer complaints into problems:
 * a `#` inside quotes (NUT logs `Parse error: file:N: Unbalanced word ...`
 * and skips the line) and discarded non-printable bytes (NUT prints `addchar: ...`).
 * @param text file contents (latin1 byte string)
 * @param problems where complaints go
 * @returns the non-empty, error-free logical lines, in order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProblemList, tokenizeConfig } from "./problem.ts";
 * const p = new ProblemList("x.conf");
 * const lines = tokenizeConfig('a = "b # c"\nd\n', p);
 * assert.equal(p.items[0]?.line, 1);
 * assert.deepEqual(lines.map((l) => l.words), [['c"'], ["d"]]);
 * ```
 */
export function tokenizeConfig(text: string, problems: ProblemList): TokenLine[] {
  const out: TokenLine[] = [];
  const lines = tokenize(text, {
    onWarning: (w) => problems.warn(w.line, w.message, { logged: true }),
  });
  for (const l of lines) {
    if (l.error !== undefined) {
      problems.error(l.line, l.error, {
        logged: true,
        nutText: `Parse error: ${problems.file}:${l.logical}: ${l.error}`,
      });
      continue;
    }
    if (l.words.length === 0) continue;
    out.push(l);
  }
  return out;
}

/**
 * The first error of a parse as an exception, for callers that refuse a
 * file with errors (e.g. a daemon at start).
 * @param problems problems from a parser
 * @param fatalOnly only consider problems NUT itself exits on
 * @returns the error, or undefined when there is none
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstError } from "./problem.ts";
 * const e = firstError([{ file: "f", line: 2, severity: "error", message: "bad" }]);
 * assert.equal(e?.message, "f:2: bad");
 * ```
 */
export function firstError(
  problems: readonly ConfigProblem[],
  fatalOnly = false,
): ConfigSyntaxError | undefined {
  const p = problems.find((x) => x.severity === "error" && (!fatalOnly || x.fatal === true));
  return p && new ConfigSyntaxError(p.message, { file: p.file, line: p.line });
}

/**
 * C's `atoi`: optional whitespace and sign, then digits; garbage gives 0.
 * @param s text
 * @returns the integer NUT would read
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atoi } from "./problem.ts";
 * assert.equal(atoi(" 12abc"), 12);
 * assert.equal(atoi("x"), 0);
 * ```
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number.parseInt(m[1]!, 10);
  // C int overflow is undefined; clamp to 32-bit range like glibc strtol→int would roughly do
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/**
 * Whether a value is a plain decimal integer (what a careful user meant).
 * @param s text
 * @returns true for `-?\d+`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isInteger } from "./problem.ts";
 * assert.equal(isInteger("-12"), true);
 * assert.equal(isInteger("12abc"), false);
 * ```
 */
export function isInteger(s: string): boolean {
  return /^[+-]?\d+$/.test(s);
}
