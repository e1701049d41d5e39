/**
 * Injected logging. Daemons log like NUT: one line per event, to stderr in
 * the foreground (journald-friendly), with debug lines gated by a level.
 *
 * @module
 */

/** Where log lines go. */
export interface Logger {
  /** A normal log line (NUT's upslogx). */
  info(message: string): void;
  /** A warning line. */
  warn(message: string): void;
  /** An error line. */
  error(message: string): void;
  /** A debug line at `level` (shown only when the logger's level ≥ level). */
  debug(level: number, message: string): void;
  /** Current debug level. */
  readonly level: number;
}

/**
 * A logger writing NUT-style lines through `write` (stderr in the CLI).
 * Debug lines carry NUT's elapsed-time prefix `%4.0f.%06ld\t[D<n>] `.
 * @param write receives one complete line, newline included
 * @param level debug level (0 = none)
 * @param now clock in ms, for the elapsed-time prefix
 * @returns the logger
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineLogger } from "./logger.ts";
 * const lines: string[] = [];
 * const log = lineLogger((l) => lines.push(l), 0);
 * log.info("hello");
 * log.debug(1, "hidden");
 * assert.deepEqual(lines, ["hello\n"]);
 * ```
 */
export function lineLogger(
  write: (line: string) => void,
  level = 0,
  now: () => number = () => performance.now(),
): Logger {
  const start = now();
  const stamp = () => {
    const ms = now() - start;
    const s = Math.floor(ms / 1000);
    const us = Math.floor((ms - s * 1000) * 1000);
    return `${String(s).padStart(4, " ")}.${String(us).padStart(6, "0")}\t`;
  };
  return {
    level,
    info: (m) => write(`${level > 0 ? stamp() : ""}${m}\n`),
    warn: (m) => write(`${level > 0 ? stamp() : ""}${m}\n`),
    error: (m) => write(`${level > 0 ? stamp() : ""}${m}\n`),
    debug: (n, m) => {
      if (level >= n) write(`${stamp()}[D${n}] ${m}\n`);
    },
  };
}

/** A logger that drops everything (for tests that do not look at logs). */
export const nullLogger: Logger = {
  level: 0,
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
};
