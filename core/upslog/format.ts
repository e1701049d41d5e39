/**
 * upslog's format language, as NUT 2.8.0 compiles and expands it: `%%`,
 * `%TIME <fmt>%` (strftime with `@` for `%`), `%ETIME%`, `%HOST%`,
 * `%UPSHOST%`, `%PID%`, `%VAR <name>%`; commands matched case-insensitively
 * by prefix in NUT's table order; unknown or unterminated escapes give
 * `INVALID`. Pure: values come in through {@linkcode ExpandContext}.
 *
 * @module
 */

import { strftime } from "./strftime.ts";

/** NUT's default upslog format. */
export const DEFAULT_LOGFORMAT = "%TIME @Y@m@d @H@M@S% %VAR battery.charge% " +
  "%VAR input.voltage% %VAR ups.load% [%VAR ups.status%] " +
  "%VAR ups.temperature% %VAR input.frequency%";

/** upslog's line buffer (LARGEBUF): a line holds at most 1023 bytes. */
export const LINE_LIMIT = 1023;

/** strftime's buffer in do_time() (SMALLBUF). */
const TIME_LIMIT = 511;

/** One compiled piece of a format. */
export type Segment =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "host" }
  | { readonly kind: "upshost" }
  | { readonly kind: "pid" }
  | { readonly kind: "time"; readonly format: string }
  | { readonly kind: "var"; readonly name: string | undefined }
  | { readonly kind: "etime" };

/** NUT's `logcmds[]` table, in its order (prefix match). */
const LOGCMDS = ["HOST", "UPSHOST", "PID", "TIME", "VAR", "ETIME"] as const;

function commandSegment(cmd: string, arg: string | undefined): Segment | undefined {
  const upper = cmd.toUpperCase();
  for (const name of LOGCMDS) {
    if (!upper.startsWith(name)) continue;
    switch (name) {
      case "HOST":
        return { kind: "host" };
      case "UPSHOST":
        return { kind: "upshost" };
      case "PID":
        return { kind: "pid" };
      case "TIME":
        return { kind: "time", format: arg ?? "" };
      case "VAR":
        return { kind: "var", name: arg };
      case "ETIME":
        return { kind: "etime" };
    }
  }
  return undefined;
}

/**
 * Compiles a format string the way upslog's `compile_format()` does.
 * @param format the format
 * @returns its segments (adjacent literals merged)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFormat } from "./format.ts";
 * assert.deepEqual(compileFormat("[%VAR ups.status%] %%"), [
 *   { kind: "literal", text: "[" },
 *   { kind: "var", name: "ups.status" },
 *   { kind: "literal", text: "] %" },
 * ]);
 * ```
 */
export function compileFormat(format: string): Segment[] {
  const out: Segment[] = [];
  const literal = (text: string) => {
    const last = out[out.length - 1];
    if (last?.kind === "literal") out[out.length - 1] = { kind: "literal", text: last.text + text };
    else out.push({ kind: "literal", text });
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      literal(c);
      continue;
    }
    if (format[i + 1] === "%") {
      literal("%");
      i++;
      continue;
    }
    const rest = format.slice(i + 1);
    const end = rest.indexOf("%");
    if (end < 0) {
      literal("INVALID");
      continue;
    }
    let cmd = rest.slice(0, end);
    const ofs = cmd.length + 1;
    const sp = cmd.indexOf(" ");
    let arg: string | undefined;
    if (sp >= 0) {
      arg = cmd.slice(sp + 1);
      cmd = cmd.slice(0, sp);
    }
    const seg = commandSegment(cmd, arg);
    if (seg) out.push(seg);
    else literal("INVALID");
    i += ofs;
  }
  return out;
}

/** Whether a `%VAR%` name is one upslog will query (non-empty, with a dot). */
export function validVarName(name: string | undefined): name is string {
  return name !== undefined && name.length > 0 && name.includes(".");
}

/**
 * The variables a compiled format asks upsd for, in order (duplicates kept).
 * @param segments compiled format
 * @returns variable names
 */
export function formatVars(segments: readonly Segment[]): string[] {
  const out: string[] = [];
  for (const s of segments) if (s.kind === "var" && validVarName(s.name)) out.push(s.name);
  return out;
}

/** Everything a line needs besides the format. */
export interface ExpandContext {
  /** Local host name (`%HOST%`). */
  readonly hostname: string;
  /** The `<ups>` string as given (`%UPSHOST%`). */
  readonly upsHost: string;
  /** upslog's pid. */
  readonly pid: number;
  /** Time of the sample. */
  readonly now: Date;
  /** Values by variable name; a missing value prints `NA`. */
  readonly values: ReadonlyMap<string, string>;
  /** Time zone for `%TIME%` (IANA name); default the process's local zone. */
  readonly timeZone?: string;
}

/**
 * The text of one segment.
 * @param s the segment
 * @param ctx values and time
 * @returns the text NUT appends for it
 */
export function expandSegment(s: Segment, ctx: ExpandContext): string {
  switch (s.kind) {
    case "literal":
      return s.text;
    case "host":
      return ctx.hostname;
    case "upshost":
      return ctx.upsHost;
    case "pid":
      return String(ctx.pid);
    case "time":
      return strftime(s.format.replaceAll("@", "%"), ctx.now, ctx.timeZone).slice(0, TIME_LIMIT);
    case "etime":
      return String(Math.floor(ctx.now.getTime() / 1000));
    case "var":
      if (!validVarName(s.name)) return "INVALID";
      return ctx.values.get(s.name) ?? "NA";
  }
}

/**
 * Expands a compiled format into one log line (without newline), cut to
 * upslog's buffer size.
 * @param segments compiled format
 * @param ctx values and time
 * @returns the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFormat, expandLine } from "./format.ts";
 * const line = expandLine(compileFormat("%VAR battery.charge% [%VAR ups.status%] %bogus%"), {
 *   hostname: "h", upsHost: "ups@localhost", pid: 1, now: new Date(0),
 *   values: new Map([["battery.charge", "100"]]),
 * });
 * assert.equal(line, "100 [NA] INVALID");
 * ```
 */
export function expandLine(segments: readonly Segment[], ctx: ExpandContext): string {
  let line = "";
  for (const s of segments) {
    line += expandSegment(s, ctx);
    if (line.length >= LINE_LIMIT) return line.slice(0, LINE_LIMIT);
  }
  return line;
}
