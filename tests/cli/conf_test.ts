import assert from "node:assert/strict";
import { run as confRun } from "../../cli/commands/conf.ts";
import { memoryIo } from "../../cli/io.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { runNut } from "../_helpers/process.ts";

const CLEAN = {
  "nut.conf": "MODE=standalone\n",
  "ups.conf": "[myups]\n\tdriver = usbhid-ups\n\tport = auto\n",
  "upsd.conf": "LISTEN 127.0.0.1 3493\n",
  "upsd.users": "[mon]\n\tpassword = pw\n\tupsmon primary\n",
  "upsmon.conf":
    'MONITOR myups@localhost 1 mon pw primary\nSHUTDOWNCMD "/bin/true now"\nPOWERDOWNFLAG /etc/killpower\n',
};

async function check(files: Record<string, string>, args: string[] = [], mode = 0o640) {
  await using sb = makeSandbox("nut-confcheck-");
  for (const [name, text] of Object.entries(files)) sb.writeConf(name, text, mode);
  const io = memoryIo({ env: { NUT_CONFPATH: sb.confPath, PATH: "/usr/bin:/bin" } });
  const code = await confRun(["check", ...args], io);
  const out = io.out.join("").replaceAll(sb.confPath, "DIR");
  return { code, out, err: io.err.join("") };
}

Deno.test("nut conf check passes a clean configuration with exit 0", async () => {
  const r = await check(CLEAN);
  assert.equal(r.code, 0, r.out);
  assert.equal(
    r.out,
    "checked nut.conf, ups.conf, upsd.conf, upsd.users, upsmon.conf in DIR: 0 errors, 0 warnings\n",
  );
});

Deno.test("nut conf check reports criver at file:line with a did-you-mean, exit 2", async () => {
  const r = await check({
    ...CLEAN,
    "ups.conf": "[myups]\n    criver = usbhid-ups\n    port = auto\n",
  });
  assert.equal(r.code, 2);
  assert.equal(
    r.out.split("\n").slice(0, 2).join("\n"),
    "DIR/ups.conf:1: error: UPS [myups] has no driver defined\n" +
      'DIR/ups.conf:2: warning: unknown setting "criver" in [myups] (did you mean "driver"?)',
  );
  assert.match(r.out, /: 1 error, 1 warning\n$/);
});

Deno.test("nut conf check exits 1 on warnings only with --strict", async () => {
  const files = { ...CLEAN, "upsd.conf": "LISTEN 127.0.0.1\nACCEPT all\n" };
  const lax = await check(files);
  assert.equal(lax.code, 0);
  assert.match(lax.out, /DIR\/upsd.conf:2: warning: ACCEPT in upsd.conf is no longer supported/);
  assert.equal((await check(files, ["--strict"])).code, 1);
});

Deno.test("nut conf check --json prints the problems as a JSON array", async () => {
  const r = await check({ ...CLEAN, "upsd.conf": "LISTN 0.0.0.0\n" }, ["--json"]);
  assert.equal(r.code, 2);
  const rows: unknown = JSON.parse(r.out);
  assert.ok(Array.isArray(rows));
  assert.deepEqual(rows, [{
    file: "upsd.conf",
    path: "DIR/upsd.conf",
    line: 1,
    severity: "error",
    message: "upsd.conf: invalid directive LISTN 0.0.0.0",
    hint: 'did you mean "LISTEN"?',
  }]);
});

