import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { playAll, SCENARIOS, timeline } from "../e2e/upsmon_scenarios.ts";
import { type Impl, nutBuilt } from "../e2e/upsmon_harness.ts";

/** Prints one table row on stderr (the test report). */
const say = (line: string) => Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));

/**
 * What timing decides rather than the rules: NOCOMM repeats on a timer (how
 * many fit in a window), and a secondary sees LB and the primary's FSD in
 * whichever poll comes first — real NUT gives both orders. Those are
 * compared as one repeat and as an unordered pair.
 */
function normalise(t: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [who, list0] of Object.entries(t)) {
    const list = list0.filter((x, i) => !(x === "NOCOMM" && list0[i - 1] === "NOCOMM"));
    for (let i = 0; i + 1 < list.length; i++) {
      if (list[i] === "LOWBATT" && list[i + 1] === "FSD") {
        list[i] = "FSD";
        list[i + 1] = "LOWBATT";
      }
    }
    out[who] = list;
  }
  return out;
}

/**
 * Each upsmon's distinct log lines, with what legitimately differs removed:
 * sandbox paths and ports, the pid file path, the real one's -p warning and
 * its complaint about the 2.8.5 notify type the harness configures, the
 * banner NUT repeats when a forked notifier flushes inherited stdout, and a
 * refused reconnect, which only a poll that falls inside upsd's restart gap
 * logs (timing, like the NOCOMM repeats above).
 */
function logLines(out: Record<string, string>): Record<string, string[]> {
  const res: Record<string, string[]> = {};
  for (const [who, text] of Object.entries(out)) {
    const lines = text.split("\n")
      .map((l) =>
        l.replace(/\/tmp\/nut-upsmon-[0-9a-f]+/g, "<dir>").replace(/127\.0\.0\.1:\d+/g, "<upsd>")
      )
      .filter((l) =>
        l !== "" && !l.startsWith("fopen ") &&
        !l.startsWith("Warning: running as one big root process") &&
        l !== "Warning: invalid notify type [SHUTDOWN_HOSTSYNC]" &&
        !l.endsWith(": connect failed: Connection failure: Connection refused")
      );
    res[who] = [...new Set(lines)].sort();
  }
  return res;
}

async function differential(upsd: Impl): Promise<void> {
  // Both upsmon implementations run each story against the same kind of upsd, concurrently.
  const [real, ours] = await Promise.all([
    playAll(SCENARIOS, upsd, "real"),
    playAll(SCENARIOS, upsd, "nut"),
  ]);
  const failures: string[] = [];
  let same = 0;
  for (let i = 0; i < SCENARIOS.length; i++) {
    const r = real[i]!;
    const o = ours[i]!;
    const name = SCENARIOS[i]!.name;
    try {
      if (r.error) throw new Error(`real upsmon run failed: ${String(r.error)}`);
      if (o.error) throw new Error(`nut upsmon run failed: ${String(o.error)}`);
      // The table's expectations hold for the real upsmon too (they state NUT's rules).
      SCENARIOS[i]!.check(r.ev!);
      assert.deepEqual(normalise(timeline(o.ev!)), normalise(timeline(r.ev!)));
      assert.deepEqual(logLines(o.out!), logLines(r.out!), "upsmon log lines differ");
      same++;
      say(`  [same] ${name}: ${JSON.stringify(normalise(timeline(r.ev!)))}`);
    } catch (e) {
      say(`  [DIFF] ${name}`);
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  say(`  ${same} of ${SCENARIOS.length} scenarios identical (${upsd} upsd)`);
  if (failures.length) throw new Error(failures.join("\n\n"));
}

compatTest(
  "Debian's real upsmon and nut upsmon give the same ordered events and shutdown decisions (Debian's upsd)",
  () => differential("real"),
);

const ours = (await nutBuilt("upsd")) && (await nutBuilt("dummy"));
const NUT_UPSD_NAME =
  "Debian's real upsmon and nut upsmon give the same ordered events and shutdown decisions (nut upsd)";
if (ours) compatTest(NUT_UPSD_NAME, () => differential("nut"));
else {
  Deno.test({
    name: `${NUT_UPSD_NAME} (SKIPPED: nut upsd or nut dummy not built yet)`,
    ignore: true,
    fn: () => {},
  });
}
