/**
 * Usage-name tables: the generic HID Power Device (0x84) and Battery System
 * (0x85) names plus a subdriver's vendor names, searched vendor first, as
 * NUT does. Turns usage codes into names and back.
 *
 * @module
 */

import { HID_USAGES } from "./usage_tables_data.ts";

/** A searchable set of usage tables. */
export class UsageTable {
  readonly #byCode = new Map<number, string>();
  readonly #byName = new Map<string, number>();

  /**
   * @param tables lists of [name, code], searched in order (first wins)
   */
  constructor(tables: readonly (readonly (readonly [string, number])[])[]) {
    for (const table of tables) {
      for (const [name, code] of table) {
        if (!this.#byCode.has(code >>> 0)) this.#byCode.set(code >>> 0, name);
        const key = name.toLowerCase();
        if (!this.#byName.has(key)) this.#byName.set(key, code >>> 0);
      }
    }
  }

  /** The name of a usage code, or undefined. */
  name(code: number): string | undefined {
    return this.#byCode.get(code >>> 0);
  }

  /** The code of a usage name (case-insensitive), or undefined. */
  code(name: string): number | undefined {
    return this.#byName.get(name.toLowerCase());
  }
}

/**
 * The usage table of a subdriver: its vendor names, then the generic HID names.
 * @param vendor the subdriver's vendor usages (empty for explore mode)
 * @returns the table
 */
export function usageTable(vendor: readonly (readonly [string, number])[] = []): UsageTable {
  return new UsageTable([vendor, HID_USAGES]);
}
