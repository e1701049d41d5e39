import assert from "node:assert/strict";
import { runDriver } from "../../../drivers/framework/runner.ts";
import type { DriverContext, DriverModule } from "../../../drivers/framework/driver.ts";
import type { Clock } from "../../../core/runtime/clock.ts";
import { memoryIo } from "../../../cli/io.ts";
import { makeSandbox } from "../../_helpers/sandbox.ts";
import { waitFor } from "../../_helpers/wait.ts";
import { observe } from "../_link_observer.ts";

/** A clock that moves only when the test says so. */
class FakeClock implements Clock {
  #now = 1_700_000_000_000;
  #sleepers: { until: number; resolve: () => void }[] = [];
  now(): number {
    return this.#now;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = { until: this.#now + ms, resolve };
      this.#sleepers.push(s);
      signal?.addEventListener("abort", () => {
        this.#sleepers = this.#sleepers.filter((x) => x !== s);
        reject(signal.reason);
      }, { once: true });
    });
  }
  get waiting(): number {
    return this.#sleepers.length;
  }
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}

Deno.test("the poll loop runs every pollinterval on the injected clock; DATAOK/DATASTALE only on transitions", async () => {
  await using sb = makeSandbox("nut-poll-");
  const clock = new FakeClock();
  const updates: number[] = [];
  // healthy, healthy, lost, lost, healthy, ...
  const health = [true, true, false, false, true, true, true, true];
  const mod: DriverModule = {
    info: { name: "poll-ups", description: "Poll test", version: "1", vars: [] },
    create: () => ({
      init(ctx: DriverContext) {
        ctx.state.setInfo("ups.status", "OL");
        return Promise.resolve();
      },
      update(ctx: DriverContext) {
        updates.push(ctx.clock.now());
        if (health[updates.length - 1] ?? true) ctx.dataOk();
        else ctx.dataStale();
        return Promise.resolve();
      },
      close() {},
    }),
  };
  const stop = new AbortController();
  const done = runDriver(
    mod,
    ["-s", "p", "-x", "port=x", "-i", "5", "-F"],
    memoryIo({ env: sb.env }),
    {
      clock,
      signal: stop.signal,
      handleSignals: false,
      stdoutIsTerminal: true,
    },
  );
  try {
    await waitFor(() => Deno.statSync(`${sb.statePath}/poll-ups-p`).isSocket, { what: "socket" });
    await using obs = await observe(`${sb.statePath}/poll-ups-p`);
    // first update at start, second right after the socket opened (NUT's loop)
    await waitFor(() => updates.length === 2 && clock.waiting === 1, { what: "loop asleep" });
    for (let i = 0; i < 5; i++) {
      clock.advance(4999);
      await new Promise((r) => setTimeout(r, 20)); // let anything that wrongly fires, fire
      assert.equal(updates.length, 2 + i, "no update before pollinterval has passed");
      clock.advance(1);
      await waitFor(() => updates.length === 3 + i && clock.waiting === 1, {
        what: `update ${3 + i}`,
      });
    }
    assert.deepEqual(updates.slice(1).map((t) => t - updates[0]!), [
      0,
      5000,
      10000,
      15000,
      20000,
      25000,
    ]);
    await waitFor(() => obs.lines.filter((l) => l === "DATAOK").length === 2, {
      what: "DATAOK again",
    });
    const markers = obs.lines.filter((l) => l === "DATAOK" || l === "DATASTALE");
    // dump says DATAOK (healthy), then one DATASTALE (updates 3-4), one DATAOK (5-7)
    assert.deepEqual(markers, ["DATAOK", "DATASTALE", "DATAOK"]);
  } finally {
    stop.abort();
  }
  assert.equal(await done, 0);
});
