/**
 * Variable and command descriptions from NUT's `cmdvartab`
 * (`DATAPATH/cmdvartab`): `VARDESC <name> "<text>"` and
 * `CMDDESC <name> "<text>"` lines; names compare case-insensitively and a
 * later line wins, as in upsd's `desc.c`.
 *
 * @module
 */

import { tokenize } from "../protocol/tokenize.ts";

/** Loaded descriptions. */
export interface Descriptions {
  /** @returns the description of a variable, or undefined */
  variable(name: string): string | undefined;
  /** @returns the description of an instant command, or undefined */
  command(name: string): string | undefined;
}

/** No descriptions at all (cmdvartab missing). */
export const NO_DESCRIPTIONS: Descriptions = {
  variable: () => undefined,
  command: () => undefined,
};

/**
 * Parses a cmdvartab text.
 * @param text file contents
 * @returns the descriptions
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCmdvartab } from "./descriptions.ts";
 * const d = parseCmdvartab('VARDESC ups.status "UPS status"\nCMDDESC load.off "Off"\n');
 * assert.equal(d.variable("UPS.STATUS"), "UPS status");
 * assert.equal(d.command("load.off"), "Off");
 * assert.equal(d.command("nope"), undefined);
 * ```
 */
export function parseCmdvartab(text: string): Descriptions {
  const vars = new Map<string, string>();
  const cmds = new Map<string, string>();
  for (const l of tokenize(text)) {
    if (l.error !== undefined || l.words.length < 3) continue;
    const [kind, name, desc] = l.words as [string, string, string];
    if (kind === "VARDESC") vars.set(name.toLowerCase(), desc);
    else if (kind === "CMDDESC") cmds.set(name.toLowerCase(), desc);
  }
  return {
    variable: (name) => vars.get(name.toLowerCase()),
    command: (name) => cmds.get(name.toLowerCase()),
  };
}
