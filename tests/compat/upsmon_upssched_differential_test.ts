import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { nutArgv, run } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";

const ERROR_CASES: ReadonlyArray<{ name: string; conf?: string; env?: Record<string, string> }> = [
  { name: "no UPSNAME/NOTIFYTYPE", conf: "", env: {} },
  { name: "no upssched.conf", env: { UPSNAME: "u", NOTIFYTYPE: "ONBATT" } },
  { name: "AT before CMDSCRIPT", conf: "AT ONBATT * EXECUTE x\n" },
  { name: "AT before PIPEFN", conf: "CMDSCRIPT /bin/true\nAT ONBATT * EXECUTE x\n" },
  {
    name: "bad directives and commands",
    conf: "CMDSCRIPT /bin/true\nPIPEFN @P@\nLOCKFN @L@\nBOGUS 1\nAT ONBATT * FOO x\n" +
      'AT ONBATT * EXECUTE ""\nAT ONBATT * EXECUTE ok\nAT\n',
  },
];

compatTest("nut upssched prints and exits like Debian's upssched", async (t) => {
  for (const c of ERROR_CASES) {
    await t.step(c.name, async () => {
      await using sb = makeSandbox("nut-upssched-cmp-");
      if (c.conf !== undefined) {
        sb.writeConf(
          "upssched.conf",
          c.conf.replace("@P@", sb.path("pipe")).replace("@L@", sb.path("lock")),
        );
      }
      const env = {
        NUT_CONFPATH: sb.confPath,
        ...(c.env ?? { UPSNAME: "u@h", NOTIFYTYPE: "ONBATT" }),
      };
      const real = await run([REAL.upssched, "msg"], { env });
      const ours = await run([...nutArgv(), "upssched", "msg"], { env });
      assert.equal(ours.stdout, real.stdout, "stdout");
      assert.equal(ours.stderr, real.stderr, "stderr");
      assert.equal(ours.code, real.code, "exit status");
    });
  }
});

compatTest("nut upssched runs CMDSCRIPT for the same timers as Debian's upssched", async () => {
  const story: Array<[string, number]> = [
    ["ONBATT", 0], // start "short" (1 s) and "long" (30 s)
    ["ONLINE", 0], // cancel "long"; "short" keeps running
    ["ONLINE", 0], // no "long" left: CANCEL-TIMER long online → CMDSCRIPT online
    ["LOWBATT", 0], // EXECUTE lowbatt
    ["COMMBAD", 0], // START twice the same name: two timers
  ];
  const conf = (sb: { path(n: string): string }, log: string) =>
    `CMDSCRIPT ${sb.path("cmd.sh")}\nPIPEFN ${sb.path("pipe")}\nLOCKFN ${sb.path("lock")}\n` +
    "AT ONBATT * START-TIMER short 1\nAT ONBATT * START-TIMER long 30\n" +
    "AT ONLINE * CANCEL-TIMER long online\nAT LOWBATT * EXECUTE lowbatt\n" +
    "AT COMMBAD * START-TIMER twice 1\nAT COMMBAD * START-TIMER twice 1\n" +
    `# log: ${log}\n`;
  const play = async (argv: string[]) => {
    await using sb = makeSandbox("nut-upssched-run-");
    const log = sb.path("cmd.log");
    Deno.writeTextFileSync(log, "");
    Deno.writeTextFileSync(sb.path("cmd.sh"), `#!/bin/sh\necho "$1" >> ${log}\n`);
    Deno.chmodSync(sb.path("cmd.sh"), 0o755);
    sb.writeConf("upssched.conf", conf(sb, log));
    for (const [type] of story) {
      const r = await run([...argv, "msg"], {
        env: {
          NUT_CONFPATH: sb.confPath,
          UPSNAME: "u@h",
          NOTIFYTYPE: type,
          NUT_UPSSCHED_IDLE: "2",
        },
      });
      assert.equal(r.code, 0, r.stderr);
    }
    const lines = () => Deno.readTextFileSync(log).split("\n").filter((l) => l);
    await waitFor(() => lines().length >= 5, { timeout: 10_000, what: "timers fired" });
    return lines().sort();
  };
  const [real, ours] = await Promise.all([play([REAL.upssched]), play([...nutArgv(), "upssched"])]);
  assert.deepEqual(real, ["lowbatt", "online", "short", "twice", "twice"]);
  assert.deepEqual(ours, real);
});
