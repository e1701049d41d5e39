/**
 * `nut upslog` vs Debian's upslog: same lines for the same format and data
 * (time fields normalised), the same behaviour through an upsd restart and a
 * logrotate-style rename + SIGHUP (no line lost), plus cron and CSV/JSON modes.
 * @module
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { type Daemon, nutArgv, run, spawnDaemon } from "../_helpers/process.ts";
import { REAL } from "../_helpers/real_nut.ts";
import { waitFor } from "../_helpers/wait.ts";
import { type ClientPair, runOurs, runReal, startClientPair } from "./clients_harness.ts";

const FORMAT = "%UPSHOST% %VAR battery.charge% [%VAR ups.status%] %VAR ups.mfr% " +
  "%VAR ups.model% %VAR nope.x% %VAR nodot% %bogus% %% %xpid% %time @Y%";

function lines(path: string): string[] {
  try {
    return Deno.readTextFileSync(path).split("\n").slice(0, -1);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/**
 * Starts a real or our upslog in the foreground with a file log. `-u root`:
 * Debian's upslog otherwise drops to user nut and cannot reopen logs here.
 */
function startLogger(
  who: "real" | "ours",
  pair: ClientPair,
  args: string[],
  name: string,
): Daemon {
  const pid = pair.sandbox.path(`${name}.pid`);
  const argv = who === "real"
    ? [REAL.upslog, "-F", "-u", "root", "-p", pid, ...args]
    : [...nutArgv(), "upslog", "-F", "-u", "root", "-p", pid, ...args];
  return spawnDaemon(argv, { env: pair.sandbox.env });
}

compatTest("nut upslog writes the same lines as upslog for the same format and data", async (t) => {
  await using pair = await startClientPair();
  const h = `127.0.0.1:${pair.realPort}`;
  const year = String(new Date().getFullYear());
  await t.step("a format with every kind of escape", async () => {
    const files = { real: pair.sandbox.path("real.log"), ours: pair.sandbox.path("ours.log") };
    {
      await using _r = startLogger("real", pair, [
        "-s",
        `test@${h}`,
        "-l",
        files.real,
        "-i",
        "1",
        "-f",
        FORMAT,
      ], "r");
      await using _o = startLogger("ours", pair, [
        "-s",
        `test@${h}`,
        "-l",
        files.ours,
        "-i",
        "1",
        "-f",
        FORMAT,
      ], "o");
      await waitFor(() => lines(files.real).length >= 3 && lines(files.ours).length >= 3, {
        timeout: 20_000,
        what: "three lines from each",
      });
    }
    const real = lines(files.real), ours = lines(files.ours);
    assert.equal(
      real[0],
      `test@${h} 100 [OL] Acme "Power" \\ Co Model#7 NA INVALID INVALID % INVALID ${year}`,
    );
    assert.deepEqual(new Set(ours), new Set(real));
  });
  await t.step("NUT's default format, time normalised; stdout mode banner and stderr", async () => {
    const args = ["-s", `test@${h}`, "-l", "-", "-i", "1"];
    const norm = (s: string) => s.replace(/^\d{8} \d{6} /gm, "<TIME> ");
    const outs: Record<string, string> = {};
    const errs: Record<string, string> = {};
    for (const who of ["real", "ours"] as const) {
      await using d = startLogger(who, pair, args, `d-${who}`);
      await d.waitForOutput(/\n<?\d{8} \d{6} .*\n.*\d{8} \d{6} .*\n/, { timeout: 20_000 });
      d.kill("SIGTERM");
      await d.status;
      outs[who] = norm(d.stdout()).split("\n").slice(0, 3).join("\n");
      errs[who] = d.stderr();
    }
    assert.equal(outs.ours, outs.real);
    assert.equal(
      outs.real,
      `Network UPS Tools upslog 2.8.0\nlogging status of test@${h} to - (1s intervals)\n` +
        "<TIME> 100 230.0 15 [OL] 30.0 50.0",
    );
    assert.equal(errs.ours, errs.real);
    assert.equal(errs.real, "Init SSL without certificate database\nSignal 15: exiting\n");
  });
  await t.step("start-up messages and errors", async () => {
    for (
      const args of [
        ["-h"],
        ["a", "b"],
        [],
        ["-s", `test@${h}`],
        ["-l", "-"],
        ["-s", "x@", "-l", "-"],
        ["-s", `test@${h}`, "-l", "/nonexistent/dir/x.log"],
        ["-V"],
      ]
    ) {
      assert.deepEqual(
        await runOurs("upslog", args),
        await runReal("upslog", args),
        args.join(" "),
      );
    }
  });
});

