import assert from "node:assert/strict";
import { makeSandbox } from "../../_helpers/sandbox.ts";
import { runNut } from "../../_helpers/process.ts";
import { waitFor } from "../../_helpers/wait.ts";
import { exists } from "../../_helpers/fs.ts";

/** Whether a process runs (SIGCONT: harmless; /proc needs --allow-all under CI's permissions). */
const alive = (pid: number) => {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
};

const gone = (p: string) => !exists(p);

Deno.test("nut dummy-ups backgrounds, answers -c reload, and -c exit removes socket and pid file", async () => {
  await using sb = makeSandbox("nut-dummy-bg-");
  sb.writeConf("ups.conf", "[bg]\n\tdriver = dummy-ups\n\tport = bg.dev\n");
  sb.writeConf("bg.dev", "ups.status: OB\nbattery.charge: 12\n");
  const pidFile = `${sb.statePath}/dummy-ups-bg.pid`;
  const sock = `${sb.statePath}/dummy-ups-bg`;
  const start = await runNut(["dummy-ups", "-a", "bg"], { env: sb.env });
  try {
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.stdout, "", "a pipe loses the banner of a driver that backgrounds (NUT)");
    const pid = Number(Deno.readTextFileSync(pidFile).trim());
    assert.ok(Deno.statSync(sock).isSocket);
    assert.ok(alive(pid), "the background child is running");
    for (const c of ["reload", "reload-or-exit"]) {
      const r = await runNut(["dummy-ups", "-a", "bg", "-c", c], { env: sb.env });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(alive(pid), "reload is not an exit");
    const exit = await runNut(["dummy", "-a", "bg", "-c", "exit"], { env: sb.env });
    assert.equal(exit.code, 0, exit.stderr);
    await waitFor(() => gone(sock) && gone(pidFile) && !alive(pid), {
      what: "the driver gone with its socket and pid file",
    });
  } finally {
    if (!gone(pidFile)) Deno.kill(Number(Deno.readTextFileSync(pidFile).trim()), "SIGKILL");
  }
});

Deno.test("nut dummy-ups -c without a running driver says so", async () => {
  await using sb = makeSandbox("nut-dummy-bg-");
  sb.writeConf("ups.conf", "[bg]\n\tdriver = dummy-ups\n\tport = bg.dev\n");
  const r = await runNut(["dummy-ups", "-a", "bg", "-c", "exit"], { env: sb.env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /PID file .*dummy-ups-bg\.pid not found/);
  const bad = await runNut(["dummy-ups", "-a", "bg", "-c", "explode"], { env: sb.env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown driver command 'explode'/);
});
