/**
 * What upsrw shows for one writable variable: the queries NUT 2.8.0's
 * `print_rw()` makes (DESC, TYPE, then VAR/ENUM/RANGE by type) and the exact
 * block it prints, including where a fatal error cuts it short.
 *
 * @module
 */

import { NutError } from "../errors.ts";
import type { NutClient } from "./client.ts";
import { clientErrorText, UpsClientError } from "./errors.ts";

/** An `Option:` line of an ENUM. */
export interface EnumOption {
  readonly value: string;
  readonly selected: boolean;
}

/** An `Option:` line of a RANGE. */
export interface RangeOption {
  readonly min: number;
  readonly max: number;
  readonly selected: boolean;
}

/** One variable as upsrw describes it. */
export interface RwInfo {
  readonly name: string;
  /** DESC text, or null when unavailable. */
  readonly description: string | null;
  /** `STRING`, `NUMBER`, `ENUM STRING`, `ENUM NUMBER`, `ENUM`, `RANGE NUMBER`, or `unknown`. */
  readonly type: string;
  readonly maxLength?: number;
  readonly value?: string;
  readonly options?: readonly EnumOption[];
  readonly ranges?: readonly RangeOption[];
  /** The lines NUT prints for this variable, in order, without the trailing blank line. */
  readonly lines: readonly string[];
  /** Set when NUT would stop with this fatal message after `lines`. */
  readonly fatal?: string;
}

/**
 * C's `atoi()` (leading whitespace, sign, digits; 32-bit wrap).
 * @param s text
 * @returns the integer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atoi } from "./rw_info.ts";
 * assert.equal(atoi(" 42abc"), 42);
 * assert.equal(atoi("x"), 0);
 * ```
 */
export function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  return Number(BigInt.asIntN(32, BigInt(m[1]!)));
}

/** C's `strtol(s, NULL, 10)` as a long. */
function strtol(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  return Number(BigInt.asIntN(64, BigInt(m[1]!)));
}

function isClientError(e: unknown): e is NutError | UpsClientError {
  return e instanceof NutError || e instanceof UpsClientError;
}

