/**
 * Every configuration snippet in the seed documents (how users really
 * write NUT configs) goes through our parsers; the typos in them must come
 * out as the right `file:line` problems, and nothing else may.
 */

import assert from "node:assert/strict";
import { REPO } from "../../_helpers/process.ts";
import { seedBlocks } from "./_seed_blocks.ts";
import type { ConfigFileName } from "../../../core/config/check.ts";
import type { ConfigProblem } from "../../../core/config/problem.ts";
import { parseUpsConf } from "../../../core/config/ups_conf.ts";
import { parseUpsdConf } from "../../../core/config/upsd_conf.ts";
import { parseUpsdUsers } from "../../../core/config/upsd_users.ts";
import { parseUpsmonConf } from "../../../core/config/upsmon_conf.ts";
import { parseUpsschedConf } from "../../../core/config/upssched_conf.ts";
import { parseNutConf } from "../../../core/config/nut_conf.ts";
import { parseHostsConf } from "../../../core/config/hosts_conf.ts";
import { parseUpssetConf } from "../../../core/config/upsset_conf.ts";

const SEEDS = `${REPO}/../shared/seeds`;

const PARSERS: Record<
  ConfigFileName,
  (t: string, o: { file: string }) => { problems: readonly ConfigProblem[] }
> = {
  "ups.conf": parseUpsConf,
  "upsd.conf": parseUpsdConf,
  "upsd.users": parseUpsdUsers,
  "upsmon.conf": parseUpsmonConf,
  "upssched.conf": parseUpsschedConf,
  "nut.conf": parseNutConf,
  "hosts.conf": parseHostsConf,
  "upsset.conf": parseUpssetConf,
};

/** Complaints about a snippet being incomplete, not about what it says. */
const FRAGMENT_ONLY =
  /^(Fatal error: insufficient power configured!|(CMDSCRIPT|PIPEFN|LOCKFN) must be set before any ATs)/;

/** `seed:line: severity: message (hint)` we expect, read off the documents by hand. */
const EXPECTED = [
  "000:116: error: upsd.conf: invalid directive local host",
  "000:119: error: upsd.conf: invalid directive all interface",
  "000:130: error: not a KEY=value assignment: sudo nano /etc/nut/upsd.users",
  '000:136: error: line ignored (expected "key = value"): admin master',
  '001:59: error: line ignored (expected "key = value"): admin master',
  "001:151: error: UPS [ups] has no port defined",
  '002:33: warning: unknown global setting "..." (ignored by NUT)',
  '002:50: error: line ignored (expected "key = value"): ...',
  "003:24: error: UPS [myups] has no driver defined",
  '003:25: warning: unknown setting "criver" in [myups] (did you mean "driver"?)',
  '003:27: warning: unknown setting "description" in [myups] (did you mean "desc"?)',
  "004:4609: warning: ACCEPT in upsd.conf is no longer supported - switch to LISTEN",
  "004:4610: warning: ACCEPT in upsd.conf is no longer supported - switch to LISTEN",
  "004:4611: warning: REJECT in upsd.conf is no longer supported - switch to LISTEN",
  "004:4617: warning: ACCEPT in upsd.conf is no longer supported - switch to LISTEN",
  "004:4618: warning: REJECT in upsd.conf is no longer supported - switch to LISTEN",
];

Deno.test(
  "every config snippet of the seed documents parses; their typos give the right file:line",
  { permissions: { read: true } },
  () => {
    const seeds = [...Deno.readDirSync(SEEDS)].map((e) => e.name).filter((n) => n.endsWith(".txt"))
      .sort();
    assert.ok(seeds.length >= 5, "seed documents found");
    const found: string[] = [];
    const kinds = new Map<string, number>();
    for (const seed of seeds) {
      for (const b of seedBlocks(seed, Deno.readTextFileSync(`${SEEDS}/${seed}`))) {
        if (b.kind === undefined) continue;
        kinds.set(b.kind, (kinds.get(b.kind) ?? 0) + 1);
        const r = PARSERS[b.kind](b.text, { file: b.kind });
        for (const p of r.problems) {
          assert.ok(p.line >= 0 && p.line <= b.text.split("\n").length, `${seed}:${b.start}`);
          if (p.line === 0 || FRAGMENT_ONLY.test(p.message)) continue;
          const hint = p.hint === undefined ? "" : ` (${p.hint})`;
          found.push(
            `${seed.slice(0, 3)}:${b.start + p.line - 1}: ${p.severity}: ${p.message}${hint}`,
          );
        }
      }
    }
    assert.deepEqual(found, EXPECTED);
    // every kind of file appears among the snippets
    assert.deepEqual([...kinds.keys()].sort(), Object.keys(PARSERS).sort());
    assert.ok([...kinds.values()].reduce((a, b) => a + b) >= 60, `snippets: ${[...kinds]}`);
  },
);
