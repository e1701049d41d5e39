/**
 * Variable and command descriptions from NUT's `cmdvartab`
 * (`DATAPATH/cmdvartab`): `VARDESC <name> "<text>"` and
 * `CMDDESC <name> "<text>"` lines; names compare case-insensitively and a
 * later line wins, as in upsd's `desc.c`.
 *
 * @module
 */

import { tokenize } from "../protocol/tokenize.ts";

const SIMPLE =
  /^[ \t]*(VARDESC|CMDDESC)[ \t]+([\x21\x24-\x3c\x3e-\x5b\x5d-\x7e]+)[ \t]+"([\x20\x21\x24-\x5b\x5d-\x7e]*)"[ \t]*\r?$/;

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
  const add = (words: readonly string[]) => {
    if (words.length < 3) return;
    const [kind, name, desc] = words as [string, string, string];
    if (kind === "VARDESC") vars.set(name.toLowerCase(), desc);
    else if (kind === "CMDDESC") cmds.set(name.toLowerCase(), desc);
  };
  for (const raw of text.split("\n")) {
    // the usual line needs no tokenizer; anything unusual goes through it
    const m = SIMPLE.exec(raw);
    if (m) add([m[1]!, m[2]!, m[3]!]);
    else if (raw.trim() !== "" && !raw.trimStart().startsWith("#")) {
      for (const l of tokenize(raw + "\n")) if (l.error === undefined) add(l.words);
    }
  }
  return {
    variable: (name) => vars.get(name.toLowerCase()),
    command: (name) => cmds.get(name.toLowerCase()),
  };
}
