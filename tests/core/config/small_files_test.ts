import assert from "node:assert/strict";
import { parseNutConf } from "../../../core/config/nut_conf.ts";
import { parseHostsConf } from "../../../core/config/hosts_conf.ts";
import { parseUpssetConf } from "../../../core/config/upsset_conf.ts";

const nut = (t: string) => parseNutConf(t, { file: "nut.conf" });

Deno.test("parseNutConf() reads shell assignments like sh", { permissions: "none" }, async (t) => {
  const rows: [string, string, string][] = [
    ["MODE=netserver", "MODE", "netserver"],
    ['MODE="standalone"', "MODE", "standalone"],
    ["MODE='netclient' # comment", "MODE", "netclient"],
    ["export MODE=none", "MODE", "none"],
    ['UPSD_OPTIONS="-D -D"', "UPSD_OPTIONS", "-D -D"],
    ["UPSMON_OPTIONS=a\\ b", "UPSMON_OPTIONS", "a b"],
    ["POWEROFF_WAIT=15m", "POWEROFF_WAIT", "15m"],
    ["ALLOW_NO_DEVICE=true", "ALLOW_NO_DEVICE", "true"],
  ];
  for (const [line, key, want] of rows) {
    await t.step(line, () => {
      const c = nut(`MODE=standalone\n${line}\n`);
      assert.equal(c.values.get(key), want);
      assert.deepEqual(c.problems, []);
    });
  }
});

Deno.test("parseNutConf() rejects what sh would not assign", { permissions: "none" }, () => {
  const c = nut(
    'MODE = netserver\nsudo nano /etc/nut/upsd.users\nMODE=net server\nMODE="x\nMOD=none\n',
  );
  assert.deepEqual(c.problems.map((p) => [p.line, p.severity]), [
    [1, "error"],
    [2, "error"],
    [3, "error"],
    [4, "error"],
    [5, "warning"],
    [1, "warning"],
  ]);
  assert.equal(c.problems[0]!.hint, "write MODE=value");
  assert.equal(c.problems[4]!.hint, 'did you mean "MODE"?');
  assert.equal(c.mode, "none");
});

Deno.test("parseNutConf() rejects an unknown MODE", { permissions: "none" }, () => {
  const c = nut("MODE=netsever\n");
  assert.equal(c.mode, "none");
  assert.deepEqual(c.problems.map((p) => [p.line, p.hint]), [[1, 'did you mean "netserver"?']]);
});

Deno.test("parseHostsConf() reads MONITOR lines in order", { permissions: "none" }, () => {
  const c = parseHostsConf(
    'MONITOR a@localhost "A UPS"\nMONITOR b@h:3494 B\nMONITOR c@h\nFOO x\nCUSTOM_TEMPLATE_LIST list.html\n',
    { file: "hosts.conf" },
  );
  assert.deepEqual(c.monitors, [
    { system: "a@localhost", description: "A UPS", line: 1 },
    { system: "b@h:3494", description: "B", line: 2 },
  ]);
  assert.equal(c.customTemplateList, "list.html");
  assert.deepEqual(c.problems.map((p) => p.line), [3, 4]);
});

Deno.test("parseUpssetConf() needs the magic word", { permissions: "none" }, () => {
  assert.equal(
    parseUpssetConf("# x\nI_HAVE_SECURED_MY_CGI_DIRECTORY\n", { file: "upsset.conf" }).secured,
    true,
  );
  const off = parseUpssetConf("# I_HAVE_SECURED_MY_CGI_DIRECTORY\n", { file: "upsset.conf" });
  assert.equal(off.secured, false);
  assert.equal(off.problems[0]?.message, "Error: Secure mode has not been enabled in upsset.conf.");
});