compatTest(
  "nut upslog keeps logging through an upsd restart, like upslog (NA while down)",
  async () => {
    await using pair = await startClientPair();
    const h = `127.0.0.1:${pair.realPort}`;
    const files = {
      real: pair.sandbox.path("real.log"),
      ours: pair.sandbox.path("ours.log"),
      oursOnOurs: pair.sandbox.path("ours-on-ours.log"),
    };
    const fmt = "%VAR ups.status% %VAR battery.charge%";
    // and ours against nut upsd, restarted at the same time
    await using _oo = startLogger("ours", pair, [
      "-s",
      `test@127.0.0.1:${pair.ourPort}`,
      "-l",
      files.oursOnOurs,
      "-i",
      "1",
      "-f",
      fmt,
    ], "oo");
    await using _r = startLogger("real", pair, [
      "-s",
      `test@${h}`,
      "-l",
      files.real,
      "-i",
      "1",
      "-f",
      fmt,
    ], "r");
    await using _o = startLogger("ours", pair, [
      "-s",
      `test@${h}`,
      "-l",
      files.ours,
      "-i",
      "1",
      "-f",
      fmt,
    ], "o");
    const both = (pred: (l: string[]) => boolean) =>
      pred(lines(files.real)) && pred(lines(files.ours)) && pred(lines(files.oursOnOurs));
    await waitFor(() => both((l) => l.includes("OL 100")), { timeout: 20_000, what: "data lines" });
    await pair.stopUpsd("real");
    await pair.stopUpsd("ours");
    await waitFor(() => both((l) => l.includes("NA NA")), { timeout: 20_000, what: "NA lines" });
    await pair.startUpsd("real");
    await pair.startUpsd("ours");
    await waitFor(() => both((l) => l.lastIndexOf("OL 100") > l.indexOf("NA NA")), {
      timeout: 30_000,
      what: "data lines after the restart",
    });
    for (const f of Object.values(files)) {
      const text = Deno.readTextFileSync(f);
      assert.ok(text.endsWith("\n"));
      // WAIT: upsd's placeholder status while a reconnected driver's dump is
      // still arriving (NUT 2.8.0 shows it too); never a partial or lost line
      for (const l of lines(f)) assert.match(l, /^(OL 100|WAIT (100|NA)|NA NA)$/);
    }
  },
);

compatTest(
  "nut upslog loses no line across logrotate-style renames + SIGHUP (same count as upslog)",
  async () => {
    await using pair = await startClientPair();
    const h = `127.0.0.1:${pair.realPort}`;
    const counts: Record<string, number> = {};
    for (const who of ["real", "ours"] as const) {
      const base = pair.sandbox.path(`${who}-rot.log`);
      // a long interval: only start-up, SIGHUP and SIGTERM produce lines
      const d = startLogger(who, pair, [
        "-s",
        `test@${h}`,
        "-l",
        base,
        "-i",
        "3600",
        "-f",
        "%VAR ups.status%",
      ], `rot-${who}`);
      await waitFor(() => lines(base).length === 1, { what: `${who} first line` });
      for (let i = 1; i <= 3; i++) {
        Deno.renameSync(base, `${base}.${i}`);
        d.kill("SIGHUP");
        const what = `${who} line after rotation ${i}`;
        // NUT's upslog may sleep through a SIGHUP that lands between its flag
        // check and sleep() (seen once under a loaded full run): nudge it
        // again, as an admin would. Ours must answer the first one.
        for (let nudge = 0; who === "real" && nudge < 2 && lines(base).length !== 1; nudge++) {
          const answered = await waitFor(() => lines(base).length === 1, { timeout: 5_000, what })
            .then(() => true, () => false);
          if (!answered) d.kill("SIGHUP");
        }
        await waitFor(() => lines(base).length === 1, { what });
      }
      d.kill("SIGTERM");
      await d.status;
      await d[Symbol.asyncDispose]();
      const all = [base, `${base}.1`, `${base}.2`, `${base}.3`].map((f) =>
        Deno.readTextFileSync(f)
      );
      for (const text of all) assert.match(text, /^(OL\n)+$/);
      counts[who] = all.reduce((n, text) => n + text.split("\n").length - 1, 0);
      assert.equal(lines(`${base}.1`).length, 1);
      assert.equal(lines(base).length, 2, "the SIGHUP line plus the one NUT writes on SIGTERM");
    }
    assert.equal(counts.ours, counts.real);
    assert.equal(counts.ours, 5);
  },
);

compatTest("nut upslog --once writes exactly one line per UPS; --format csv/json", async () => {
  await using pair = await startClientPair();
  const h = `127.0.0.1:${pair.realPort}`;
  const once = await runOurs("upslog", [
    "--once",
    "-m",
    `test@${h},-`,
    "-m",
    `fake@${h},-`,
    "-f",
    "%UPSHOST% %VAR battery.charge%",
  ]);
  assert.deepEqual(once, { code: 0, stdout: `test@${h} 100\nfake@${h} 87\n`, stderr: "" });
  const down = await runOurs("upslog", [
    "--once",
    "-s",
    "test@127.0.0.1:1",
    "-l",
    "-",
    "-f",
    "[%VAR ups.status%]",
  ]);
  assert.deepEqual(down, { code: 0, stdout: "[NA]\n", stderr: "" });
  const csvFile = pair.sandbox.path("log.csv");
  for (let i = 0; i < 2; i++) {
    const r = await runOurs("upslog", [
      "--once",
      "--format",
      "csv",
      "-s",
      `test@${h}`,
      "-l",
      csvFile,
      "-f",
      "%VAR ups.status% %VAR ups.mfr%",
    ]);
    assert.equal(r.code, 0);
  }
  assert.equal(
    Deno.readTextFileSync(csvFile),
    `ups,ups.status,ups.mfr\ntest@${h},OL,"Acme ""Power"" \\ Co"\ntest@${h},OL,"Acme ""Power"" \\ Co"\n`,
  );
  const json = await run([
    ...nutArgv(),
    "upslog",
    "--once",
    "--format=json",
    "-s",
    "test@127.0.0.1:1",
    "-l",
    "-",
  ]);
  const rec = JSON.parse(json.stdout);
  assert.equal(rec.ups, "test@127.0.0.1:1");
  assert.equal(rec["battery.charge"], null);
  assert.equal(rec.error, "Connection failure: Connection refused");
  assert.match(rec.time, /^\d{8} \d{6}$/);
});