Deno.test("nut conf check cross-checks MONITOR against ups.conf and upsd.users", async (t) => {
  const rows: [string, Record<string, string>, RegExp][] = [
    [
      "unknown UPS",
      { "upsmon.conf": CLEAN["upsmon.conf"].replace("myups@", "myup@") },
      /upsmon.conf:1: error: MONITOR myup@localhost: ups.conf has no section \[myup\] \(did you mean "myups"\?\)/,
    ],
    [
      "unknown user",
      { "upsmon.conf": CLEAN["upsmon.conf"].replace(" mon pw", " monn pw") },
      /upsmon.conf:1: error: MONITOR myups@localhost: user "monn" is not in upsd.users/,
    ],
    [
      "wrong password",
      { "upsmon.conf": CLEAN["upsmon.conf"].replace(" pw ", " px ") },
      /password of "mon" differs from upsd.users/,
    ],
    [
      "primary without upsmon primary",
      { "upsd.users": "[mon]\n password = pw\n upsmon secondary\n" },
      /is primary but user "mon" has no "upsmon primary" in upsd.users/,
    ],
    [
      "no POWERDOWNFLAG on a primary",
      { "upsmon.conf": 'MONITOR myups@localhost 1 mon pw primary\nSHUTDOWNCMD "/bin/true"\n' },
      /upsmon.conf:1: warning: MONITOR myups@localhost is primary but there is no POWERDOWNFLAG/,
    ],
    [
      "netserver listening on localhost only",
      { "nut.conf": "MODE=netserver\n" },
      /upsd.conf:1: warning: MODE=netserver but upsd listens only on localhost/,
    ],
    [
      "SHUTDOWNCMD program missing",
      { "upsmon.conf": CLEAN["upsmon.conf"].replace("/bin/true now", "/sbin/no-such-halt -h") },
      /upsmon.conf:2: error: SHUTDOWNCMD program "\/sbin\/no-such-halt" does not exist/,
    ],
    [
      "NOTIFYCMD not executable",
      { "upsmon.conf": CLEAN["upsmon.conf"] + "NOTIFYCMD /etc/passwd\n" },
      /upsmon.conf:4: error: NOTIFYCMD program "\/etc\/passwd" is not executable/,
    ],
    [
      "CMDSCRIPT found on PATH",
      { "upssched.conf": "CMDSCRIPT true\nPIPEFN /p\nLOCKFN /l\n" },
      /: 0 errors, 0 warnings/,
    ],
    [
      "driver neither built in nor in driverpath",
      { "ups.conf": "driverpath = /nonexistent\n[myups]\n driver = usbhid-usp\n port = auto\n" },
      /ups.conf:3: error: driver "usbhid-usp" of \[myups\] is neither built into nut nor in \/nonexistent \(did you mean "usbhid-ups"\?\)/,
    ],
    [
      "upsd.users missing in a server MODE",
      { "upsd.users": "" },
      /nut.conf:1: error: MODE=standalone needs upsd.users/,
    ],
  ];
  for (const [name, change, want] of rows) {
    await t.step(name, async () => {
      const files: Record<string, string> = { ...CLEAN, ...change };
      if (change["upsd.users"] === "") delete files["upsd.users"];
      const r = await check(files);
      assert.match(r.out, want);
    });
  }
});

Deno.test("nut conf check warns about password files readable by everyone", async () => {
  const r = await check(CLEAN, [], 0o644);
  assert.match(r.out, /^DIR\/upsd.users: warning: DIR\/upsd.users is world readable/m);
  assert.match(r.out, /^DIR\/upsmon.conf: warning: DIR\/upsmon.conf is world readable/m);
  assert.equal(r.code, 0);
});

Deno.test("nut conf check -c DIR, an empty DIR, and usage errors", async () => {
  await using sb = makeSandbox("nut-confcheck-");
  sb.writeConf("ups.conf", "[a]\ndriver = dummy-ups\nport = p\n");
  const io = memoryIo({ env: { NUT_CONFPATH: "/nonexistent" } });
  assert.equal(await confRun(["check", "-c", sb.confPath], io), 0);
  assert.match(io.out.join(""), new RegExp(`checked ups.conf in ${sb.confPath}: 0 errors`));
  const empty = memoryIo({ env: { NUT_CONFPATH: sb.path("nothing") } });
  assert.equal(await confRun(["check"], empty), 2);
  assert.match(empty.err.join(""), /no NUT configuration files in/);
  const bad = memoryIo();
  assert.equal(await confRun(["check", "--bogus"], bad), 64);
  assert.match(bad.err.join(""), /unknown option '--bogus'/);
});

Deno.test("nut conf check runs as a program with the documented exit codes", async () => {
  await using sb = makeSandbox("nut-confcheck-");
  sb.writeConf("ups.conf", "[myups]\n criver = usbhid-ups\n port = auto\n");
  const r = await runNut(["conf", "check"], { env: { ...sb.env, PATH: "/usr/bin:/bin" } });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "");
  assert.match(
    r.stdout,
    new RegExp(`^${sb.confPath}/ups.conf:2: warning: unknown setting "criver"`, "m"),
  );
  const help = await runNut(["conf", "check", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--strict/);
});

Deno.test("nut conf check: with MODE=none, upsmon's start-up refusal is only a warning", async () => {
  const files = {
    "nut.conf": "MODE=none\n",
    "upsmon.conf": "MINSUPPLIES 1\nSHUTDOWNCMD /bin/true\n",
  };
  const r = await check(files);
  assert.equal(r.code, 0, r.out);
  assert.match(
    r.out,
    /upsmon.conf:1: warning: Fatal error: insufficient power configured! \(MODE=none in nut.conf: upsmon is not started\)/,
  );
  const server = await check({ ...files, "nut.conf": "MODE=netclient\n" });
  assert.equal(server.code, 2);
});
