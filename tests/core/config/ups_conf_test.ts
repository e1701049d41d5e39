import assert from "node:assert/strict";
import { findDevice, parseUpsConf, type UpsConf } from "../../../core/config/ups_conf.ts";
import { driverTable } from "../../../core/config/driver_table.ts";

const parse = (t: string) => parseUpsConf(t, { file: "ups.conf" });
const msgs = (c: UpsConf) => c.problems.map((p) => `${p.line}:${p.severity}:${p.message}`);

Deno.test("parseUpsConf() applies NUT's defaults", { permissions: "none" }, () => {
  const c = parse("[a]\ndriver = d\nport = p\n");
  assert.equal(c.global.maxstartdelay, 45);
  assert.equal(c.global.maxretry, 1);
  assert.equal(c.global.retrydelay, 5);
  assert.equal(c.global.pollinterval, 2);
  assert.equal(c.global.synchronous, "auto");
  assert.equal(c.global.nowait, false);
  assert.equal(c.global.driverpath, undefined);
  const d = c.devices[0]!;
  assert.equal(d.sdorder, 0);
  assert.equal(d.maxstartdelay, undefined);
  assert.equal(d.nolock, false);
  assert.deepEqual(c.problems, []);
});

Deno.test(
  "parseUpsConf() round-trips every global directive",
  { permissions: "none" },
  async (t) => {
    const rows: [string, (c: UpsConf) => unknown, unknown][] = [
      ["chroot = /srv", (c) => c.global.chroot, "/srv"],
      ["driverpath = /opt/d", (c) => c.global.driverpath, "/opt/d"],
      ["statepath = /s", (c) => c.global.statepath, "/s"],
      ["STATEPATH = /s2", (c) => c.global.statepath, "/s2"],
      ["maxstartdelay = 60", (c) => c.global.maxstartdelay, 60],
      ["maxretry = 3", (c) => c.global.maxretry, 3],
      ["retrydelay = 9", (c) => c.global.retrydelay, 9],
      ["nowait", (c) => c.global.nowait, true],
      ["pollinterval = 7", (c) => c.global.pollinterval, 7],
      ["synchronous = yes", (c) => c.global.synchronous, "yes"],
      ["synchronous = maybe", (c) => c.global.synchronous, "no"],
      ["user = ups", (c) => c.global.user, "ups"],
      ["group = dialout", (c) => c.global.group, "dialout"],
      ["debug_min = 2", (c) => c.global.debugMin, 2],
      ["reconnect_max_tries = 4", (c) => c.global.values.get("reconnect_max_tries"), "4"],
      ["LIBUSB_DEBUG = 1", (c) => c.global.values.get("LIBUSB_DEBUG"), "1"],
    ];
    for (const [line, get, want] of rows) {
      await t.step(line, () => {
        const c = parse(`${line}\n[a]\ndriver = d\nport = p\n`);
        assert.deepEqual(get(c), want);
        assert.deepEqual(c.problems.filter((p) => p.severity === "error"), []);
      });
    }
  },
);

Deno.test(
  "parseUpsConf() round-trips every per-device directive",
  { permissions: "none" },
  async (t) => {
    const rows: [string, (c: UpsConf) => unknown, unknown][] = [
      ['desc = "Main UPS"', (c) => c.devices[0]!.desc, "Main UPS"],
      ["sdorder = -1", (c) => c.devices[0]!.sdorder, -1],
      ["maxstartdelay = 10", (c) => c.devices[0]!.maxstartdelay, 10],
      ["maxretry = 2", (c) => c.devices[0]!.maxretry, 2],
      ["retrydelay = 1", (c) => c.devices[0]!.retrydelay, 1],
      ["nolock", (c) => c.devices[0]!.nolock, true],
      ["ignorelb", (c) => c.devices[0]!.ignorelb, true],
      ["allow_killpower", (c) => c.devices[0]!.allowKillpower, true],
      ["synchronous = auto", (c) => c.devices[0]!.synchronous, "auto"],
      ["pollinterval = 3", (c) => c.devices[0]!.pollinterval, 3],
      ["user = u", (c) => c.devices[0]!.user, "u"],
      ["group = g", (c) => c.devices[0]!.group, "g"],
      ["debug_min = 4", (c) => c.devices[0]!.debugMin, 4],
      [
        "sdcommands = shutdown.return,load.off",
        (c) => c.devices[0]!.values.get("sdcommands"),
        "shutdown.return,load.off",
      ],
      ["usb_set_altinterface", (c) => c.devices[0]!.flags.has("usb_set_altinterface"), true],
      [
        "default.battery.charge.low = 20",
        (c) => c.devices[0]!.values.get("default.battery.charge.low"),
        "20",
      ],
      ["override.ups.mfr = ACME", (c) => c.devices[0]!.values.get("override.ups.mfr"), "ACME"],
      ["vendorid = 051d", (c) => c.devices[0]!.values.get("vendorid"), "051d"],
    ];
    for (const [line, get, want] of rows) {
      await t.step(line, () => {
        const c = parse(`[a]\ndriver = d\nport = p\n${line}\n`);
        assert.deepEqual(get(c), want);
        assert.deepEqual(c.problems, []);
      });
    }
  },
);

