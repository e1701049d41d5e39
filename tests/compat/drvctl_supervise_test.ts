/**
 * Driver failures as the real upsd sees them, with `nut drvctl -S`
 * supervising `nut dummy-ups`: a hung driver (SIGSTOP) is reported stale by
 * the real upsd within MAXAGE and comes back on SIGCONT; a killed driver
 * (SIGKILL) is restarted by the supervisor, data returns through the real
 * upsd, and `nut drvctl status` reports the restart; `nut drvctl stop` ends
 * it cleanly and the supervisor exits.
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { nutArgv, runNut, spawnDaemon } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { SHARED, startRealUpsd, upsc, writeConfs } from "../drivers/_nut_stack.ts";

const MAXAGE = 5;

compatTest(
  "real upsd sees a hung driver stale within MAXAGE; nut drvctl -S restarts a killed one",
  async () => {
    await using sb = makeSandbox("nut-supervise-");
    const dev = `${SHARED}data/nut/epdu-managed.dev`;
    const port = writeConfs(
      sb,
      [{ name: "sup", driver: "dummy-ups", port: dev }],
      `MAXAGE ${MAXAGE}\n`,
    );
    const target = `sup@127.0.0.1:${port}`;
    const pidFile = `${sb.statePath}/dummy-ups-sup.pid`;
    await using supervisor = spawnDaemon([...nutArgv(), "drvctl", "-S", "start"], { env: sb.env });
    await waitFor(() => Deno.statSync(`${sb.statePath}/dummy-ups-sup`).isSocket, {
      timeout: 20_000,
      what: "driver socket",
    });
    await using _upsd = await startRealUpsd(sb);
    // upsd answers WAIT while a (re)connected driver's dump is still arriving
    const fresh = async () => {
      const r = await upsc(target, "ups.status");
      return r.code === 0 && r.stdout !== "WAIT\n";
    };
    await waitFor(fresh, { timeout: 15_000, what: "data through real upsd" });
    const firstPid = Number(Deno.readTextFileSync(pidFile).trim());

    // 1. hung driver: stale within MAXAGE (+ upsd's 2 s loop), back on SIGCONT
    Deno.kill(firstPid, "SIGSTOP");
    const t0 = Date.now();
    try {
      const stale = await waitFor(async () => {
        const r = await upsc(target, "ups.status");
        return r.stderr.includes("Data stale") ? r : undefined;
      }, { timeout: (MAXAGE + 6) * 1000, interval: 200, what: "Data stale from real upsd" });
      assert.equal(stale.code, 1);
      const waited = (Date.now() - t0) / 1000;
      assert.ok(waited <= MAXAGE + 3.5, `stale after ${waited} s`);
      // deno-lint-ignore no-console -- the figure for the report
      console.log(
        `real upsd reported the hung driver stale after ${waited.toFixed(1)} s (MAXAGE ${MAXAGE})`,
      );
    } finally {
      Deno.kill(firstPid, "SIGCONT");
    }
    await waitFor(fresh, { timeout: 15_000, what: "fresh data after SIGCONT" });

    // 2. killed driver: real upsd loses it, the supervisor restarts it, data returns
    Deno.kill(firstPid, "SIGKILL");
    await waitFor(async () => !(await fresh()), {
      timeout: 10_000,
      what: "upsd noticing the loss",
    });
    await waitFor(() => {
      const pid = Number(Deno.readTextFileSync(pidFile).trim());
      return pid !== firstPid && pid > 0;
    }, { timeout: 15_000, what: "a restarted driver" });
    await waitFor(fresh, { timeout: 20_000, what: "data back through real upsd" });
    const mfr = /^ups\.mfr: (.*)$/m.exec(Deno.readTextFileSync(dev))?.[1];
    assert.equal((await upsc(target, "ups.mfr")).stdout, `${mfr}\n`);
    const status = await runNut(["drvctl", "status"], { env: sb.env });
    assert.equal(status.code, 0);
    assert.match(
      status.stdout,
      /^sup {8}\t {2}dummy-ups\tRUNNING\t\d+\tRESPONSIVE\t\d+\t"[^"]*"$/m,
    );
    assert.match(status.stdout, /^sup {8}\t {2}dummy-ups\tRUNNING\t\d+\t1\tsignal SIGKILL$/m);

    // 3. a clean stop is not restarted; the supervisor exits when nothing is left
    const stop = await runNut(["drvctl", "stop"], { env: sb.env });
    assert.equal(stop.code, 0, stop.stderr);
    const st = await supervisor.status;
    assert.equal(st.code, 0);
    assert.match(supervisor.stderr(), /crashed \(signal SIGKILL\); restart #1 in 1 s/);
  },
);
