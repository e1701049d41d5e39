import assert from "node:assert/strict";
import { runNut } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { numLogins, startStack } from "./upsmon_harness.ts";

Deno.test("nut upsmon: -c reload picks up a new MONITOR line; a second instance on the same pid file is refused; -c stop ends it", async () => {
  await using st = await startStack([["ups1", "OL"], ["ups2", "OB"]]);
  const mon = await st.startMonitor({
    label: "pri",
    impl: "nut",
    monitors: [["ups1", 1, "primary"]],
  });
  const pidFile = st.sb.path("pid-pri/upsmon.pid");
  await st.waitLogins("ups1", 1);
  assert.equal(Number(Deno.readTextFileSync(pidFile).trim()), mon.pid);

  const conf = st.sb.path("pri.conf");
  const text = Deno.readTextFileSync(conf);
  Deno.writeTextFileSync(
    conf,
    text.replace(/^(MONITOR .*)$/m, `$1\nMONITOR ups2@127.0.0.1:${st.port} 1 mon pw primary`)
      .replace(/^SHUTDOWNCMD .*$/m, "SHUTDOWNCMD /bin/false") +
      'NOTIFYMSG ONBATT "reloaded: %s on battery"\n',
  );
  const reload = await runNut(["upsmon", "-c", "rel", "--pidfile", pidFile]);
  assert.equal(reload.code, 0, reload.stderr);
  await st.waitEvents(
    (e) => e.some((x) => x.what === "ONBATT" && x.ups.startsWith("ups2@")),
    "ONBATT of ups2",
  );
  await mon.waitForOutput(/Reloading configuration/);

  const again = await runNut(["upsmon", "-F", "-f", conf, "--pidfile", pidFile], {
    env: st.sb.env,
  });
  assert.equal(again.code, 1);
  assert.match(again.stdout, /Fatal error: A previous upsmon instance is already running!\n/);

  const stop = await runNut(["upsmon", "-c", "stop", "--pidfile", pidFile]);
  assert.equal(stop.code, 0);
  assert.equal((await mon.status).code, 0);
  assert.match(mon.stderr(), /Signal 15: exiting\n/);
  assert.ok(!st.events().some((e) => e.what === "SHUTDOWNCMD"));
});

Deno.test("nut upsmon: without -F it goes to the background, and -c stop finds it through its pid file", async () => {
  await using st = await startStack([["ups1", "OL"]]);
  const pidDir = st.sb.path("bg");
  Deno.mkdirSync(pidDir);
  const conf = st.sb.path("bg.conf");
  Deno.writeTextFileSync(
    conf,
    `MONITOR ups1@127.0.0.1:${st.port} 1 mon pw primary\nSHUTDOWNCMD /bin/true\nPOLLFREQ 1\n`,
  );
  const r = await runNut(["upsmon", "-f", conf], { env: { ...st.sb.env, NUT_PIDPATH: pidDir } });
  assert.equal(r.code, 0, r.stderr);
  const pid = Number(Deno.readTextFileSync(`${pidDir}/upsmon.pid`).trim());
  assert.ok(pid > 0);
  await st.waitLogins("ups1", 1);
  const stop = await runNut(["upsmon", "-c", "stop"], {
    env: { ...st.sb.env, NUT_PIDPATH: pidDir },
  });
  assert.equal(stop.code, 0);
  await waitFor(async () => (await numLogins(st.port, "ups1")) === 0, {
    timeout: 10_000,
    what: "the background upsmon logged out",
  });
});

Deno.test("nut upsmon: repeated -c fsd and a -c stop during the sequence still run SHUTDOWNCMD exactly once", async () => {
  await using st = await startStack([["ups1", "OL"]]);
  const mon = await st.startMonitor({
    label: "pri",
    impl: "nut",
    monitors: [["ups1", 1, "primary"]],
  });
  const pidFile = st.sb.path("pid-pri/upsmon.pid");
  await st.waitLogins("ups1", 1);
  for (const cmd of ["fsd", "fsd", "stop", "f"]) {
    const r = await runNut(["upsmon", "-c", cmd, "--pidfile", pidFile]);
    // Once the process has exited, later commands find no process: that is fine too.
    assert.ok(r.code === 0 || /No such process|fopen/.test(r.stderr), r.stderr);
  }
  await st.waitEvents((e) => e.some((x) => x.what === "SHUTDOWNCMD"), "SHUTDOWNCMD");
  assert.equal((await mon.status).code, 0);
  const cmds = st.events().filter((x) => x.what === "SHUTDOWNCMD");
  assert.equal(cmds.length, 1);
  assert.equal(cmds[0]!.text, "upsmon-shutdown-file");
});
