import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { run, runNut } from "../_helpers/process.ts";

/** Cases that end before monitoring starts: output and exit status must be identical. */
const CASES: ReadonlyArray<{ name: string; args: string[]; conf?: string; flag?: string }> = [
  { name: "help", args: ["-h"] },
  { name: "version banner", args: ["-V"] },
  { name: "unknown option", args: ["-z"] },
  { name: "bad -c word", args: ["-c", "bogus"] },
  { name: "-c stop without a pid file", args: ["-c", "stop"] },
  { name: "-c prefix without a pid file", args: ["-c", "re"] },
  { name: "-c with -P of a dead pid", args: ["-c", "stop", "-P", "999999"] },
  {
    name: "-K without the flag file",
    args: ["-K"],
    conf: "MONITOR u@localhost 1 m p primary\nPOWERDOWNFLAG @FLAG@\nSHUTDOWNCMD x\n",
  },
  {
    name: "-K with NUT's magic",
    args: ["-K"],
    conf: "MONITOR u@localhost 1 m p primary\nPOWERDOWNFLAG @FLAG@\nSHUTDOWNCMD x\n",
    flag: "upsmon-shutdown-file",
  },
  {
    name: "-K with a foreign file",
    args: ["-K"],
    conf: "MONITOR u@localhost 1 m p primary\nPOWERDOWNFLAG @FLAG@\n",
    flag: "something else\n",
  },
  {
    name: "-K without POWERDOWNFLAG",
    args: ["-K"],
    conf: "MONITOR u@localhost 1 m p secondary\n",
  },
  {
    name: "insufficient power, no shutdown command, bad lines",
    args: ["-F"],
    conf: "MONITOR a@localhost 1 m p primary\nMONITOR b@h:3494 0 m p slave\nMINSUPPLIES 2\n" +
      "BOGUS 1 2\nNOTIFYFLAG ONBATT SYSLOG+FOO\nNOTIFYMSG NOPE x\nNOTIFYFLAG NOPE SYSLOG\n" +
      "MONITOR a@localhost 1 m p primary\nPOWERDOWNFLAG @FLAG@\n",
  },
  {
    name: "old-style MONITOR line",
    args: ["-F"],
    conf: "MONITOR a@localhost 1 pw primary\n",
  },
];

compatTest("nut upsmon prints what Debian's upsmon prints before monitoring starts", async (t) => {
  try {
    Deno.statSync("/run/nut/upsmon.pid");
    throw new Error("a real upsmon pid file exists in /run/nut; stop that upsmon first");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for (const c of CASES) {
    await t.step(c.name, async () => {
      await using sb = makeSandbox("nut-upsmon-cli-");
      const flag = sb.path("killpower");
      if (c.conf !== undefined) sb.writeConf("upsmon.conf", c.conf.replaceAll("@FLAG@", flag));
      if (c.flag !== undefined) Deno.writeTextFileSync(flag, c.flag);
      // Only CONFPATH: both then use /run/nut for the pid file.
      const env = { NUT_CONFPATH: sb.confPath };
      const real = await run([REAL.upsmon, ...c.args], { env });
      if (c.flag !== undefined) Deno.writeTextFileSync(flag, c.flag);
      const ours = await runNut(["upsmon", ...c.args], { env });
      const norm = (s: string) => s.replaceAll(REAL.upsmon, "upsmon");
      assert.equal(ours.stdout, norm(real.stdout), "stdout");
      assert.equal(ours.stderr, norm(real.stderr), "stderr");
      assert.equal(ours.code, real.code, "exit status");
    });
  }
});
