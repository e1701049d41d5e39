/**
 * `nut upsc` vs Debian's /bin/upsc, both against Debian's upsd, then ours
 * against `nut upsd`: identical stdout, stderr and exit code for every form.
 * @module
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { NutClient } from "../../core/client/client.ts";
import { freePort } from "../_helpers/ports.ts";
import { expand, runOurs, runReal, startClientPair, waitStale } from "./clients_harness.ts";

/** Every form, including errors; {H} = the server, {DEAD} = a closed port. */
const CASES: readonly string[][] = [
  ["test@{H}"],
  ["test@{H}", "ups.status"],
  ["test@{H}", "ups.mfr"],
  ["test@{H}", "ups.model"],
  ["TEST@{H}", "battery.charge"],
  ["fake@{H}"],
  ["fake@{H}", "device.model"],
  ["nope@{H}"],
  ["nope@{H}", "ups.status"],
  ["test@{H}", "ups.bad"],
  ["test@{H}", "nodot"],
  ["test@{H}", "server.version"],
  ["ghost@{H}"],
  ["ghost@{H}", "ups.status"],
  ["-l", "{H}"],
  ["-L", "{H}"],
  ["-c", "test@{H}"],
  ["-c", "nope@{H}"],
  ["-c", "ghost@{H}"],
  ["-l", "127.0.0.1:{DEAD}"],
  ["test@127.0.0.1:{DEAD}"],
  ["test@127.0.0.1:{DEAD}", "ups.status"],
  ["test@nonexistent.invalid"],
  ["-l", "nonexistent.invalid:{P}"],
  ["test@127.0.0.1:"],
  ["test@127.0.0.1:0"],
  ["test@[::1"],
  ["-l", "127.0.0.1:99999"],
  ["-L", "[::1"],
  ["test@"],
  ["-l"],
  ["-L"],
  [],
  ["-c"],
  ["-h"],
  ["-V"],
  ["-z"],
  ["-lz"],
];

compatTest("nut upsc matches Debian's upsc for every form, against both upsds", async (t) => {
  await using pair = await startClientPair();
  const dead = freePort();
  let compared = 0;
  for (const c of CASES) {
    await t.step(c.join(" ") || "(no arguments)", async () => {
      const real = await runReal("upsc", expand(c, pair.realPort, dead));
      const ours = await runOurs("upsc", expand(c, pair.realPort, dead));
      assert.deepEqual(ours, real, "nut upsc vs upsc, both against Debian's upsd");
      const oursOnOurs = await runOurs("upsc", expand(c, pair.ourPort, dead));
      assert.deepEqual(oursOnOurs, real, "nut upsc against nut upsd vs upsc against upsd");
      compared += 2;
    });
  }
  await t.step("-c with a logged-in client (a upsmon session)", async () => {
    const sessions = [];
    for (const port of [pair.realPort, pair.ourPort]) {
      const c = await NutClient.connect({ host: "127.0.0.1", port });
      await c.username("mon");
      await c.password("mpw");
      await c.login("test");
      sessions.push(c);
    }
    try {
      const c = ["-c", "test@{H}"];
      const real = await runReal("upsc", expand(c, pair.realPort, dead));
      assert.equal(real.stdout, "127.0.0.1\n");
      assert.deepEqual(await runOurs("upsc", expand(c, pair.realPort, dead)), real);
      assert.deepEqual(await runOurs("upsc", expand(c, pair.ourPort, dead)), real);
      compared += 2;
    } finally {
      for (const s of sessions) await s.logout();
    }
  });
  await t.step("data stale (driver frozen)", async () => {
    pair.freezeStaleDriver();
    await waitStale(pair.realPort, "stale");
    await waitStale(pair.ourPort, "stale");
    for (const c of [["stale@{H}"], ["stale@{H}", "ups.status"], ["-c", "stale@{H}"]]) {
      const real = await runReal("upsc", expand(c, pair.realPort, dead));
      assert.match(real.stderr, /Data stale|^Init SSL/);
      assert.deepEqual(await runOurs("upsc", expand(c, pair.realPort, dead)), real);
      assert.deepEqual(await runOurs("upsc", expand(c, pair.ourPort, dead)), real);
      compared += 2;
    }
  });
  Deno.stderr.writeSync(
    new TextEncoder().encode(`upsc: ${compared} of ${compared} comparisons identical\n`),
  );
});

