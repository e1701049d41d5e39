import assert from "node:assert/strict";
import { REPO } from "../../_helpers/process.ts";
import { parseUpsConf } from "../../../core/config/ups_conf.ts";
import { parseUpsdConf } from "../../../core/config/upsd_conf.ts";
import { parseUpsdUsers } from "../../../core/config/upsd_users.ts";
import { parseUpsmonConf } from "../../../core/config/upsmon_conf.ts";
import { parseUpsschedConf } from "../../../core/config/upssched_conf.ts";
import { parseNutConf } from "../../../core/config/nut_conf.ts";
import { parseHostsConf } from "../../../core/config/hosts_conf.ts";
import { parseUpssetConf } from "../../../core/config/upsset_conf.ts";
import { readLatin1 } from "../../../cli/io.ts";

const conf = (name: string) => readLatin1(`${REPO}/conf/${name}`);

Deno.test("the sample configs in conf/ parse without a single problem", {
  permissions: { read: true },
}, async () => {
  const o = (file: string) => ({ file });
  const ups = parseUpsConf(await conf("ups.conf"), o("ups.conf"));
  assert.deepEqual(ups.problems, []);
  assert.deepEqual(ups.devices.map((d) => [d.name, d.driver, d.port]), [[
    "myups",
    "usbhid-ups",
    "auto",
  ]]);
  const upsd = parseUpsdConf(await conf("upsd.conf"), o("upsd.conf"));
  assert.deepEqual(upsd.problems, []);
  assert.deepEqual(upsd.listen.map((l) => l.address), ["127.0.0.1", "::1"]);
  const users = parseUpsdUsers(await conf("upsd.users"), o("upsd.users"));
  assert.deepEqual(users.problems, []);
  assert.equal(users.users.get("upsmon")?.upsmon, "primary");
  const mon = parseUpsmonConf(await conf("upsmon.conf"), o("upsmon.conf"));
  assert.deepEqual(mon.problems, []);
  assert.equal(mon.monitors[0]?.password, users.users.get("upsmon")?.password);
  const sched = parseUpsschedConf(await conf("upssched.conf"), o("upssched.conf"));
  assert.deepEqual(sched.problems, []);
  assert.equal(sched.ats.length, 2);
  const nut = parseNutConf(await conf("nut.conf"), o("nut.conf"));
  assert.deepEqual(nut.problems, []);
  assert.equal(nut.mode, "standalone");
  const hosts = parseHostsConf(await conf("hosts.conf"), o("hosts.conf"));
  assert.deepEqual(hosts.problems, []);
  // upsset.cgi stays off until the admin secures the CGI directory: that is the one message
  const upsset = parseUpssetConf(await conf("upsset.conf"), o("upsset.conf"));
  assert.equal(upsset.secured, false);
  assert.deepEqual(upsset.problems.map((p) => p.message), [
    "Error: Secure mode has not been enabled in upsset.conf.",
  ]);
});
