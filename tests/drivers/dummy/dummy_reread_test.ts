import assert from "node:assert/strict";
import { runDriver } from "../../../drivers/framework/runner.ts";
import { dummyUps } from "../../../drivers/dummy/dummy.ts";
import { memoryIo } from "../../../cli/io.ts";
import { makeSandbox } from "../../_helpers/sandbox.ts";
import { waitFor } from "../../_helpers/wait.ts";
import { observe } from "../_link_observer.ts";

Deno.test("dummy-once keeps a SET until the file's mtime changes, then re-reads it", async () => {
  await using sb = makeSandbox("nut-dummy-once-");
  const file = sb.writeConf("once.dev", "ups.status: OL\nbattery.charge: 90\n");
  // an absolute port: NUT remembers its mtime at start, so the first update is a no-op
  sb.writeConf("ups.conf", `[o]\n\tdriver = dummy-ups\n\tport = ${file}\n\tpollinterval = 1\n`);
  const stop = new AbortController();
  const io = memoryIo({ env: sb.env });
  const done = runDriver(dummyUps, ["-a", "o", "-F"], io, {
    signal: stop.signal,
    handleSignals: false,
  });
  try {
    await waitFor(() => Deno.statSync(`${sb.statePath}/dummy-ups-o`).isSocket, { what: "socket" });
    await using obs = await observe(`${sb.statePath}/dummy-ups-o`);
    assert.equal(obs.state.getValue("driver.parameter.mode"), "dummy-once");
    await obs.send('SET battery.charge "55" TRACKING t1\n');
    await waitFor(() => obs.state.getValue("battery.charge") === "55", { what: "SET applied" });
    // negative check: three update cycles (pollinterval 1 s + NUT's 1 s sleep)
    // in which the driver must not read the unchanged file again
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(obs.state.getValue("battery.charge"), "55");
    // a new mtime (whole seconds, as NUT compares) makes the next update re-read it
    Deno.writeTextFileSync(file, "ups.status: OB LB\nbattery.charge: 10\n");
    const later = new Date(Date.now() + 5000);
    Deno.utimeSync(file, later, later);
    await waitFor(() => obs.state.getValue("ups.status") === "OB LB", {
      timeout: 10_000,
      what: "re-read after the mtime change",
    });
    assert.equal(obs.state.getValue("battery.charge"), "10");
  } finally {
    stop.abort();
  }
  assert.equal(await done, 0);
});
