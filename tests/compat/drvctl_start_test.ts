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

/** Fake drivers (shell scripts in a private driverpath) that both upsdrvctls run. */
function fakeDrivers(sb: Sandbox): string {
  const dir = sb.path("drivers");
  Deno.mkdirSync(dir);
  const write = (name: string, body: string) => {
    Deno.writeTextFileSync(`${dir}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    Deno.chmodSync(`${dir}/${name}`, 0o755);
  };
  write("slow-drv", `echo $$ >> "${sb.path("slow.pids")}"\nexec sleep 30 >/dev/null 2>&1`);
  write("fail-drv", `echo "fail-drv $*" >&2\nexit 3`);
  write("ok-drv", `echo "ok-drv $*"\nexit 0`);
  write("sig-drv", `kill -9 $$`);
  return dir;
}

compatTest("maxstartdelay, maxretry/retrydelay and driver exits match real upsdrvctl", async () => {
  const run1 = async (which: "real" | "ours") => {
    await using sb = makeSandbox(`nut-retry-${which}-`);
    const dir = fakeDrivers(sb);
    sb.writeConf(
      "ups.conf",
      `driverpath = ${dir}\nmaxretry = 3\nretrydelay = 1\nmaxstartdelay = 30\n` +
        `[a]\n\tdriver = ok-drv\n\tport = x\n` +
        `[b]\n\tdriver = fail-drv\n\tport = x\n` +
        `[c]\n\tdriver = slow-drv\n\tport = x\n\tmaxstartdelay = 1\n` +
        `[d]\n\tdriver = sig-drv\n\tport = x\n`,
    );
    const t0 = Date.now();
    try {
      const r = await upsdrvctl(which, sb, ["-u", "nobody", "start"]);
      return { r, seconds: (Date.now() - t0) / 1000, dir: sb.dir };
    } finally {
      // the slow driver is left running by design ("continuing..."): stop it
      killAll(sb.path("slow.pids"));
    }
  };
  const [real, ours] = await Promise.all([run1("real"), run1("ours")]);
  const norm = (x: typeof real) => ({
    code: x.r.code,
    stdout: sorted(x.r.stdout),
    stderr: x.r.stderr.replaceAll(x.dir, "SB"),
  });
  assert.deepEqual(norm(ours), norm(real));
  assert.equal(real.r.code, 1);
  assert.equal((real.r.stderr.match(/exit status=3/g) ?? []).length, 3, "3 attempts of fail-drv");
  assert.equal((real.r.stderr.match(/Startup timer elapsed/g) ?? []).length, 3);
  assert.equal((real.r.stderr.match(/Driver exited abnormally/g) ?? []).length, 3);
  // 3 × (1 s retry pause) × 3 failing drivers + 3 × 1 s timeouts ≈ 9 s
  assert.ok(Math.abs(ours.seconds - real.seconds) < 3, `${ours.seconds} s vs ${real.seconds} s`);
});

function killAll(pidList: string): void {
  let text: string;
  try {
    text = Deno.readTextFileSync(pidList);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return; // never started
    throw e;
  }
  for (const p of text.trim().split("\n")) {
    try {
      Deno.kill(Number(p), "SIGKILL");
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e; // already gone
    }
  }
}
