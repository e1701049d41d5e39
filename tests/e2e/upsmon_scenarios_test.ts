import { compatTest } from "../_helpers/real_nut.ts";
import { nutBuilt } from "./upsmon_harness.ts";
import { playAll, SCENARIOS } from "./upsmon_scenarios.ts";

/** Prints one table row on stderr (the test report). */
const say = (line: string) => Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));

async function table(upsd: "real" | "nut"): Promise<void> {
  const results = await playAll(SCENARIOS, upsd, "nut");
  const failures: string[] = [];
  for (const r of results) {
    let verdict = "pass";
    try {
      if (r.error) throw r.error;
      r.s.check(r.ev!);
    } catch (e) {
      verdict = "FAIL";
      failures.push(
        `${r.s.name}: ${e instanceof Error ? e.message : String(e)}\n${JSON.stringify(r.ev ?? [])}`,
      );
    }
    say(`  [${verdict}] nut upsmon vs ${upsd} upsd: ${r.s.name}`);
  }
  if (failures.length) throw new Error(failures.join("\n\n"));
}

compatTest("nut upsmon scenario table against Debian's real upsd + dummy-ups", async () => {
  await table("real");
});

Deno.test({
  name: "nut upsmon scenario table against nut upsd + nut dummy",
  ignore: !(await nutBuilt("upsd")) || !(await nutBuilt("dummy")),
  async fn() {
    await table("nut");
  },
});
