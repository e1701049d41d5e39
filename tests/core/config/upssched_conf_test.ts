import assert from "node:assert/strict";
import { parseUpsschedConf } from "../../../core/config/upssched_conf.ts";

const parse = (t: string) => parseUpsschedConf(t, { file: "upssched.conf" });
const HEAD = "CMDSCRIPT /usr/bin/cmd\nPIPEFN /run/nut/p\nLOCKFN /run/nut/l\n";

Deno.test(
  "parseUpsschedConf() round-trips every directive and AT command",
  { permissions: "none" },
  () => {
    const c = parse(
      HEAD +
        "AT ONBATT * START-TIMER onbatt 30\nAT ONLINE ups@host CANCEL-TIMER onbatt online\n" +
        'AT LOWBATT * EXECUTE "low battery"\nAT COMMBAD * START-TIMER-SHARED comm 10\n' +
        "AT COMMOK * CANCEL-TIMER-MATCHED comm\n",
    );
    assert.equal(c.cmdScript, "/usr/bin/cmd");
    assert.equal(c.cmdScriptLine, 1);
    assert.equal(c.pipeFn, "/run/nut/p");
    assert.equal(c.lockFn, "/run/nut/l");
    assert.deepEqual(c.ats.map((a) => [a.notifyType, a.ups, a.command, a.arg1, a.arg2, a.line]), [
      ["ONBATT", "*", "START-TIMER", "onbatt", "30", 4],
      ["ONLINE", "ups@host", "CANCEL-TIMER", "onbatt", "online", 5],
      ["LOWBATT", "*", "EXECUTE", "low battery", undefined, 6],
      ["COMMBAD", "*", "START-TIMER-SHARED", "comm", "10", 7],
      ["COMMOK", "*", "CANCEL-TIMER-MATCHED", "comm", undefined, 8],
    ]);
    assert.deepEqual(c.problems.map((p) => [p.line, p.severity]), [[7, "warning"], [8, "warning"]]);
  },
);

Deno.test("parseUpsschedConf() rejects an AT before CMDSCRIPT, PIPEFN or LOCKFN", {
  permissions: "none",
}, async (t) => {
  for (
    const [text, missing] of [
      ["AT ONBATT * EXECUTE x\n", "CMDSCRIPT"],
      ["CMDSCRIPT c\nAT ONBATT * EXECUTE x\n", "PIPEFN"],
      ["CMDSCRIPT c\nPIPEFN p\nAT ONBATT * EXECUTE x\nLOCKFN l\n", "LOCKFN"],
    ] as const
  ) {
    await t.step(missing, () => {
      const c = parse(text);
      const f = c.problems.find((p) => p.fatal);
      assert.equal(f?.message, `${missing} must be set before any ATs in the config file!`);
      assert.deepEqual(c.ats, []);
    });
  }
});

Deno.test("parseUpsschedConf() reports bad AT lines", { permissions: "none" }, () => {
  const c = parse(
    HEAD +
      "AT ONBAT * START-TIMER t 5\nAT ONBATT * START-TIMR t 5\nAT ONBATT * START-TIMER t\nAT x\n",
  );
  assert.deepEqual(c.problems.map((p) => [p.line, p.message, p.hint]), [
    [4, 'AT for unknown notify type "ONBAT" never matches', 'did you mean "ONBATT"?'],
    [5, "Invalid command: START-TIMR", 'did you mean "START-TIMER"?'],
    [6, "START-TIMER t needs a number of seconds after the timer name", undefined],
    [7, "upssched.conf: invalid directive AT x", undefined],
  ]);
});