compatTest("nut upsc -j/--json prints NUT 2.8.5's JSON for each form", async () => {
  await using pair = await startClientPair();
  const h = `127.0.0.1:${pair.realPort}`;
  const vars = await runOurs("upsc", ["-j", `test@${h}`]);
  const plain = await runReal("upsc", [`test@${h}`]);
  const parsed = JSON.parse(vars.stdout) as Record<string, string>;
  const expected = Object.fromEntries(
    plain.stdout.trimEnd().split("\n").map((
      l,
    ) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
  );
  assert.deepEqual(parsed, expected);
  assert.ok(vars.stdout.startsWith('{\n  "battery.charge": "100",\n'));
  assert.equal(
    (await runOurs("upsc", ["--json", `test@${h}`, "ups.mfr"])).stdout,
    '"Acme \\"Power\\" \\\\ Co"\n',
  );
  assert.equal(
    (await runOurs("upsc", ["-j", "-l", h])).stdout,
    '[\n  "test",\n  "fake",\n  "stale",\n  "ghost"\n]\n',
  );
  assert.equal(
    (await runOurs("upsc", ["-jL", h])).stdout,
    '{\n  "test": "Test UPS",\n  "fake": "Description unavailable",\n  "stale": "Description unavailable",\n  "ghost": "No driver"\n}\n',
  );
  const err = await runOurs("upsc", ["-j", `nope@${h}`, "ups.status"]);
  assert.deepEqual(err, {
    code: 1,
    stdout: '{"error": "Unknown UPS"}\n',
    stderr: "Init SSL without certificate database\nError: Unknown UPS\n",
  });
  assert.equal(
    (await runOurs("upsc", ["-j", `nope@${h}`])).stdout,
    '{\n  "error": "Unknown UPS"\n}\n',
  );
  assert.equal((await runOurs("upsc", ["-j", "-c", `test@${h}`])).stdout, "[\n\n]\n");
});

compatTest(
  "the clients against nut dummy + nut upsd match Debian's against dummy-ups + upsd",
  async (t) => {
    await using reference = await startClientPair();
    await using ours = await startClientPair({ drivers: "ours" });
    const dead = freePort();
    const cases: [("upsc" | "upscmd" | "upsrw"), string[]][] = [
      ...CASES.map((c) => ["upsc", c] as ["upsc", string[]]),
      ["upscmd", ["-l", "test@{H}"]],
      ["upsrw", ["test@{H}"]],
      ["upsrw", ["-s", "ups.delay.shutdown=20", "-u", "admin", "-p", "secret", "test@{H}"]],
      ["upscmd", ["-u", "noset", "-p", "pw", "test@{H}", "load.off"]],
    ];
    // Known difference of nut dummy (not of the clients), reported to its owner:
    // Debian's dummy-ups shows device.mfr/device.model (copied from ups.*) escaped
    // twice (`Acme \\"Power\\" \\\\ Co`); nut dummy shows them escaped once.
    const knownDummyDiff = (o: { stdout: string }) => ({
      ...o,
      stdout: o.stdout.replace(/^device\.(mfr|model): .*\n/gm, ""),
    });
    let compared = 0;
    for (const [prog, c] of cases) {
      await t.step(`${prog} ${c.join(" ")}`, async () => {
        const real = await runReal(prog, expand(c, reference.realPort, dead));
        const got = await runOurs(prog, expand(c, ours.ourPort, dead));
        if (prog === "upsc" && c.length === 1 && c[0] === "test@{H}") {
          assert.deepEqual(knownDummyDiff(got), knownDummyDiff(real));
        } else assert.deepEqual(got, real);
        compared++;
      });
    }
    Deno.stderr.writeSync(
      new TextEncoder().encode(`nut dummy + nut upsd: ${compared} of ${compared} identical\n`),
    );
  },
);
