/**
 * `nut upsd` start-up, pid file and `-c reload|stop`, as upsd 2.8.0 does them.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { startPair } from "../compat/upsd_harness.ts";
import { runNut } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test("nut upsd -FF writes its pid file; -c reload and -c stop signal it", opts, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], {
    real: false,
    upsdFlags: ["-FF"],
  });
  const dir = pair.sandbox.path("ours");
  const env = { ...pair.sandbox.env, NUT_CONFPATH: dir, NUT_ALTPIDPATH: dir };
  await waitFor(() => Deno.readTextFileSync(`${dir}/upsd.pid`) === `${pair.ours.pid}\n`);
  ok(pair.ours.stderr().includes("Running as foreground process, but saving a PID file anyway"));

  const again = await runNut(["upsd", "-F"], { env });
  assertEquals(again.code, 1);
  assertEquals(
    again.stdout,
    "Network UPS Tools upsd 2.8.0\nFatal error: A previous upsd instance is already running!\n" +
      "Either stop the previous instance first, or use the 'reload' command.\n",
  );

  const reload = await runNut(["upsd", "-c", "rel"], { env });
  assertEquals([reload.code, reload.stdout], [0, "Network UPS Tools upsd 2.8.0\n"]);
  await pair.ours.waitForOutput(/SIGHUP: reloading configuration/);

  const stop = await runNut(["upsd", "-c", "stop"], { env });
  assertEquals(stop.code, 0);
  assertEquals((await pair.ours.status).code, 0);
  ok(pair.ours.stderr().endsWith("Signal 15: exiting\n"));
  assertEquals(await Deno.stat(`${dir}/upsd.pid`).then(() => "present", () => "gone"), "gone");

  const none = await runNut(["upsd", "-c", "stop"], { env });
  assertEquals([none.code, none.stderr], [1, `fopen ${dir}/upsd.pid: No such file or directory\n`]);
});

Deno.test(
  "nut upsd -h prints NUT's help; a missing upsd.conf is fatal as in NUT",
  opts,
  async () => {
    const h = await runNut(["upsd", "-h"]);
    assertEquals(h.code, 0);
    ok(h.stdout.startsWith("Network UPS Tools upsd 2.8.0\nNetwork server for UPS data.\n"));
    const dir = await Deno.makeTempDir();
    try {
      const r = await runNut(["upsd", "-F"], {
        env: { NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir },
      });
      assertEquals(r.code, 1);
      ok(r.stderr.endsWith(`stat ${dir}/upsd.conf: No such file or directory\n`), r.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "nut upsd without -F detaches like NUT's background() and -c stop ends it",
  opts,
  async () => {
    await using pair = await startPair([{ name: "fake", dev: "fake" }], {
      real: false,
      upsdFlags: [],
    });
    const dir = pair.sandbox.path("ours");
    const env = { ...pair.sandbox.env, NUT_CONFPATH: dir, NUT_ALTPIDPATH: dir };
    const pid = Number(Deno.readTextFileSync(`${dir}/upsd.pid`).trim());
    try {
      assertEquals((await pair.ours.status).code, 0);
      ok(pid !== pair.ours.pid && pid > 1);
      assertEquals(pair.ours.stdout(), "Network UPS Tools upsd 2.8.0\n");
      ok(!pair.ours.stderr().includes("Running as foreground process"));
      const stop = await runNut(["upsd", "-c", "stop"], { env });
      assertEquals(stop.code, 0);
      await waitFor(() => {
        try {
          Deno.kill(pid, "SIGCONT");
          return false;
        } catch (e) {
          return e instanceof Deno.errors.NotFound;
        }
      }, { what: "the background upsd to exit" });
    } finally {
      killIfAlive(pid);
    }
  },
);

/** SIGKILL for a process that may already be gone (only "no such process" is expected). */
function killIfAlive(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
