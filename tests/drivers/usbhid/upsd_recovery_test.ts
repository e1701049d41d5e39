import assert from "node:assert/strict";
import { makeSandbox } from "../../_helpers/sandbox.ts";
import { freePort } from "../../_helpers/ports.ts";
import { nutArgv, run, spawnDaemon } from "../../_helpers/process.ts";
import { waitFor } from "../../_helpers/wait.ts";
import { compatTest, REAL } from "../../_helpers/real_nut.ts";
import { HID_DIR } from "./_ctx.ts";

compatTest(
  "real upsd + upsc see our usbhid-ups go stale on unplug and recover on replug, no restart",
  async () => {
    await using sb = makeSandbox();
    const port = await freePort();
    const rec = sb.path("apc.json");
    Deno.copyFileSync(`${HID_DIR}/apc_back-ups_cs500_ddl.json`, rec);
    sb.writeConf(
      "ups.conf",
      `[apc]\n\tdriver = usbhid-ups\n\tport = "replay:${rec}"\n\tpollinterval = 1\n`,
    );
    sb.writeConf("upsd.conf", `LISTEN 127.0.0.1 ${port}\n`);
    sb.writeConf("upsd.users", "");
    await using drv = spawnDaemon([...nutArgv(), "usbhid-ups", "-a", "apc", "-F"], { env: sb.env });
    await waitFor(() => {
      try {
        return Deno.statSync(`${sb.statePath}/usbhid-ups-apc`).isSocket;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return false;
        throw e;
      }
    }, { timeout: 20_000, what: `driver socket (driver said: ${drv.stderr()})` });
    await using _upsd = spawnDaemon([REAL.upsd, "-F", "-u", "root"], { env: sb.env });
    const upsc = () =>
      run([REAL.upsc, `apc@127.0.0.1:${port}`, "ups.status"], { env: sb.env, timeout: 10_000 });
    await waitFor(async () => (await upsc()).stdout === "OL\n", {
      timeout: 20_000,
      what: "OL via upsd",
    });
    const pid = drv.pid;
    Deno.renameSync(rec, `${rec}.unplugged`);
    await waitFor(async () => /Data stale/.test((await upsc()).stderr), {
      timeout: 20_000,
      what: "Data stale",
    });
    Deno.renameSync(`${rec}.unplugged`, rec);
    await waitFor(async () => (await upsc()).stdout === "OL\n", {
      timeout: 30_000,
      what: "recovery",
    });
    const state = await run([REAL.upsc, `apc@127.0.0.1:${port}`, "driver.state"], { env: sb.env });
    assert.equal(state.stdout, "updateinfo\n");
    assert.equal(drv.pid, pid, "same driver process");
    assert.match(drv.stderr(), /USB device reconnected/);
  },
);
