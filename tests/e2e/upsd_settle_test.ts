/**
 * The bundled upsd gives memory back after a burst (cli/settle.ts). V8's
 * own trace of its collections shows the start-up collection, none while
 * clients keep the daemon busy, and one after they have stopped.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { buildBundle, bundleArgv, BUNDLED } from "../../cli/bundle.ts";
import { CHECK_MS } from "../../cli/settle.ts";
import { REPO } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { startPair } from "../compat/upsd_harness.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const enc = new TextEncoder();

/**
 * The collections `gc()` asked for (V8 traces them as "testing"), one per
 * call: a call's passes are traced within milliseconds of each other.
 */
function collections(trace: string): number {
  const times = [...trace.matchAll(/(\d+) ms: Mark-Compact[^\n]*testing/g)].map((m) =>
    Number(m[1])
  );
  return times.filter((t, i) => i === 0 || t - times[i - 1]! > 100).length;
}

/** Short-lived clients, one after another: each sends `n` lines at once and reads every reply. */
async function client(port: number, until: number, n: number): Promise<number> {
  const request = enc.encode("GET VAR fake ups.status\nLIST VAR fake\n".repeat(n / 2));
  const buf = new Uint8Array(65536);
  let sessions = 0;
  for (let i = 0; i < 1_000_000 && Date.now() < until; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(request);
      let text = "";
      const dec = new TextDecoder();
      // every GET reply line and every LIST block's END line, in all read so far
      const replies = () =>
        (text.match(/^VAR fake ups\.status .*$|^END LIST VAR fake$/gm) ?? []).length;
      while (replies() < n) {
        if (Date.now() > until + 10_000) throw new Error(`upsd answered ${replies()} of ${n}`);
        const got = await conn.read(buf);
        if (got === null) throw new Error("upsd closed the connection");
        text += dec.decode(buf.subarray(0, got), { stream: true });
      }
      sessions++;
    } finally {
      conn.close();
    }
  }
  return sessions;
}

Deno.test("the bundled upsd collects after a burst of clients, never during it", opts, async () => {
  const dir = Deno.makeTempDirSync({ prefix: "nut-settle-" });
  try {
    const bundle = `${dir}/upsd.js`;
    assertEquals(await buildBundle(Deno.execPath(), REPO, BUNDLED.upsd!.entry, bundle), null);
    // V8 traces every collection; stdbuf line-buffers the trace so it arrives as it happens
    const argv = bundleArgv(bundle, BUNDLED.upsd!)
      .map((a) => a.startsWith("--v8-flags=") ? `${a},--trace-gc` : a);
    ok(argv.some((a) => a.endsWith(",--trace-gc")));
    await using pair = await startPair([{ name: "fake", dev: "fake" }], {
      real: false,
      upsdArgv: ["stdbuf", "-oL", ...argv],
    });
    const trace = () => pair.ours.stdout();
    await waitFor(() => collections(trace()) === 1, {
      timeout: 15_000,
      what: "start-up collection",
    });
    // busy for longer than two looks of the heap
    const until = Date.now() + 2 * CHECK_MS + 1000;
    const sessions = await Promise.all(
      Array.from({ length: 8 }, () => client(pair.ourPort, until, 40)),
    );
    ok(sessions.every((s) => s > 10), `sessions per client: ${sessions}`);
    assertEquals(collections(trace()), 1, "no collection while clients kept it busy");
    await waitFor(() => collections(trace()) === 2, {
      timeout: 3 * CHECK_MS,
      what: "the collection after the burst",
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
