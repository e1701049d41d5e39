/**
 * At the open-files limit `nut upsd` refuses extra clients at once (they see
 * a close, not a hang), does not spin, and serves again when descriptors
 * free up.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dialog, startPair } from "../compat/upsd_harness.ts";
import { waitFor } from "../_helpers/wait.ts";

function cpuTicks(pid: number): number {
  const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
}

Deno.test("nut upsd at the open-files limit refuses cleanly and recovers", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], {
    real: false,
    wrap: ["sh", "-c", 'ulimit -n 64 && exec "$0" "$@"'],
  });
  const conns: Deno.Conn[] = [];
  const outcome: Promise<"answered" | "closed">[] = [];
  for (let i = 0; i < 80; i++) {
    const c = await Deno.connect({ hostname: "127.0.0.1", port: pair.ourPort });
    conns.push(c);
    await c.write(new TextEncoder().encode("VER\n"));
    outcome.push(
      c.read(new Uint8Array(256)).then((n) => (n === null ? "closed" : "answered"), () => "closed"),
    );
  }
  const settled = await Promise.race([
    Promise.all(outcome),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
  ]);
  ok(settled, "every client was answered or refused within 5 s");
  const answered = settled.filter((x) => x === "answered").length;
  ok(answered > 10 && answered < 80, `answered ${answered} of 80`);
  const t0 = cpuTicks(pair.ours.pid);
  await new Promise((r) => setTimeout(r, 1000));
  ok(cpuTicks(pair.ours.pid) - t0 < 20, "idle at the limit, not spinning");
  for (const c of conns) c.close();
  await waitFor(async () =>
    (await dialog(pair.ourPort, ["VER"]))[0]?.startsWith("Network UPS Tools")
  );
  ok(pair.ours.stderr().includes("Refused a connection: too many open files"));
  assertEquals(
    pair.ours.stderr().split("\n").filter((l) => l.startsWith("Refused")).length <= 11,
    true,
  );
});
