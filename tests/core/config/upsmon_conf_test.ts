import assert from "node:assert/strict";
import {
  parseUpsmonConf,
  totalPowerValue,
  type UpsmonConf,
} from "../../../core/config/upsmon_conf.ts";
import { NOTIFY_TYPES } from "../../../core/config/notify_types.ts";

const parse = (t: string) => parseUpsmonConf(t, { file: "upsmon.conf" });
const MON = "MONITOR ups@localhost 1 mon pw primary\nSHUTDOWNCMD /sbin/halt\n";

Deno.test("parseUpsmonConf() applies NUT's defaults", { permissions: "none" }, () => {
  const c = parse(MON);
  assert.equal(c.minSupplies, 1);
  assert.equal(c.pollFreq, 5);
  assert.equal(c.pollFreqAlert, 5);
  assert.equal(c.hostSync, 15);
  assert.equal(c.deadTime, 15);
  assert.equal(c.rbWarnTime, 43200);
  assert.equal(c.noCommWarnTime, 300);
  assert.equal(c.finalDelay, 5);
  assert.equal(c.offDuration, 30);
  assert.equal(c.shutdownExit, "yes");
  assert.equal(c.pollFailLogThrottleMax, -1);
  assert.equal(c.oblbDuration, 0);
  assert.equal(c.overDuration, -1);
  assert.equal(c.alarmCritical, true);
  assert.equal(c.certVerify, 0);
  assert.equal(c.forceSsl, 0);
  assert.deepEqual([...c.notifyFlags.get("ONBATT")!], ["SYSLOG", "WALL"]);
  assert.deepEqual([...c.notifyFlags.get("CAL")!], ["SYSLOG"]);
  assert.equal(c.notifyMessages.get("LOWBATT"), "UPS %s battery is low");
  assert.equal(c.notifyMessages.size, NOTIFY_TYPES.length);
  assert.deepEqual(c.problems, []);
});

Deno.test("parseUpsmonConf() round-trips every directive", { permissions: "none" }, async (t) => {
  const rows: [string, (c: UpsmonConf) => unknown, unknown][] = [
    ["MINSUPPLIES 0", (c) => c.minSupplies, 0],
    ['NOTIFYCMD "/usr/sbin/upssched"', (c) => c.notifyCmd, "/usr/sbin/upssched"],
    ["POWERDOWNFLAG /etc/killpower", (c) => c.powerDownFlag, "/etc/killpower"],
    ['NOTIFYMSG onbatt "On battery: %s"', (c) => c.notifyMessages.get("ONBATT"), "On battery: %s"],
    ["NOTIFYFLAG LOWBATT SYSLOG+WALL+EXEC", (c) => [...c.notifyFlags.get("LOWBATT")!], [
      "SYSLOG",
      "WALL",
      "EXEC",
    ]],
    ["NOTIFYFLAG COMMBAD IGNORE", (c) => [...c.notifyFlags.get("COMMBAD")!], ["IGNORE"]],
    ["NOTIFYFLAG NOTOFF EXEC", (c) => [...c.notifyFlags.get("NOTOFF")!], ["EXEC"]],
    ["POLLFREQ 10", (c) => c.pollFreq, 10],
    ["POLLFREQALERT 2", (c) => c.pollFreqAlert, 2],
    ["HOSTSYNC 30", (c) => c.hostSync, 30],
    ["DEADTIME 25", (c) => c.deadTime, 25],
    ["RBWARNTIME 600", (c) => c.rbWarnTime, 600],
    ["NOCOMMWARNTIME 60", (c) => c.noCommWarnTime, 60],
    ["FINALDELAY 0", (c) => c.finalDelay, 0],
    ["RUN_AS_USER nut", (c) => c.runAsUser, "nut"],
    ["CERTPATH /etc/nut/cert_db", (c) => c.certPath, "/etc/nut/cert_db"],
    ['CERTIDENT "name" "pw"', (c) => c.certIdent, { name: "name", password: "pw" }],
    [
      'CERTHOST "10.0.0.1" "cn" 1 0',
      (c) => c.certHosts.map((h) => [h.host, h.certName, h.verify, h.forceSsl]),
      [["10.0.0.1", "cn", 1, 0]],
    ],
    ["CERTVERIFY 1", (c) => c.certVerify, 1],
    ["FORCESSL 1", (c) => c.forceSsl, 1],
    ["DEBUG_MIN 2", (c) => c.debugMin, 2],
    ["debug_min 1", (c) => c.debugMin, 1],
  ];
  for (const [line, get, want] of rows) {
    await t.step(line, () => {
      const c = parse(MON + line + "\n");
      assert.deepEqual(get(c), want);
      assert.deepEqual(c.problems, []);
    });
  }
  const newer: [string, (c: UpsmonConf) => unknown, unknown][] = [
    ["OFFDURATION 10", (c) => c.offDuration, 10],
    ["SHUTDOWNEXIT no", (c) => c.shutdownExit, "no"],
    ["POLLFAIL_LOG_THROTTLE_MAX 5", (c) => c.pollFailLogThrottleMax, 5],
    ["OBLBDURATION 3", (c) => c.oblbDuration, 3],
    ["OVERDURATION 0", (c) => c.overDuration, 0],
    ["ALARMCRITICAL 0", (c) => c.alarmCritical, false],
  ];
  for (const [line, get, want] of newer) {
    await t.step(`${line} (newer than 2.8.0: accepted with a warning)`, () => {
      const c = parse(MON + line + "\n");
      assert.deepEqual(get(c), want);
      assert.deepEqual(c.problems.map((p) => p.severity), ["warning"]);
    });
  }
});

