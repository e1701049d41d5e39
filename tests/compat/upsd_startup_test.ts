/**
 * Start-up of `nut upsd` and Debian's upsd on the same files: stdout,
 * stderr (NUT's log lines, in order) and exit codes equal.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { freePort } from "../_helpers/ports.ts";
import { run } from "../_helpers/process.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { ourUpsdArgv, SHARED } from "./upsd_harness.ts";

const DEV = `${SHARED}/data/ddl/APC/APC__Back-UPS_CS_500__usbhid-ups__2.8.0__01.dev`;

interface Case {
  name: string;
  upsdConf?: string;
  upsConf?: string;
  users?: string;
  mode?: number;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: "plain start",
    upsdConf: "",
    upsConf: `[u]\n driver = dummy-ups\n port = ${DEV}\n`,
    users: "[a]\n password = x\n",
  },
  {
    name: "invalid directives and world-readable files",
    upsdConf: "FOO bar\nMAXAGE abc\nACL x\nACCEPT a b\nMAXCONN 10\n",
    upsConf: `[u]\n driver = dummy-ups\n port = ${DEV}\n[v]\n driver = dummy-ups\n`,
    users: "[a]\n password = x\n foo = bar\n upsmon weird\n allowfrom = x\n",
    mode: 0o644,
  },
  {
    name: "missing upsd.users is fatal",
    upsdConf: "",
    upsConf: `[u]\n driver = dummy-ups\n port = ${DEV}\n`,
  },
  { name: "missing ups.conf is fatal", upsdConf: "", users: "" },
  { name: "no UPS is fatal", upsdConf: "", upsConf: "# none\n", users: "" },
  { name: "ALLOW_NO_DEVICE", upsdConf: "ALLOW_NO_DEVICE true\n", upsConf: "", users: "" },
  { name: "missing upsd.conf is fatal" },
];

async function start(
  argv: string[],
  c: Case,
  port: number,
): Promise<{ code: number; out: string; err: string }> {
  await using sb = makeSandbox("nut-upsd-start-");
  const mode = c.mode ?? 0o640;
  if (c.upsdConf !== undefined) {
    sb.writeConf("upsd.conf", `LISTEN 127.0.0.1 ${port}\n${c.upsdConf}`, mode);
  }
  if (c.upsConf !== undefined) sb.writeConf("ups.conf", c.upsConf, mode);
  if (c.users !== undefined) sb.writeConf("upsd.users", c.users, mode);
  const r = await run(["timeout", "-s", "TERM", "2", ...argv, "-F"], {
    env: { ...sb.env, ...c.env },
    timeout: 20_000,
  });
  const clean = (s: string) => s.replaceAll(sb.dir, "<DIR>").replaceAll(String(port), "<PORT>");
  return { code: r.code, out: clean(r.stdout), err: clean(r.stderr) };
}

compatTest("nut upsd starts, warns and fails with upsd 2.8.0's exact lines", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, async () => {
      const real = await start([REAL.upsd, "-u", "root"], c, freePort());
      const ours = await start(ourUpsdArgv(), c, freePort());
      assertEquals(ours, real);
    });
  }
});
