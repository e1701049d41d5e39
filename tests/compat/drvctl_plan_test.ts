/**
 * `nut drvctl` and Debian's upsdrvctl print the same plan: for the same
 * ups.conf and arguments, stdout is identical and stderr is identical once
 * the elapsed-time prefix of debug lines (`%4.0f.%06ld\t`, which depends on
 * timing) is removed. Test mode (`-t`) executes nothing.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { nutArgv, run, type RunResult } from "../_helpers/process.ts";
import { pool } from "../drivers/_nut_stack.ts";

const MIXED = `# several sections, mixed drivers, sdorder, NUT's first-line quirk
maxstartdelay = 20
maxretry = 3
retrydelay = 1
[alpha]
\tdriver = dummy-ups
\tport = alpha.dev
\tsdorder = 2
\tdesc = "first"
[beta]
\tdriver = usbhid-ups
\tport = auto
\tsdorder = -1
[gamma]
\tsdorder = 5
\tdriver = snmp-ups
\tport = 10.0.0.1
[delta]
\tdriver = nutdrv_qx
\tport = /dev/ttyS0
\tsdorder = 1
\tmaxstartdelay = 3
[epsilon]
\tdriver = dummy-ups
\tport = /abs/path/epsilon.seq
\tsdorder = 1
`;

const MISSING_DRIVER = `[one]
\tdriver = dummy-ups
\tport = one.dev
[two]
\tdriver = no-such-driver
\tport = /dev/null
[three]
\tdriver = dummy-ups
\tport = three.dev
`;

interface Case {
  readonly conf: string | undefined;
  readonly args: readonly string[];
  /** Pid files to create first (stop). */
  readonly pids?: readonly string[];
}

const CASES: Case[] = [
  { conf: MIXED, args: ["-t", "start"] },
  { conf: MIXED, args: ["-t", "shutdown"] },
  { conf: MIXED, args: ["-t", "stop"], pids: ["dummy-ups-alpha.pid", "nutdrv_qx-ttyS0.pid"] },
  { conf: MIXED, args: ["-t", "start", "gamma"] },
  { conf: MIXED, args: ["-t", "shutdown", "beta"] },
  { conf: MIXED, args: ["-t", "start", "nosuch"] },
  { conf: MIXED, args: ["-t", "-d", "-DD", "start"] },
  { conf: MIXED, args: ["-t", "-u", "nut", "-r", "/chroot", "start"] },
  { conf: MIXED, args: ["-t", "-u", "nut", "-r", "/chroot", "shutdown"] },
  { conf: MIXED, args: ["-t", "-D", "-D", "-D", "shutdown"] },
  { conf: MIXED, args: ["-t", "bogus"] },
  { conf: MIXED, args: ["-h"] },
  { conf: MIXED, args: [] },
  { conf: MIXED, args: ["-V"] },
  { conf: MISSING_DRIVER, args: ["-t", "start"] },
  { conf: MISSING_DRIVER, args: ["-t", "shutdown"] },
  { conf: "# nothing\n", args: ["-t", "start"] },
  { conf: "# nothing\n", args: ["-t", "stop", "x"] },
  { conf: undefined, args: ["-t", "start"] },
];

const stripTimes = (s: string) => s.replace(/^ *\d+\.\d{6}\t/gm, "");

compatTest("nut drvctl -t prints the same plan as real upsdrvctl", async (t) => {
  const results = await pool(CASES, 4, async (c) => {
    await using sb = makeSandbox("nut-drvctl-");
    if (c.conf !== undefined) sb.writeConf("ups.conf", c.conf);
    for (const p of c.pids ?? []) Deno.writeTextFileSync(`${sb.statePath}/${p}`, "999999\n");
    const real = await run([REAL.upsdrvctl, ...c.args], { env: sb.env });
    const ours = await run([...nutArgv(), "upsdrvctl", ...c.args], { env: sb.env });
    return { c, real, ours };
  });
  for (const { c, real, ours } of results) {
    await t.step(
      `upsdrvctl ${c.args.join(" ")} (${c.conf?.split("\n")[0] ?? "no ups.conf"})`,
      () => {
        // NUT names argv[0] as executed (the full path here) in its help text
        const shape = (r: RunResult) => ({
          code: r.code,
          stdout: r.stdout.replaceAll(REAL.upsdrvctl, "upsdrvctl"),
          stderr: stripTimes(r.stderr).replaceAll(REAL.upsdrvctl, "upsdrvctl"),
        });
        assert.deepEqual(shape(ours), shape(real));
      },
    );
  }
});