async function getData(
  c: NutClient,
  type: string,
  ups: string,
  name: string,
): Promise<string | null> {
  try {
    return (await c.get([type, ups, name]))[3] ?? null;
  } catch (e) {
    if (isClientError(e)) return null;
    throw e;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Queries upsd for one writable variable, exactly as upsrw 2.8.0 does.
 * @param c the client
 * @param ups UPS name as given
 * @param name variable name
 * @returns the description, type, value/options and the printed lines
 * @throws only on programming errors (client failures become `fatal` or fallbacks)
 */
export async function describeRw(c: NutClient, ups: string, name: string): Promise<RwInfo> {
  const description = await getData(c, "DESC", ups, name);
  const info: Mutable<RwInfo> = {
    name,
    description,
    type: "unknown",
    lines: [`[${name}]`, description ?? "Description unavailable"],
  };
  const lines = info.lines as string[];
  let types: string[];
  try {
    types = (await c.get(["TYPE", ups, name])).slice(3);
  } catch (e) {
    if (!isClientError(e)) throw e;
    lines.push("Unknown type");
    return info;
  }
  let isEnum = false;
  for (const t of types) {
    const upper = t.toUpperCase();
    if (upper === "ENUM") {
      isEnum = true;
      continue;
    }
    if (upper === "RANGE") {
      await doRange(c, ups, info, lines);
      return info;
    }
    if (upper.startsWith("STRING:")) {
      const len = strtol(t.slice(7));
      if (isEnum) await doEnum(c, ups, info, lines, "STRING", len);
      else await doSimple(c, ups, info, lines, "STRING", len);
      return info;
    }
    if (upper === "NUMBER") {
      if (isEnum) await doEnum(c, ups, info, lines, "NUMBER", 0);
      else await doSimple(c, ups, info, lines, "NUMBER", 0);
      return info;
    }
    if (upper === "RW") continue;
    lines.push(`Type: ${t} (unrecognized)`);
  }
  if (isEnum) await doEnum(c, ups, info, lines, "NONE", 0);
  return info;
}

async function doSimple(
  c: NutClient,
  ups: string,
  info: Mutable<RwInfo>,
  lines: string[],
  kind: "STRING" | "NUMBER",
  len: number,
): Promise<void> {
  const val = await getData(c, "VAR", ups, info.name);
  if (val === null) {
    info.fatal = `do_${kind.toLowerCase()}: can't get current value of ${info.name}`;
    return;
  }
  info.type = kind;
  info.value = val;
  lines.push(`Type: ${kind}`);
  if (kind === "STRING") {
    info.maxLength = len;
    lines.push(`Maximum length: ${len}`);
  }
  lines.push(`Value: ${val}`);
}

async function listRows(
  c: NutClient,
  query: string[],
  info: Mutable<RwInfo>,
): Promise<string[][] | undefined> {
  try {
    return (await c.listLenient(query)).rows;
  } catch (e) {
    if (!isClientError(e)) throw e;
    info.fatal = `Error: ${clientErrorText(e)}`;
    return undefined;
  }
}

async function doEnum(
  c: NutClient,
  ups: string,
  info: Mutable<RwInfo>,
  lines: string[],
  kind: "STRING" | "NUMBER" | "NONE",
  len: number,
): Promise<void> {
  const val = await getData(c, "VAR", ups, info.name);
  if (val === null) {
    info.fatal = `do_enum: can't get current value of ${info.name}`;
    return;
  }
  const current = val.slice(0, 511);
  const rows = await listRows(c, ["ENUM", ups, info.name], info);
  if (rows === undefined) return;
  info.type = kind === "NONE" ? "ENUM" : `ENUM ${kind}`;
  info.value = val;
  lines.push(`Type: ${info.type}`);
  if (kind === "STRING") {
    info.maxLength = len;
    lines.push(`Maximum length: ${len}`);
  }
  const options: EnumOption[] = [];
  info.options = options;
  for (const w of rows) {
    if (w.length < 4) {
      info.fatal = `Error: insufficient data (got ${w.length} args, need at least 4)`;
      return;
    }
    const selected = w[3] === current;
    options.push({ value: w[3]!, selected });
    lines.push(`Option: "${w[3]}"${selected ? " SELECTED" : ""}`);
  }
}

async function doRange(
  c: NutClient,
  ups: string,
  info: Mutable<RwInfo>,
  lines: string[],
): Promise<void> {
  const val = await getData(c, "VAR", ups, info.name);
  if (val === null) {
    info.fatal = `do_range: can't get current value of ${info.name}`;
    return;
  }
  const ival = atoi(val);
  const rows = await listRows(c, ["RANGE", ups, info.name], info);
  if (rows === undefined) return;
  info.type = "RANGE NUMBER";
  info.value = val;
  lines.push("Type: RANGE NUMBER");
  const ranges: RangeOption[] = [];
  info.ranges = ranges;
  for (const w of rows) {
    if (w.length < 5) {
      info.fatal = `Error: insufficient data (got ${w.length} args, need at least 4)`;
      return;
    }
    const min = atoi(w[3]!), max = atoi(w[4]!);
    const selected = ival >= min && ival <= max;
    ranges.push({ min, max, selected });
    lines.push(`Option: "${min}-${max}"${selected ? " SELECTED" : ""}`);
  }
}

/**
 * The text upsrw prints for one variable (block plus blank line), and the
 * fatal message that ends the program after it, if any.
 * @param info from {@linkcode describeRw}
 * @returns text for stdout and the optional fatal message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderRwBlock } from "./rw_info.ts";
 * const r = renderRwBlock({
 *   name: "ups.delay.shutdown", description: null, type: "NUMBER", value: "20",
 *   lines: ["[ups.delay.shutdown]", "Description unavailable", "Type: NUMBER", "Value: 20"],
 * });
 * assert.equal(r.text, "[ups.delay.shutdown]\nDescription unavailable\nType: NUMBER\nValue: 20\n\n");
 * ```
 */
export function renderRwBlock(info: RwInfo): { text: string; fatal?: string } {
  const text = info.lines.map((l) => `${l}\n`).join("");
  return info.fatal === undefined ? { text: `${text}\n` } : { text, fatal: info.fatal };
}
