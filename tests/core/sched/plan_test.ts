import assert from "node:assert/strict";
import { tokenize } from "../../../core/protocol/tokenize.ts";
import { planSched } from "../../../core/sched/plan.ts";

const HEAD = "CMDSCRIPT /s\nPIPEFN /p\nLOCKFN /l\n";
const ev = (upsName: string, notifyType: string) => ({ upsName, notifyType, notifyMsg: "m" });

Deno.test({
  name: "planSched() acts on matching AT lines in file order",
  permissions: "none",
  fn() {
    const conf = HEAD +
      "AT ONBATT * START-TIMER onbatt 30\n" +
      "AT onbatt ups@host EXECUTE first\n" +
      "AT ONBATT other@host EXECUTE never\n" +
      "AT ONLINE * CANCEL-TIMER onbatt online\n" +
      "AT ONBATT ups@host START-TIMER-SHARED shared 5\n" +
      "AT ONBATT * CANCEL-TIMER-MATCHED x\n";
    const p = planSched(tokenize(conf), ev("ups@host", "ONBATT"), "f");
    assert.equal(p.fatal, undefined);
    assert.deepEqual(
      p.actions.map((a) =>
        a.kind === "send" ? `${a.verb} ${a.name} ${a.arg}` : `EXEC ${a.command}`
      ),
      ["START onbatt 30", "EXEC first", "START-SHARED shared 5", "CANCEL-MATCHED x undefined"],
    );
  },
});

Deno.test({
  name: "planSched() matches the UPS name exactly (case-sensitive) and the type case-insensitively",
  permissions: "none",
  fn() {
    const conf = HEAD + "AT ONBATT UPS@host EXECUTE a\nAT ONBATT ups@host EXECUTE b\n";
    const p = planSched(tokenize(conf), ev("ups@host", "OnBatt"), "f");
    assert.deepEqual(p.actions.map((a) => a.kind === "execute" ? a.command : ""), ["b"]);
  },
});

Deno.test({
  name: "planSched() fails at the first AT when CMDSCRIPT, PIPEFN or LOCKFN is missing",
  permissions: "none",
  async fn(t) {
    for (
      const [conf, what] of [
        ["AT X * EXECUTE a\n", "CMDSCRIPT"],
        ["CMDSCRIPT /s\nAT X * EXECUTE a\n", "PIPEFN"],
        ["CMDSCRIPT /s\nPIPEFN /p\nAT NOMATCH * EXECUTE a\nLOCKFN /l\n", "LOCKFN"],
      ] as const
    ) {
      await t.step(what, () => {
        const p = planSched(tokenize(conf), ev("u", "ONBATT"), "f");
        assert.equal(p.fatal, `${what} must be set before any ATs in the config file!`);
      });
    }
  },
});

Deno.test({
  name: "planSched() logs NUT's texts for bad directives and commands",
  permissions: "none",
  fn() {
    const conf = HEAD +
      'BOGUS x\nAT ONBATT * FOO x\nAT ONBATT * EXECUTE ""\nAT ONBATT * EXECUTE hi\n';
    const p = planSched(tokenize(conf), ev("u", "ONBATT"), "f");
    assert.deepEqual(p.logs, [
      "upssched.conf: invalid directive BOGUS x",
      "Invalid command: FOO",
      "Empty EXECUTE command argument",
      "Executing command: hi",
    ]);
  },
});