Deno.test(
  "parseUpsConf() keeps every entry with its line, in order",
  { permissions: "none" },
  () => {
    const c = parse(
      'pollinterval = 1\n[b]\n  driver = x\n  nolock\n  port = "a b"\n[a]\ndriver=y\nport=z\n',
    );
    assert.deepEqual(c.global.entries, [{
      kind: "value",
      key: "pollinterval",
      value: "1",
      line: 1,
    }]);
    assert.deepEqual(c.devices.map((d) => [d.name, d.line]), [["b", 2], ["a", 6]]);
    assert.deepEqual(c.devices[0]!.entries, [
      { kind: "value", key: "driver", value: "x", line: 3 },
      { kind: "flag", key: "nolock", line: 4 },
      { kind: "value", key: "port", value: "a b", line: 5 },
    ]);
    assert.equal(findDevice(c, "a")?.driver, "y");
    assert.equal(findDevice(c, "A"), undefined);
  },
);

Deno.test(
  "parseUpsConf() rejects a section without driver or port",
  { permissions: "none" },
  () => {
    const c = parse("[myups]\n    criver = usbhid-ups\n    port = auto\n");
    assert.deepEqual(msgs(c), [
      "1:error:UPS [myups] has no driver defined",
      '2:warning:unknown setting "criver" in [myups]',
    ]);
    assert.equal(c.problems[1]!.hint, 'did you mean "driver"?');
    assert.deepEqual(msgs(parse("[x]\ndriver = d\n")), ["1:error:UPS [x] has no port defined"]);
  },
);

Deno.test("parseUpsConf() reports lines NUT silently ignores", { permissions: "none" }, () => {
  const c = parse("[a]\ndriver = d\nport = p\nmaxretry 3\ndesc = a b\n");
  assert.deepEqual(msgs(c), [
    '4:error:line ignored (expected "key = value" or a flag): maxretry 3',
    '5:warning:ignored words after "desc = a": b',
  ]);
  assert.equal(c.problems[0]!.hint, 'write "maxretry = 3"');
  assert.equal(c.devices[0]!.desc, "a");
});

Deno.test("parseUpsConf() flags duplicate names case-insensitively like upsd", {
  permissions: "none",
}, () => {
  const c = parse("[a]\ndriver=d\nport=p\n[A]\ndriver=d\nport=p\n");
  assert.deepEqual(msgs(c), ["4:error:UPS name [A] is already in use!"]);
  assert.equal(c.devices.length, 2);
});

Deno.test(
  "parseUpsConf() reports bad numbers and pollinterval <= 0",
  { permissions: "none" },
  () => {
    const c = parse("pollinterval = 0\n[a]\ndriver=d\nport=p\nsdorder = x1\n");
    assert.deepEqual(msgs(c), [
      "1:error:pollinterval must be greater than 0",
      '5:warning:"sdorder" is not a number: "x1" (NUT reads it as 0)',
    ]);
    assert.equal(c.problems[0]!.fatal, true);
  },
);

Deno.test("parseUpsConf() reports a # inside quotes at its line and keeps going", {
  permissions: "none",
}, () => {
  const c = parse('[a]\ndriver = d\ndesc = "50# load"\nport = p\n');
  assert.equal(c.problems[0]?.line, 3);
  assert.equal(c.problems[0]?.message, "Unbalanced word due to unescaped # in quotes");
  assert.equal(c.devices[0]!.port, "p");
  assert.equal(c.devices[0]!.desc, undefined);
});

Deno.test("parseUpsConf() stores keys named like Object.prototype members safely", {
  permissions: "none",
}, () => {
  const c = parse(
    "__proto__ = x\nconstructor = y\n[__proto__]\ndriver = d\nport = p\n__proto__ = z\ntoString\n",
  );
  assert.equal(c.global.values.get("__proto__"), "x");
  assert.equal(c.global.values.get("constructor"), "y");
  const d = c.devices[0]!;
  assert.equal(d.name, "__proto__");
  assert.equal(d.values.get("__proto__"), "z");
  assert.equal(d.flags.has("toString"), true);
  assert.equal(({} as Record<string, unknown>)["z"], undefined);
});

Deno.test("driverTable() merges duplicate sections and loses a first-line sdorder (upsdrvctl)", {
  permissions: "none",
}, () => {
  const t = driverTable(
    parse(
      "maxretry = 3\n[a]\nsdorder = 5\ndriver = x\n[b]\ndriver = y\nsdorder = 2\n[a]\ndriver = z\n",
    ),
  );
  assert.deepEqual(t.entries.map((e) => [e.name, e.driver, e.sdorder]), [["a", "z", 0], [
    "b",
    "y",
    2,
  ]]);
  assert.equal(t.maxSdorder, 2);
  assert.equal(t.maxretry, 3);
});
