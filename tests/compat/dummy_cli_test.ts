/**
 * `nut dummy-ups` prints what Debian's dummy-ups prints (stdout, stderr,
 * exit status) for its common options, its fatal errors and `-d` data dumps.
 * The real binary runs through a symlink named `dummy-ups` so its argv[0]
 * (shown by getopt's diagnostics) is the same as our program name.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { nutArgv, run, type RunResult } from "../_helpers/process.ts";
import { pool } from "../drivers/_nut_stack.ts";

const CONF = `pollinterval = 3
[plain]
\tdriver = dummy-ups
\tport = plain.dev
[tuned]
\tdriver = dummy-ups
\tport = plain.dev
\tdesc = "described"
\tsdorder = 2
\tdefault.ups.id = fromdefault
\tdefault.battery.charge = 1
\toverride.ups.model = OVERRIDDEN
\tnolock
\tsddelay = 4
\tsynchronous = bogus
\tmode = dummy-loop
[other]
\tdriver = usbhid-ups
\tport = auto
[badpoll]
\tdriver = dummy-ups
\tport = plain.dev
\tpollinterval = 0
[unknownvar]
\tdriver = dummy-ups
\tport = plain.dev
\tmaxstartdelay = 10
[unknownflag]
\tdriver = dummy-ups
\tport = plain.dev
\tnowait
[missing]
\tdriver = dummy-ups
\tport = missing.dev
[quirks]
\tdriver = dummy-ups
\tport = quirks.seq
[plainfile]
\tdriver = dummy-ups
\tport = plain.txt
[bytes]
\tdriver = dummy-ups
\tport = bytes.dev
`;

// non-ASCII, TAB and a newline inside quotes: dropped with NUT's stderr warnings
const BYTES =
  'ups.model: Caf\u00e9 "x\ty"\nups.mfr: a\\\n b\nups.serial: "multi\nline"\nbattery.charge: 5 # c\n';

const PLAIN = `# a device dump
device.mfr: APC
ups.mfr: "American Power Conversion"
ups.model: Smart-UPS 1500
ups.serial: AS1234
ups.status: OL CHRG
battery.charge: 100
driver.name: usbhid-ups
driver.version: 2.7.4
input.voltage: 230.0
ups.test.result: "Done and \\"passed\\""
ups.alarm: a # comment
`;

const QUIRKS = `ups.model: First Model
ups.id:
outlet.1.desc: ${"x".repeat(200)}
ups.status: OB   LB   LB
ups.status.extra: OL
battery.runtime: ""
ambient.1.name: one two   three
TIMERS 0
`;

const CASES: string[][] = [
  ["-h"],
  ["-V"],
  ["-L"],
  [],
  ["-z"],
  ["-a"],
  ["-a", "plain", "extra"],
  ["-a", "nosuch"],
  ["-s", "standalone"],
  ["-a", "plain", "-x", "foo=bar"],
  ["-a", "plain", "-x", "fooflag"],
  ["-a", "plain", "-x", "pollinterval=5"],
  ["-a", "plain", "-i", "0"],
  ["-a", "other"],
  ["-a", "badpoll"],
  ["-a", "unknownvar"],
  ["-a", "unknownflag"],
  ["-a", "missing", "-F"],
  ["-a", "plain", "-k"],
  ["-a", "plain", "-d", "1"],
  ["-a", "tuned", "-d", "1"],
  ["-a", "quirks", "-d", "1"],
  ["-a", "plainfile", "-d", "1"],
  ["-a", "bytes", "-d", "1"],
  ["-a", "plain", "-x", "mode=repeater", "-x", "port=ups@127.0.0.1:1", "-d", "1"],
  ["-s", "sx", "-x", "port=plain.dev", "-x", "mode=zzz", "-d", "1"],
];

function setup(sb: Sandbox): void {
  sb.writeConf("ups.conf", CONF);
  sb.writeConf("plain.dev", PLAIN);
  sb.writeConf("plain.txt", PLAIN);
  sb.writeConf("quirks.seq", QUIRKS);
  sb.writeConf("bytes.dev", BYTES);
}

compatTest("nut dummy-ups prints what real dummy-ups prints", async (t) => {
  await using sb = makeSandbox("nut-dummy-cli-");
  setup(sb);
  const bin = sb.path("bin");
  Deno.mkdirSync(bin);
  Deno.symlinkSync(REAL.dummyUps, `${bin}/dummy-ups`);
  const env = { ...sb.env, PATH: `${bin}:/usr/bin:/bin` };
  const results = await pool(CASES, 6, async (args) => {
    // -u root: the real driver would otherwise drop to user nut, who cannot read the sandbox
    const real = await run(["dummy-ups", "-u", "root", ...args], { env });
    const ours = await run([...nutArgv(), "dummy-ups", "-u", "root", ...args], { env: sb.env });
    return { args, real, ours };
  });
  for (const { args, real, ours } of results) {
    await t.step(`dummy-ups ${args.join(" ")}`, () => {
      // glibc's getopt names argv[0] as executed (the symlink's full path here)
      const shape = (r: RunResult) => ({
        code: r.code,
        stdout: r.stdout,
        stderr: r.stderr.replaceAll(`${bin}/dummy-ups: `, "dummy-ups: "),
      });
      assert.deepEqual(shape(ours), shape(real));
    });
  }
});
