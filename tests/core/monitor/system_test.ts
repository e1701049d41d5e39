import assert from "node:assert/strict";
import { processSinks } from "../../../core/monitor/system.ts";
import { waitFor } from "../../_helpers/wait.ts";

Deno.test("processSinks(): NOTIFYCMD runs start in order, and a slow one holds the next back at most ~500 ms", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "nut-sinks-" });
  try {
    const log = `${dir}/log`;
    const errors: string[] = [];
    const sinks = processSinks((m) => errors.push(m));
    const t0 = Date.now();
    for (const n of [1, 2, 3]) {
      sinks.exec(`echo ${n} $NOTIFYTYPE >> ${log}`, { NOTIFYTYPE: `T${n}` });
    }
    sinks.exec(`echo hung >> ${log}; exec sleep 3`, { NOTIFYTYPE: "H" });
    sinks.exec(`echo after >> ${log}`, { NOTIFYTYPE: "A" });
    const lines = () => {
      try {
        return Deno.readTextFileSync(log).split("\n").filter((l) => l);
      } catch {
        return [];
      }
    };
    await waitFor(() => lines().includes("after"), {
      timeout: 10_000,
      what: "the run after the hung one",
    });
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(lines(), ["1 T1", "2 T2", "3 T3", "hung", "after"]);
    // idle() is bounded even while a notifier hangs.
    const t1 = Date.now();
    await sinks.idle(300);
    assert.ok(Date.now() - t1 < 2000);
    assert.deepEqual(errors, []);
    // Let the slow notifier end on its own (no process is left behind).
    await sinks.idle(10_000);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
