import assert from "node:assert/strict";
import { NOTIFY_TYPES as CONFIG_TYPES } from "../../../core/config/notify_types.ts";
import {
  formatNotifyMessage,
  NOTIFY_TYPES,
  STOCK_MESSAGES,
} from "../../../core/monitor/notify_types.ts";
import { Notifier } from "../../../core/monitor/notify.ts";
import { lineLogger } from "../../../core/runtime/logger.ts";

Deno.test({
  name: "notify types: the monitor's union covers exactly the config table, with a text for each",
  permissions: "none",
  fn() {
    assert.deepEqual([...NOTIFY_TYPES], CONFIG_TYPES.map((t) => t.name));
    for (const t of NOTIFY_TYPES) assert.ok(STOCK_MESSAGES[t].length > 0, t);
    assert.equal(STOCK_MESSAGES.ONBATT, "UPS %s on battery");
  },
});

Deno.test({
  name: "formatNotifyMessage() fills %s in order, keeps %%, cuts at 511 characters",
  permissions: "none",
  fn() {
    assert.equal(
      formatNotifyMessage("UPS %s: one or more active alarms: [%s]", ["u@h", "Fan failure"]),
      "UPS u@h: one or more active alarms: [Fan failure]",
    );
    assert.equal(formatNotifyMessage("100%% %s", ["x"]), "100% x");
    assert.equal(formatNotifyMessage("%s", ["a".repeat(600)]).length, 511);
  },
});

Deno.test({
  name:
    "Notifier: SYSLOG logs, WALL pipes message+newline, EXEC quotes the message and sets UPSNAME/NOTIFYTYPE, IGNORE silences",
  permissions: "none",
  fn() {
    const log: string[] = [];
    const walls: string[] = [];
    const execs: Array<[string, Record<string, string>]> = [];
    const n = new Notifier(
      {
        messages: new Map([["LOWBATT", "Battery of %s is low!"]]),
        flags: new Map([
          ["ONBATT", { syslog: true, wall: true, exec: true, ignore: false }],
          ["COMMOK", { syslog: true, wall: true, exec: true, ignore: true }],
          ["LOWBATT", { syslog: false, wall: false, exec: true, ignore: false }],
        ]),
        notifyCmd: "/usr/sbin/upssched",
      },
      lineLogger((l) => log.push(l)),
      { wall: (t) => walls.push(t), exec: (c, e) => execs.push([c, { ...e }]) },
    );
    n.notify("ONBATT", "ups@localhost");
    n.notify("COMMOK", "ups@localhost");
    n.notify("LOWBATT", "ups@localhost");
    n.notify("SHUTDOWN", undefined);
    assert.deepEqual(log, [
      "UPS ups@localhost on battery\n",
      "Auto logout and shutdown proceeding\n",
    ]);
    assert.deepEqual(walls, [
      "UPS ups@localhost on battery\n",
      "Auto logout and shutdown proceeding\n",
    ]);
    assert.deepEqual(execs, [
      ['/usr/sbin/upssched "UPS ups@localhost on battery"', {
        UPSNAME: "ups@localhost",
        NOTIFYTYPE: "ONBATT",
      }],
      ['/usr/sbin/upssched "Battery of ups@localhost is low!"', {
        UPSNAME: "ups@localhost",
        NOTIFYTYPE: "LOWBATT",
      }],
    ]);
  },
});
