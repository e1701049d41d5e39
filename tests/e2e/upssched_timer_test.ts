import assert from "node:assert/strict";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { nutArgv, run } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { startStack } from "./upsmon_harness.ts";

function setup(sb: Sandbox): { env: Record<string, string>; log: string; pipe: string } {
  const log = sb.path("cmd.log");
  const pipe = sb.path("upssched.pipe");
  Deno.writeTextFileSync(log, "");
  const script = sb.path("cmd.sh");
  Deno.writeTextFileSync(
    script,
    `#!/bin/sh\necho "$1|$UPSNAME|$NOTIFYTYPE" >> ${log}\n`,
  );
  Deno.chmodSync(script, 0o755);
  sb.writeConf(
    "upssched.conf",
    `CMDSCRIPT ${script}\nPIPEFN ${pipe}\nLOCKFN ${sb.path("upssched.lock")}\n` +
      "AT ONBATT * START-TIMER onbatt 2\nAT ONLINE * CANCEL-TIMER onbatt\n",
  );
  return { env: { ...sb.env, NUT_UPSSCHED_IDLE: "2" }, log, pipe };
}

const lines = (p: string) => Deno.readTextFileSync(p).split("\n").filter((l) => l);
const exists = (p: string) => {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
};

Deno.test("nut upssched: ONLINE cancels the 2 s ONBATT timer; an uncancelled one runs CMDSCRIPT once", async () => {
  await using sb = makeSandbox("nut-upssched-");
  const { env, log, pipe } = setup(sb);
  const fire = (type: string) =>
    run([...nutArgv(), "upssched", `UPS ups@localhost ${type}`], {
      env: { ...env, UPSNAME: "ups@localhost", NOTIFYTYPE: type },
    });
  assert.equal((await fire("ONBATT")).code, 0);
  assert.ok(exists(pipe), "the timer daemon listens on PIPEFN");
  assert.equal((await fire("ONLINE")).code, 0);
  await new Promise((r) => setTimeout(r, 3500));
  assert.deepEqual(lines(log), [], "the cancelled timer never ran");
  assert.equal((await fire("ONBATT")).code, 0);
  await waitFor(() => lines(log).length > 0, { timeout: 8000, what: "CMDSCRIPT onbatt" });
  // The daemon exits once idle (NUT_UPSSCHED_IDLE=2 passes here) and removes PIPEFN.
  await waitFor(() => !exists(pipe), { timeout: 10_000, what: "daemon exit" });
  assert.deepEqual(lines(log), ["onbatt|ups@localhost|ONBATT"]);
});

/** Processes whose environment names this PIPEFN: our timer daemons for it. */
function daemonsFor(pipe: string): number {
  let n = 0;
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const env = Deno.readTextFileSync(`/proc/${e.name}/environ`);
      if (env.split("\0").includes(`NUT_UPSSCHED_PIPEFN=${pipe}`)) n++;
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return n;
}

Deno.test("nut upssched: simultaneous events start one daemon and every timer fires once", async () => {
  await using sb = makeSandbox("nut-upssched-");
  const { env, log, pipe } = setup(sb);
  const runs = ["a@h", "b@h", "c@h", "d@h"].map((ups) =>
    run([...nutArgv(), "upssched", "x"], { env: { ...env, UPSNAME: ups, NOTIFYTYPE: "ONBATT" } })
  );
  for (const r of await Promise.all(runs)) assert.equal(r.code, 0, r.stderr);
  assert.equal(daemonsFor(pipe), 1, "exactly one timer daemon");
  await waitFor(() => lines(log).length >= 4, { timeout: 10_000, what: "4 timers" });
  await waitFor(() => !exists(pipe), { timeout: 10_000, what: "daemon exit" });
  assert.deepEqual(lines(log).sort(), [
    "onbatt|a@h|ONBATT",
    "onbatt|b@h|ONBATT",
    "onbatt|c@h|ONBATT",
    "onbatt|d@h|ONBATT",
  ]);
});

Deno.test("nut upssched: without UPSNAME/NOTIFYTYPE it refuses like NUT", async () => {
  const r = await run([...nutArgv(), "upssched"], { env: { UPSNAME: "" } });
  assert.equal(r.code, 1);
  assert.equal(
    r.stdout,
    "Error: UPSNAME and NOTIFYTYPE must be set.\nThis program should only be run from upsmon.\n",
  );
});

compatTest(
  "real upsmon runs nut upssched, and nut upsmon runs real upssched, as NOTIFYCMD",
  async () => {
    for (const [mon, sched] of [["real", "nut"], ["nut", "real"]] as const) {
      await using st = await startStack([["ups1", "OL"]], "real");
      const { env, log } = setup(st.sb);
      const wrapper = st.sb.path("sched.sh");
      const schedArgv = sched === "nut" ? nutArgv().join(" ") + " upssched" : REAL.upssched;
      const envs = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ");
      Deno.writeTextFileSync(wrapper, `#!/bin/sh\nexec env ${envs} ${schedArgv} "$@"\n`);
      Deno.chmodSync(wrapper, 0o755);
      await st.startMonitor({
        label: "pri",
        impl: mon,
        monitors: [["ups1", 1, "primary"]],
        notifyCmd: wrapper,
      });
      await st.waitLogins("ups1", 1);
      st.setStatus("ups1", "OB");
      await waitFor(() => lines(log).length > 0, {
        timeout: 20_000,
        what: `${mon} upsmon → ${sched} upssched`,
      });
      assert.equal(lines(log)[0]!.split("|")[0], "onbatt", `${mon} upsmon → ${sched} upssched`);
      assert.equal(lines(log)[0]!.split("|")[1], `ups1@127.0.0.1:${st.port}`);
    }
  },
);
