/**
 * Writable variables and commands as real clients see them through the real
 * upsd: `upsrw` (flags, types, lengths from dummy-ups' table), `upscmd -l`,
 * a `upsrw -s` round trip (known, unknown and emptied variables) and
 * `upscmd` — our dummy-ups against Debian's, side by side.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { run } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import {
  SHARED,
  startDriver,
  startRealUpsd,
  upscWhenReady,
  waitSocket,
  writeConfs,
} from "../drivers/_nut_stack.ts";

const DUMPS = [
  "APC/APC__Back-UPS_500__newhidups__2.0.3__01.dev",
  "Eaton/Eaton__5E1100iUSB__usbhid-ups__2.7.1__01.dev",
  "MGE_UPS_SYSTEMS/MGE_UPS_SYSTEMS__Evolution_650__newhidups__2.0.5__01.dev",
];

const USERS = "[admin]\n\tpassword = pw\n\tactions = SET\n\tinstcmds = ALL\n";

async function stack(sb: Sandbox, which: "real" | "ours") {
  const sections = DUMPS.map((d, i) => ({
    name: `u${i}`,
    driver: "dummy-ups",
    port: `${SHARED}data/ddl/${d}`,
  }));
  const port = writeConfs(sb, sections);
  sb.writeConf("upsd.users", USERS);
  const drivers = sections.map((s) => startDriver(sb, which, s.name));
  for (const s of sections) await waitSocket(sb, "dummy-ups", s.name);
  const upsd = await startRealUpsd(sb);
  for (const s of sections) await upscWhenReady(`${s.name}@127.0.0.1:${port}`);
  return {
    port,
    async [Symbol.asyncDispose]() {
      await upsd[Symbol.asyncDispose]();
      await Promise.all(drivers.map((d) => d[Symbol.asyncDispose]()));
    },
  };
}

async function client(argv: string[]): Promise<string> {
  const r = await run(argv, { timeout: 15_000 });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
}

compatTest("upsrw/upscmd through real upsd: nut dummy-ups = real dummy-ups", async (t) => {
  await using realSb = makeSandbox("nut-rw-real-");
  await using ourSb = makeSandbox("nut-rw-ours-");
  await using real = await stack(realSb, "real");
  await using ours = await stack(ourSb, "ours");
  for (let i = 0; i < DUMPS.length; i++) {
    await t.step(`upsrw and upscmd -l of ${DUMPS[i]}`, async () => {
      for (const argv of [[REAL.upsrw], [REAL.upscmd, "-l"]]) {
        const [want, got] = await Promise.all([
          client([...argv, `u${i}@127.0.0.1:${real.port}`]),
          client([...argv, `u${i}@127.0.0.1:${ours.port}`]),
        ]);
        assert.equal(got, want);
        assert.ok(want.length > 40);
      }
    });
  }
  await t.step("upsrw -s, upscmd and the resulting listings", async () => {
    const sets = [
      "ups.serial=Rack 7",
      "battery.charge=42",
      "battery.charge.warning=",
      "experimental.new=x",
      "ups.status=OB",
    ];
    const replies: Record<string, string[]> = { real: [], ours: [] };
    for (const [side, p] of [["real", real.port], ["ours", ours.port]] as const) {
      for (const s of sets) {
        replies[side]!.push(
          await client([REAL.upsrw, "-s", s, "-u", "admin", "-p", "pw", `u0@127.0.0.1:${p}`]),
        );
      }
      replies[side]!.push(
        await client([REAL.upscmd, "-u", "admin", "-p", "pw", `u0@127.0.0.1:${p}`, "load.off"]),
      );
      // a driver applies SETs at its next poll, not necessarily all in one: wait for the last
      await waitFor(async () => {
        const serial = await run([REAL.upsc, `u0@127.0.0.1:${p}`, "ups.serial"]);
        const status = await run([REAL.upsc, `u0@127.0.0.1:${p}`, "ups.status"]);
        return serial.stdout === "Rack 7\n" && status.stdout === "OB\n";
      }, { timeout: 15_000, what: `SETs applied (${side})` });
    }
    assert.deepEqual(replies.ours, replies.real);
    const [want, got] = await Promise.all([
      upscWhenReady(`u0@127.0.0.1:${real.port}`),
      upscWhenReady(`u0@127.0.0.1:${ours.port}`),
    ]);
    assert.equal(got, want);
    const [rwWant, rwGot] = await Promise.all([
      client([REAL.upsrw, `u0@127.0.0.1:${real.port}`]),
      client([REAL.upsrw, `u0@127.0.0.1:${ours.port}`]),
    ]);
    assert.equal(rwGot, rwWant);
  });
});
