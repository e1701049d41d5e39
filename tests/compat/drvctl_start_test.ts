/**
 * A real `start` and `stop`: Debian's upsdrvctl running Debian's dummy-ups,
 * and `nut drvctl` running our dummy-ups, on the same ups.conf with one good
 * section and one whose data file is missing (retried `maxretry` times).
 * stderr and exit codes are identical; stdout holds the same lines, compared
 * as a sorted list because C stdio buffers upsdrvctl's own banner until it
 * exits when stdout is a pipe (its drivers' banners come first), while ours
 * writes at once.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { nutArgv, run, type RunResult } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { SHARED } from "../drivers/_nut_stack.ts";

const CONF = `maxretry = 2
retrydelay = 1
[good]
\tdriver = dummy-ups
\tport = ${SHARED}data/nut/epdu-managed.dev
[bad]
\tdriver = dummy-ups
\tport = missing.dev
`;

function upsdrvctl(which: "real" | "ours", sb: Sandbox, args: string[]): Promise<RunResult> {
  const argv = which === "real" ? [REAL.upsdrvctl] : [...nutArgv(), "upsdrvctl"];
  return run([...argv, ...args], { env: sb.env, timeout: 60_000 });
}

const sorted = (s: string) => s.split("\n").sort().join("\n");

compatTest("nut drvctl start/stop = real upsdrvctl start/stop, failures included", async () => {
  await using realSb = makeSandbox("nut-start-real-");
  await using ourSb = makeSandbox("nut-start-ours-");
  realSb.writeConf("ups.conf", CONF);
  ourSb.writeConf("ups.conf", CONF);
  const pid = (sb: Sandbox) => `${sb.statePath}/dummy-ups-good.pid`;
  try {
    const [real, ours] = await Promise.all([
      upsdrvctl("real", realSb, ["-u", "root", "start"]),
      upsdrvctl("ours", ourSb, ["-u", "root", "start"]),
    ]);
    assert.equal(ours.code, real.code);
    assert.equal(real.code, 1);
    // the two sandboxes differ only by their temp dir names
    assert.equal(ours.stderr.replaceAll(ourSb.dir, "SB"), real.stderr.replaceAll(realSb.dir, "SB"));
    assert.equal(sorted(ours.stdout), sorted(real.stdout));
    assert.match(real.stderr, /Driver failed to start \(exit status=1\)\n.*\n.*exit status=1\)\n$/);
    // the good driver is up and answers on its socket, under both
    for (const sb of [realSb, ourSb]) {
      await waitFor(() => Deno.statSync(`${sb.statePath}/dummy-ups-good`).isSocket, {
        what: "socket of the good driver",
      });
      assert.match(Deno.readTextFileSync(pid(sb)), /^\d+\n$/);
    }
    const [realStop, ourStop] = await Promise.all([
      upsdrvctl("real", realSb, ["stop"]),
      upsdrvctl("ours", ourSb, ["stop"]),
    ]);
    assert.deepEqual(
      {
        code: ourStop.code,
        stdout: ourStop.stdout,
        stderr: ourStop.stderr.replaceAll(ourSb.dir, "SB"),
      },
      {
        code: realStop.code,
        stdout: realStop.stdout,
        stderr: realStop.stderr.replaceAll(realSb.dir, "SB"),
      },
    );
    for (const sb of [realSb, ourSb]) {
      await waitFor(() => {
        try {
          Deno.statSync(pid(sb));
          return false;
        } catch (e) {
          return e instanceof Deno.errors.NotFound;
        }
      }, { what: "the stopped driver's pid file to go" });
    }
  } finally {
    // never leave a driver behind, whatever failed above
    for (const sb of [realSb, ourSb]) killFromPidFile(pid(sb));
  }
});

function killFromPidFile(path: string): void {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return; // already stopped
    throw e;
  }
  try {
    Deno.kill(Number(text.trim()), "SIGTERM");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e; // already gone
  }
}
