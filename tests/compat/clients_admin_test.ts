/**
 * `nut upscmd` and `nut upsrw` vs Debian's, against Debian's upsd and
 * against `nut upsd`: identical bytes and exit codes for listings, runs,
 * prompts, tracking and access-control failures; SET effects seen by upsc.
 * @module
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { freePort } from "../_helpers/ports.ts";
import { waitFor } from "../_helpers/wait.ts";
import { expand, type Outcome, runOurs, runReal, startClientPair } from "./clients_harness.ts";

type Case = { args: string[]; stdin?: string };

const ADMIN = ["-u", "admin", "-p", "secret"];

const UPSCMD: readonly Case[] = [
  { args: ["-l", "test@{H}"] },
  { args: ["-l", "fake@{H}"] },
  { args: ["-l", "nope@{H}"] },
  { args: ["-l", "ghost@{H}"] },
  { args: ["-l", "x@127.0.0.1:{DEAD}"] },
  { args: ["-l", "x@"] },
  { args: [...ADMIN, "test@{H}", "load.off"] },
  { args: [...ADMIN, "fake@{H}", "test.battery.start", "10"] },
  { args: [...ADMIN, "-w", "fake@{H}", "load.off"] },
  { args: [...ADMIN, "-w", "-t", "0", "fake@{H}", "load.off"] },
  { args: [...ADMIN, "-w", "test@{H}", "load.off"] },
  { args: ["-u", "noset", "-p", "pw", "test@{H}", "load.off"] },
  { args: ["-u", "noset", "-p", "pw", "fake@{H}", "test.battery.start"] },
  { args: ["-u", "admin", "-p", "wrong", "test@{H}", "load.off"] },
  { args: ["-u", "nobody", "-p", "x", "test@{H}", "load.off"] },
  { args: [...ADMIN, "test@{H}", "nope.cmd"] },
  { args: [...ADMIN, "test@{H}", "nodot"] },
  { args: [...ADMIN, "test@{H}"] },
  { args: [...ADMIN, "nope@{H}", "load.off"] },
  { args: [...ADMIN, "ghost@{H}", "load.off"] },
  { args: [...ADMIN, "x@127.0.0.1:{DEAD}", "load.off"] },
  { args: ["test@{H}", "load.off"], stdin: "admin\nsecret\n" },
  { args: ["-p", "secret", "test@{H}", "load.off"], stdin: "\n" },
  { args: ["-p", "secret", "test@{H}", "load.off"], stdin: "" },
  { args: [] },
  { args: ["-h"] },
  { args: ["-V"] },
  { args: ["-z"] },
  { args: ["-t", "abc", "x", "y"] },
];

const UPSRW: readonly Case[] = [
  { args: ["test@{H}"] },
  { args: ["fake@{H}"] },
  { args: ["-l", "fake@{H}"] },
  { args: ["nope@{H}"] },
  { args: ["ghost@{H}"] },
  { args: ["x@127.0.0.1:{DEAD}"] },
  { args: ["-s", "ups.delay.shutdown", "-l", "test@{H}"] },
  { args: ["-s", "ups.id=abc", ...ADMIN, "-w", "fake@{H}"] },
  { args: ["-s", "ups.id=far-too-long", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "input.transfer.low=999", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "input.transfer.low=180", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "input.transfer.high=255", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "input.transfer.high=295", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "ups.badaux=x", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "ups.status=OB", ...ADMIN, "fake@{H}"] },
  { args: ["-s", "battery.charge=5", "-u", "noset", "-p", "pw", "test@{H}"] },
  { args: ["-s", "battery.charge=5", "-u", "setonly", "-p", "wrong", "test@{H}"] },
  { args: ["-s", "ups.nope=1", ...ADMIN, "test@{H}"] },
  { args: ["-s", "nodot=1", ...ADMIN, "test@{H}"] },
  { args: ["-s", "ups.delay.shutdown=30", ...ADMIN, "nope@{H}"] },
  { args: ["-s", "ups.delay.shutdown=30", ...ADMIN, "ghost@{H}"] },
  { args: ["-s", "ups.delay.shutdown=25", "-p", "secret", "test@{H}"], stdin: "admin\n" },
  { args: ["-s", "ups.delay.shutdown", ...ADMIN, "test@{H}"], stdin: "25\n" },
  { args: ["-s", 'ups.mfr=Acme "Power" \\ Co', ...ADMIN, "test@{H}"] },
  { args: [] },
  { args: ["-h"] },
  { args: ["-V"] },
  { args: ["-z"] },
  { args: ["-t", "x", "a"] },
];

compatTest("nut upscmd and nut upsrw match Debian's, against both upsds", async (t) => {
  await using pair = await startClientPair();
  const dead = freePort();
  let compared = 0;
  for (const [prog, cases] of [["upscmd", UPSCMD], ["upsrw", UPSRW]] as const) {
    for (const c of cases) {
      await t.step(`${prog} ${c.args.join(" ")}${c.stdin ? " <stdin>" : ""}`, async () => {
        const opts = c.stdin === undefined ? {} : { stdin: c.stdin };
        const real = await runReal(prog, expand(c.args, pair.realPort, dead), opts);
        const ours = await runOurs(prog, expand(c.args, pair.realPort, dead), opts);
        assert.deepEqual(ours, real, `nut ${prog} vs ${prog}, both against Debian's upsd`);
        const onOurs = await runOurs(prog, expand(c.args, pair.ourPort, dead), opts);
        assert.deepEqual(onOurs, real, `nut ${prog} against nut upsd vs ${prog} against upsd`);
        compared += 2;
      });
    }
  }
  Deno.stderr.writeSync(
    new TextEncoder().encode(`upscmd+upsrw: ${compared} of ${compared} comparisons identical\n`),
  );
});

compatTest(
  "SET through nut upsrw is visible through upsc; access control texts are NUT's",
  async () => {
    await using pair = await startClientPair();
    for (const port of [pair.realPort, pair.ourPort]) {
      const h = `127.0.0.1:${port}`;
      const set = await runOurs("upsrw", [
        "-s",
        `ups.delay.shutdown=${port % 97}`,
        ...ADMIN,
        `test@${h}`,
      ]);
      assert.deepEqual(set, { code: 0, stdout: "", stderr: "OK\n" });
      await waitFor(async () => {
        const r: Outcome = await runReal("upsc", [`test@${h}`, "ups.delay.shutdown"]);
        return r.stdout === `${port % 97}\n`;
      }, { timeout: 20_000, interval: 300, what: "the new value through upsc" });
      assert.deepEqual(
        await runOurs("upsrw", ["-s", "battery.charge=5", "-u", "noset", "-p", "pw", `test@${h}`]),
        { code: 1, stdout: "", stderr: "Unexpected response from upsd: ERR ACCESS-DENIED\n" },
      );
      assert.deepEqual(
        await runOurs("upscmd", ["-u", "noset", "-p", "pw", `test@${h}`, "load.off"]),
        {
          code: 1,
          stdout: "",
          stderr: "Unexpected response from upsd: ERR ACCESS-DENIED\n",
        },
      );
      // the driver's verdict on an INSTCMD comes back through tracking
      assert.deepEqual(await runOurs("upscmd", [...ADMIN, "-w", `fake@${h}`, "load.off"]), {
        code: 0,
        stdout: "",
        stderr: "ERR FAILED\n",
      });
    }
  },
);

compatTest(
  "nut upscmd -l --json and nut upsrw --json describe the same data as the text forms",
  async () => {
    await using pair = await startClientPair();
    const h = `127.0.0.1:${pair.realPort}`;
    const cmds = JSON.parse((await runOurs("upscmd", ["--json", "-l", `fake@${h}`])).stdout);
    const text = (await runReal("upscmd", ["-l", `fake@${h}`])).stdout.split("\n").slice(2, -1);
    assert.deepEqual(
      cmds.commands.map((c: { name: string; description: string | null }) =>
        c.description === null ? c.name : `${c.name} - ${c.description}`
      ),
      text,
    );
    const rw = JSON.parse((await runOurs("upsrw", ["--json", `fake@${h}`])).stdout);
    const low = rw.variables.find((v: { name: string }) => v.name === "input.transfer.low");
    assert.equal(low.type, "ENUM NUMBER");
    assert.deepEqual(low.options.map((o: { value: string }) => o.value), ["160", "170", "180"]);
    const high = rw.variables.find((v: { name: string }) => v.name === "input.transfer.high");
    assert.deepEqual(high.ranges.map((r: { min: number; max: number }) => [r.min, r.max]), [[
      250,
      290,
    ], [
      300,
      310,
    ]]);
  },
);
