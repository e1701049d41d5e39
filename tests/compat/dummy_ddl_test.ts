/**
 * `nut dummy` → real upsd shows, through real upsc, exactly what real
 * dummy-ups → real upsd shows, for every dump of the devices dumps library.
 *
 * No variable is excluded from the comparison: our driver publishes the
 * same `driver.name`, `driver.version` (2.8.0), `driver.version.internal`
 * (0.15) and `driver.parameter.*` as Debian's 2.8.0 dummy-ups.
 *
 * One difference is tolerated and reported: with `synchronous` unset
 * ("auto"), a real driver whose socket write to upsd fails with EAGAIN (a
 * dump of several hundred variables can, on a busy machine: the Eaton ePDU
 * with 580 did in some runs and not in others) drops
 * the rest of that write, switches itself to synchronous mode and then shows
 * `driver.parameter.synchronous: yes`. Our driver never loses a write, so it
 * keeps showing `auto`. Every other line must still be identical.
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import type { Daemon } from "../_helpers/process.ts";
import {
  pool,
  SHARED,
  startDriver,
  startRealUpsd,
  upscWhenReady,
  waitSocket,
  writeConfs,
} from "../drivers/_nut_stack.ts";

function listDumps(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...listDumps(p));
    else if (e.name.endsWith(".dev")) out.push(p);
  }
  return out.sort();
}

/**
 * UPS sections per upsd pair. Our drivers of a batch run at once: each is a
 * deno process (~48 MB, ~50 ms CPU to start), so 70 keep memory near 3.4 GB.
 */
const BATCH = 70;

compatTest(
  "nut dummy → real upsd matches real dummy-ups → real upsd for every ddl dump",
  async () => {
    const dumps = listDumps(`${SHARED}data/ddl`);
    assert.ok(dumps.length >= 500, `expected the ddl dumps, found ${dumps.length}`);
    const differences: string[] = [];
    const syncFallback: string[] = [];
    let identical = 0;
    for (let b = 0; b < dumps.length; b += BATCH) {
      const batch = dumps.slice(b, b + BATCH);
      const sections = batch.map((p, i) => ({ name: `d${b + i}`, driver: "dummy-ups", port: p }));
      await using real = makeSandbox("nut-ddl-real-");
      await using ours = makeSandbox("nut-ddl-ours-");
      const realPort = writeConfs(real, sections);
      const ourPort = writeConfs(ours, sections);
      const daemons: Daemon[] = [];
      try {
        for (const s of sections) daemons.push(startDriver(real, "real", s.name));
        for (const s of sections) daemons.push(startDriver(ours, "ours", s.name));
        for (const s of sections) {
          await waitSocket(real, "dummy-ups", s.name);
          await waitSocket(ours, "dummy-ups", s.name);
        }
        daemons.push(await startRealUpsd(real), await startRealUpsd(ours));
        await pool(sections, 16, async (s, i) => {
          const [want, got] = await Promise.all([
            upscWhenReady(`${s.name}@127.0.0.1:${realPort}`),
            upscWhenReady(`${s.name}@127.0.0.1:${ourPort}`),
          ]);
          if (want === got) identical++;
          else if (onlySyncFallback(want, got)) syncFallback.push(batch[i]!);
          else differences.push(`${batch[i]}:\n${lineDiff(want, got)}`);
        });
      } finally {
        await Promise.all(daemons.map((d) => d[Symbol.asyncDispose]()));
      }
    }
    // deno-lint-ignore no-console -- the N of N figure for the report
    console.log(`ddl: ${identical} of ${dumps.length} dumps identical through real upsd/upsc`);
    for (const f of syncFallback) {
      // deno-lint-ignore no-console -- the reported exception
      console.log(`ddl: identical except real NUT's EAGAIN synchronous fallback: ${f}`);
    }
    assert.deepEqual(differences, []);
    assert.equal(identical + syncFallback.length, dumps.length);
  },
  { sanitizeResources: false, sanitizeOps: false },
);

/** The real driver switched itself to synchronous mode (see the module doc). */
function onlySyncFallback(want: string, got: string): boolean {
  const a = want.split("\n");
  const b = got.split("\n");
  if (a.length !== b.length) return false;
  let fallback = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (
      a[i] === "driver.parameter.synchronous: yes" && b[i] === "driver.parameter.synchronous: auto"
    ) fallback = true;
    else return false;
  }
  return fallback;
}

function lineDiff(want: string, got: string): string {
  const a = new Set(want.split("\n"));
  const b = new Set(got.split("\n"));
  return [
    ...[...a].filter((l) => !b.has(l)).map((l) => `  - ${l}`),
    ...[...b].filter((l) => !a.has(l)).map((l) => `  + ${l}`),
  ].join("\n");
}
