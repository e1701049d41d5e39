import assert from "node:assert/strict";
import { TimerQueue } from "../../../core/sched/timers.ts";
import { requestLine } from "../../../core/sched/client.ts";
import { tokenize } from "../../../core/protocol/tokenize.ts";

const words = (line: string) => tokenize(`${line}\n`)[0]!.words;

Deno.test({
  name: "TimerQueue fires a timer once, at or after its due second",
  permissions: "none",
  fn() {
    const q = new TimerQueue();
    assert.equal(q.handle(words('START "onbatt" "2"'), 100).reply, "OK");
    assert.deepEqual(q.expire(101), []);
    assert.deepEqual(q.expire(102).map((r) => r.arg), ["onbatt"]);
    assert.deepEqual(q.expire(103), []);
  },
});

Deno.test({
  name:
    "TimerQueue CANCEL removes only the first same-named timer; with none left it runs the command",
  permissions: "none",
  fn() {
    const q = new TimerQueue();
    q.handle(words("START t 5"), 0);
    q.handle(words("START t 5"), 0);
    assert.deepEqual(q.handle(words("CANCEL t online"), 1).runs, []);
    assert.equal(q.timers.length, 1);
    q.handle(words("CANCEL t online"), 1);
    const r = q.handle(words('CANCEL t online "ONLINE" "u@h" "msg"'), 1);
    assert.deepEqual(r.runs, [{
      arg: "online",
      env: { UPSNAME: "u@h", NOTIFYTYPE: "ONLINE", NOTIFYMSG: "msg" },
    }]);
    assert.deepEqual(q.handle(words("CANCEL t"), 1).runs, []);
  },
});

Deno.test({
  name:
    "TimerQueue START-SHARED joins the first same-named timer and collects names for the environment",
  permissions: "none",
  fn() {
    const q = new TimerQueue();
    q.handle(words('START-SHARED g 3 ONBATT a@h "m1"'), 10);
    q.handle(words('START-SHARED g 9 ONBATT b@h "m2"'), 11);
    assert.equal(q.timers.length, 1);
    const runs = q.expire(13);
    assert.deepEqual(runs, [{
      arg: "g",
      env: { UPSNAME: "a@h,b@h", NOTIFYTYPE: "ONBATT", NOTIFYMSG: "m1.\tm2" },
    }]);
  },
});

Deno.test({
  name: "TimerQueue CANCEL-MATCHED cancels only timers started for the same UPS",
  permissions: "none",
  fn() {
    const q = new TimerQueue();
    q.handle(words("START t 5 ONBATT a@h x"), 0);
    q.handle(words("START t 5 ONBATT b@h x"), 0);
    q.handle(words('CANCEL-MATCHED t "" ONLINE b@h y'), 1);
    assert.deepEqual(q.timers.map((t) => t.upsNames[0]), ["a@h"]);
  },
});

Deno.test({
  name: "TimerQueue answers ERR UNKNOWN to anything else and ignores negative offsets",
  permissions: "none",
  fn() {
    const q = new TimerQueue();
    assert.equal(q.handle(words("HELLO"), 0).reply, "ERR UNKNOWN");
    assert.equal(q.handle(words("START t"), 0).reply, "ERR UNKNOWN");
    const r = q.handle(words("START t -3"), 0);
    assert.equal(r.reply, "OK");
    assert.deepEqual(r.logs, ["bogus offset for timer, ignoring"]);
    assert.equal(q.timers.length, 0);
  },
});

Deno.test({
  name: "requestLine() quotes and escapes like NUT's pconf_encode",
  permissions: "none",
  fn() {
    const paths = { cmdScript: "s", pipeFn: "p", lockFn: "l" };
    const e = { upsName: "u@h", notifyType: "ONLINE", notifyMsg: 'say "hi"' };
    assert.equal(
      requestLine({ kind: "send", verb: "CANCEL", name: "t", arg: undefined, paths }, e),
      'CANCEL "t" "" "ONLINE" "u@h" "say \\"hi\\""',
    );
    assert.equal(
      requestLine({ kind: "send", verb: "START", name: "t", arg: undefined, paths }, e),
      'START "t"',
    );
  },
});
