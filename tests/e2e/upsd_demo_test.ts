/**
 * `deno task demo --once`: nut dummy → nut upsd → nut upsc on a fresh temp
 * dir; the listing must carry every variable of the replayed dump.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { REPO, run } from "../_helpers/process.ts";

Deno.test("the demo serves conf/demo's dump through nut upsd and prints it with nut upsc", async () => {
  const r = await run([
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    `${REPO}/scripts/demo.ts`,
    "--once",
  ], {
    timeout: 60_000,
  });
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  ok(/^\$ nut upsc demo@127\.0\.0\.1:\d+$/.test(lines[0]!), lines[0]);
  const shown = new Set(lines.slice(1));
  const dump = Deno.readTextFileSync(`${REPO}/conf/demo/apc-back-ups-bvk750m2.dev`);
  let checked = 0;
  for (const l of dump.split("\n")) {
    const m = /^([a-z0-9.]+): (.*)$/.exec(l);
    if (!m || m[1]!.startsWith("driver.")) continue;
    ok(shown.has(`${m[1]}: ${m[2]!.trim()}`), `listing has ${m[1]}`);
    checked++;
  }
  ok(checked > 20);
  ok(shown.has("driver.name: dummy-ups"));
});
