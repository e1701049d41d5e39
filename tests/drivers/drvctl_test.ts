/** Pure parts of `nut drvctl` (core/drvctl): arguments, plans, backoff. */
import assert from "node:assert/strict";
import { parseDrvctlArgs } from "../../core/drvctl/args.ts";
import { pidFiles, planDrivers, selectEntries } from "../../core/drvctl/plan.ts";
import { backoffMs } from "../../core/drvctl/supervisor.ts";
import { parseUpsConf } from "../../core/config/ups_conf.ts";
import { driverTable } from "../../core/config/driver_table.ts";

const table = (text: string) => driverTable(parseUpsConf(text, { file: "ups.conf" }));

Deno.test("parseDrvctlArgs() covers NUT's options and ours", { permissions: "none" }, () => {
  assert.equal(parseDrvctlArgs("u", []).kind, "help");
  assert.equal(parseDrvctlArgs("u", ["-z", "start"]).kind, "help");
  assert.deepEqual(parseDrvctlArgs("u", ["-z"]).diagnostics, ["u: invalid option -- 'z'"]);
  assert.equal(parseDrvctlArgs("u", ["reload"]).kind, "unrecognized");
  const s = parseDrvctlArgs("u", ["-S", "-DD", "-d", "-u", "nut", "start", "ups1", "extra"]);
  assert.equal(s.action, "start");
  assert.equal(s.ups, "ups1");
  assert.equal(s.supervise, true);
  assert.equal(s.debug, 2);
  assert.equal(s.user, "nut");
  assert.equal(parseDrvctlArgs("u", ["--supervise", "start"]).supervise, true);
  const c = parseDrvctlArgs("u", ["-c", "reload", "ups1"]);
  assert.equal(c.action, "signal");
  assert.equal(c.signalCommand, "reload");
  assert.equal(parseDrvctlArgs("u", ["-l"]).action, "list");
  assert.equal(parseDrvctlArgs("u", ["status"]).action, "status");
});

Deno.test(
  "planDrivers() builds NUT's command lines in NUT's order",
  { permissions: "none" },
  () => {
    const t = table(
      "maxstartdelay = 9\n[a]\ndriver = x\nport = p\nsdorder = 2\n[b]\ndriver = y\nport = q\nsdorder = -1\nmaxstartdelay = 3\n[c]\ndriver = z\nport = /dev/r\n",
    );
    const o = { debug: 3, passDebug: true, chroot: "/c", user: "nut" };
    const start = planDrivers(t, "start", o, "/lib/nut");
    assert.ok(start.ok);
    assert.deepEqual(start.steps.map((s) => [s.program, ...s.args].join(" ")), [
      "/lib/nut/x -DDD -a a -r /c -u nut",
      "/lib/nut/y -DDD -a b -r /c -u nut",
      "/lib/nut/z -DDD -a c -r /c -u nut",
    ]);
    assert.deepEqual(start.steps.map((s) => s.maxstartdelay), [9, 3, 9]);
    const sd = planDrivers(t, "shutdown", { debug: 0, passDebug: false }, "/d");
    assert.ok(sd.ok);
    assert.deepEqual(sd.steps.map((s) => [s.program, ...s.args].join(" ")), [
      "/d/z -a c -k",
      "/d/x -a a -k",
    ]);
    assert.deepEqual(selectEntries(t, "start", "nope"), {
      ok: false,
      fatal: "UPS nope not found in ups.conf",
    });
    assert.deepEqual(selectEntries(table(""), "start"), {
      ok: false,
      fatal: "Error: no UPS definitions found in ups.conf",
    });
    assert.deepEqual(pidFiles(t.entries[2]!, "/run"), ["/run/z-c.pid", "/run/z-r.pid"]);
  },
);

Deno.test("backoffMs() doubles from 1 s up to 30 s", { permissions: "none" }, () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map(backoffMs), [
    1000,
    1000,
    2000,
    4000,
    8000,
    16000,
    30000,
    30000,
  ]);
});
