import assert from "node:assert/strict";
import { parseBoolean, parseUpsdConf, type UpsdConf } from "../../../core/config/upsd_conf.ts";

const parse = (t: string) => parseUpsdConf(t, { file: "upsd.conf" });

Deno.test("parseUpsdConf() applies NUT's defaults", { permissions: "none" }, () => {
  const c = parse("");
  assert.deepEqual(c.listen, []);
  assert.equal(c.maxAge, 15);
  assert.equal(c.trackingDelay, 3600);
  assert.equal(c.allowNoDevice, false);
  assert.equal(c.maxConn, undefined);
  assert.equal(c.disableWeakSsl, false);
  assert.equal(c.debugMin, undefined);
  assert.deepEqual(c.problems, []);
});

Deno.test("parseUpsdConf() round-trips every directive", { permissions: "none" }, async (t) => {
  const rows: [string, (c: UpsdConf) => unknown, unknown][] = [
    ["LISTEN 0.0.0.0", (c) => c.listen, [{ address: "0.0.0.0", port: "3493", line: 1 }]],
    ["LISTEN ::1 4000", (c) => c.listen, [{ address: "::1", port: "4000", line: 1 }]],
    ["LISTEN *", (c) => c.listen[0]?.address, "*"],
    ["MAXAGE 30", (c) => c.maxAge, 30],
    ["MAXAGE 7x", (c) => c.maxAge, 7],
    ["TRACKINGDELAY 60", (c) => c.trackingDelay, 60],
    ["ALLOW_NO_DEVICE true", (c) => c.allowNoDevice, true],
    ["ALLOW_NO_DEVICE Yes", (c) => c.allowNoDevice, true],
    ["ALLOW_NO_DEVICE 2", (c) => c.allowNoDevice, true],
    ["ALLOW_NO_DEVICE off", (c) => c.allowNoDevice, false],
    ["MAXCONN 100", (c) => c.maxConn, 100],
    ["STATEPATH /var/state/ups", (c) => c.statePath, "/var/state/ups"],
    ["DATAPATH /usr/share/nut", (c) => c.dataPath, "/usr/share/nut"],
    ["CERTPATH /etc/nut/cert_db", (c) => c.certPath, "/etc/nut/cert_db"],
    ['CERTIDENT "10.0.0.1" "secret"', (c) => c.certIdent, { name: "10.0.0.1", password: "secret" }],
    ["DISABLE_WEAK_SSL on", (c) => c.disableWeakSsl, true],
    ["DEBUG_MIN 3", (c) => c.debugMin, 3],
    ["debug_min 2", (c) => c.debugMin, 2],
  ];
  for (const [line, get, want] of rows) {
    await t.step(line, () => {
      const c = parse(line + "\n");
      assert.deepEqual(get(c), want);
      assert.deepEqual(c.problems, []);
    });
  }
});

Deno.test(
  "parseUpsdConf() logs invalid directives with NUT's text",
  { permissions: "none" },
  () => {
    const c = parse('MAXAGE abc\nLISTN 0.0.0.0\nlocal host\nACCEPT x\nCERTFILE /x\n"a b" c\\ d\n');
    assert.deepEqual(c.problems.map((p) => [p.line, p.message, p.hint]), [
      [1, "MAXAGE has non numeric value (abc)!", undefined],
      [1, "upsd.conf: invalid directive MAXAGE abc", undefined],
      [2, "upsd.conf: invalid directive LISTN 0.0.0.0", 'did you mean "LISTEN"?'],
      [3, "upsd.conf: invalid directive local host", undefined],
      [4, "ACCEPT in upsd.conf is no longer supported - switch to LISTEN", undefined],
      [5, "upsd.conf: invalid directive CERTFILE /x", undefined],
      [6, "upsd.conf: invalid directive a b c d", undefined],
    ]);
    assert.ok(c.problems.every((p) => p.logged === true));
    assert.equal(c.maxAge, 15);
  },
);

Deno.test("parseBoolean() accepts NUT's words case-insensitively", { permissions: "none" }, () => {
  for (const w of ["true", "ON", "yes", "1"]) assert.equal(parseBoolean(w), true);
  for (const w of ["false", "Off", "NO", "0"]) assert.equal(parseBoolean(w), false);
  assert.equal(parseBoolean("2"), undefined);
});
