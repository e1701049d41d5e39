/**
 * Structured upslog output beyond NUT: `--format csv` (one header line,
 * then one row per sample) and `--format json` (one object per line). The
 * columns are the UPS, then every escape of the format in order (literal
 * text between escapes is dropped).
 *
 * @module
 */

import { type ExpandContext, expandSegment, type Segment, validVarName } from "./format.ts";

/** Output style. */
export type RecordStyle = "text" | "csv" | "json";

/**
 * Column names for a compiled format.
 * @param segments compiled format
 * @returns `["ups", "time", "battery.charge", …]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFormat } from "./format.ts";
 * import { recordColumns } from "./records.ts";
 * assert.deepEqual(recordColumns(compileFormat("%TIME @H% %VAR ups.load%")), [
 *   "ups", "time", "ups.load",
 * ]);
 * ```
 */
export function recordColumns(segments: readonly Segment[]): string[] {
  const cols = ["ups"];
  for (const s of segments) {
    switch (s.kind) {
      case "literal":
        break;
      case "var":
        cols.push(validVarName(s.name) ? s.name : "INVALID");
        break;
      default:
        cols.push(s.kind);
    }
  }
  return cols;
}

/** One sample's values: `undefined` = unavailable. */
function recordValues(
  segments: readonly Segment[],
  ctx: ExpandContext,
): (string | undefined)[] {
  const vals: (string | undefined)[] = [ctx.upsHost];
  for (const s of segments) {
    if (s.kind === "literal") continue;
    if (s.kind === "var" && validVarName(s.name)) vals.push(ctx.values.get(s.name));
    else vals.push(expandSegment(s, ctx));
  }
  return vals;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * The CSV header line (without newline).
 * @param segments compiled format
 * @returns the header
 */
export function csvHeader(segments: readonly Segment[]): string {
  return recordColumns(segments).map(csvField).join(",");
}

/**
 * One CSV row (without newline); unavailable values are `NA`, as in NUT's text lines.
 * @param segments compiled format
 * @param ctx values and time
 * @returns the row
 */
export function csvRow(segments: readonly Segment[], ctx: ExpandContext): string {
  return recordValues(segments, ctx).map((v) => csvField(v ?? "NA")).join(",");
}

/**
 * One JSON object (one line, no newline); unavailable values are `null`,
 * and `error` says why when the sample failed as a whole.
 * @param segments compiled format
 * @param ctx values and time
 * @param error why the data is unavailable, if known
 * @returns the JSON text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFormat } from "./format.ts";
 * import { jsonRecord } from "./records.ts";
 * const line = jsonRecord(compileFormat("%VAR ups.status%"), {
 *   hostname: "h", upsHost: "u@localhost", pid: 1, now: new Date(0), values: new Map(),
 * }, "Connection failure: Connection refused");
 * assert.equal(
 *   line,
 *   '{"ups":"u@localhost","ups.status":null,"error":"Connection failure: Connection refused"}',
 * );
 * ```
 */
export function jsonRecord(
  segments: readonly Segment[],
  ctx: ExpandContext,
  error?: string,
): string {
  const cols = recordColumns(segments);
  const vals = recordValues(segments, ctx);
  const obj: Record<string, string | null> = Object.create(null);
  cols.forEach((c, i) => (obj[c] = vals[i] ?? null));
  if (error !== undefined) obj.error = error;
  return JSON.stringify(obj);
}
