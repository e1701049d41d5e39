/**
 * HID paths as NUT prints them: `UPS.PowerSummary.RemainingCapacity`,
 * `UPS.Flow.[4].ConfigVoltage`, unknown usages as 8 hex digits
 * (`UPS.PowerSummary.ff860060`).
 *
 * @module
 */

import type { UsageTable } from "./usage_tables.ts";

/**
 * Formats a usage path.
 * @param path usage codes (index nodes `0x00ffnnnn`)
 * @param table names to use
 * @returns the dotted path
 */
export function pathToString(path: readonly number[], table: UsageTable): string {
  return path.map((node) => {
    const name = table.name(node);
    if (name !== undefined) return name;
    if (((node & 0xffff0000) >>> 0) === 0x00ff0000) return `[${node & 0xffff}]`;
    return (node >>> 0).toString(16).padStart(8, "0");
  }).join(".");
}

/**
 * Parses a dotted path into usage codes (names, raw hex, `[n]` indexes).
 * @param text the path
 * @param table names to use
 * @returns the codes, or undefined when a component cannot be parsed
 */
export function stringToPath(text: string, table: UsageTable): number[] | undefined {
  const out: number[] = [];
  for (const token of text.split(".").filter((t) => t !== "")) {
    const code = table.code(token);
    if (code !== undefined) out.push(code);
    else if (/^[0-9a-fA-F]+$/.test(token)) out.push(parseInt(token, 16) >>> 0);
    else if (/^\[[0-9]+\]$/.test(token)) {
      out.push((0x00ff0000 + parseInt(token.slice(1), 10)) >>> 0);
    } else return undefined;
  }
  return out;
}

/**
 * Whether two paths are equal.
 * @param a a path
 * @param b another path
 * @returns true when equal
 */
export function samePath(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => (n >>> 0) === (b[i]! >>> 0));
}