Deno.test("parseUpsmonConf() reads MONITOR like upsmon 2.8.0", { permissions: "none" }, () => {
  const c = parse(
    "MONITOR a@h:3500 2 u p master\nMONITOR b 0 u p slave\nMONITOR c@[::1] 1 u p secondary\n" +
      "MONITOR a@h:3500 1 x y primary\nMONITOR d@h -1 u p primary\nSHUTDOWNCMD x\n",
  );
  assert.deepEqual(
    c.monitors.map((m) => [m.system, m.upsname, m.host, m.port, m.powerValue, m.role, m.line]),
    [
      ["a@h:3500", "a", "h", 3500, 2, "primary", 1],
      ["b", "b", "localhost", 3493, 0, "secondary", 2],
      ["c@[::1]", "c", "::1", 3493, 1, "secondary", 3],
    ],
  );
  assert.equal(totalPowerValue(c), 3);
  assert.deepEqual(c.problems.map((p) => [p.line, p.message]), [
    [4, "Warning: ignoring duplicate UPS [a@h:3500]"],
    [5, "UPS [d@h]: ignoring invalid power value [-1]"],
  ]);
});

Deno.test("parseUpsmonConf() refuses the old 5-word MONITOR and too little power", {
  permissions: "none",
}, () => {
  const c = parse("MONITOR ups@localhost 1 pw master\nSHUTDOWNCMD x\n");
  assert.equal(c.problems[0]?.message, "Unable to use old-style MONITOR line without a username");
  assert.equal(c.problems[0]?.fatal, true);
  const d = parse("MINSUPPLIES 2\nMONITOR ups 1 u p primary\nSHUTDOWNCMD x\n");
  assert.deepEqual(d.problems.map((p) => [p.line, p.message, p.fatal]), [
    [1, "Fatal error: insufficient power configured!", true],
  ]);
});

Deno.test("parseUpsmonConf() reports NUT's complaints with hints", { permissions: "none" }, () => {
  const c = parse(
    MON +
      "MONTIOR x\nNOTIFYFLAG ONBAT SYSLOG\nNOTIFYFLAG ONLINE SYSLOG+wall\nNOTIFYMSG FOO x\nPOLLFREQ -3\n",
  );
  assert.deepEqual(c.problems.map((p) => [p.line, p.message, p.hint]), [
    [3, "upsmon.conf line 3: invalid directive MONTIOR x", 'did you mean "MONITOR"?'],
    [4, "Warning: invalid notify type [ONBAT]", 'did you mean "ONBATT"?'],
    [5, "Invalid notify flag: [wall]", 'did you mean "WALL"?'],
    [6, "'FOO' is not a valid notify event name", undefined],
    [7, "Ignoring invalid POLLFREQ value: -3", undefined],
  ]);
  assert.equal(c.pollFreq, 5);
  assert.deepEqual([...c.notifyFlags.get("ONLINE")!], ["SYSLOG"]);
});

Deno.test("parseUpsmonConf() warns when there is no SHUTDOWNCMD", { permissions: "none" }, () => {
  const c = parse("MONITOR ups 1 u p primary\n");
  assert.deepEqual(c.problems.map((p) => p.message), ["Warning: no shutdown command defined!"]);
});
