/**
 * Error classes shared by every part of `nut`.
 *
 * @module
 */

import { ERR_CODES, type ErrCode } from "./protocol/err_codes.ts";

/**
 * A problem in a configuration file, with its position.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigSyntaxError } from "./errors.ts";
 * const e = new ConfigSyntaxError("missing driver", { file: "ups.conf", line: 3 });
 * assert.equal(e.message, "ups.conf:3: missing driver");
 * ```
 */
export class ConfigSyntaxError extends SyntaxError {
  /** File name as given to the parser. */
  readonly file: string;
  /** 1-based physical line. */
  readonly line: number;
  /** 1-based column, when known. */
  readonly column: number | undefined;
  /** The message without the position prefix. */
  readonly detail: string;

  /**
   * @param detail what is wrong, e.g. `missing driver`
   * @param where file, line, optional column and cause
   */
  constructor(
    detail: string,
    where: { file: string; line: number; column?: number; cause?: unknown },
  ) {
    super(`${where.file}:${where.line}: ${detail}`, { cause: where.cause });
    this.name = "ConfigSyntaxError";
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.detail = detail;
  }
}

/**
 * A NUT protocol error (`ERR <CODE>`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NutError } from "./errors.ts";
 * const e = NutError.fromLine("ERR DATA-STALE");
 * assert.equal(e?.code, "DATA-STALE");
 * assert.equal(e?.toLine(), "ERR DATA-STALE");
 * ```
 */
export class NutError extends Error {
  /** The wire error code. */
  readonly code: string;
  /** Optional text after the code. */
  readonly extra: string | undefined;

  /**
   * @param code the error code (one of {@linkcode ERR_CODES}, or an unknown one from a peer)
   * @param options extra text and cause
   */
  constructor(code: ErrCode | string, options: { extra?: string; cause?: unknown } = {}) {
    super(options.extra ? `ERR ${code} ${options.extra}` : `ERR ${code}`, {
      cause: options.cause,
    });
    this.name = "NutError";
    this.code = code;
    this.extra = options.extra;
  }

  /** @returns the wire line without newline */
  toLine(): string {
    return this.message;
  }

  /**
   * Parses an `ERR ...` reply line.
   * @param line a reply line without newline
   * @returns the error, or undefined when the line is not an ERR line
   */
  static fromLine(line: string): NutError | undefined {
    if (!line.startsWith("ERR")) return undefined;
    const rest = line.slice(3).trim();
    const sp = rest.indexOf(" ");
    const code = sp < 0 ? rest : rest.slice(0, sp);
    const extra = sp < 0 ? undefined : rest.slice(sp + 1);
    return extra === undefined ? new NutError(code) : new NutError(code, { extra });
  }

  /** @returns whether the code is one NUT defines */
  get known(): boolean {
    return (ERR_CODES as readonly string[]).includes(this.code);
  }
}
