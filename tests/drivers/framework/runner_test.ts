import assert from "node:assert/strict";
import { runDriver } from "../../../drivers/framework/runner.ts";
import type {
  Driver,
  DriverContext,
  DriverModule,
  TrackingResult,
} from "../../../drivers/framework/driver.ts";
import { TRACKING_RESULT } from "../../../drivers/framework/driver.ts";
import { memoryIo } from "../../../cli/io.ts";
import { makeSandbox } from "../../_helpers/sandbox.ts";
import { waitFor } from "../../_helpers/wait.ts";
import { observe } from "../_link_observer.ts";

/** A tiny driver: a counter that moves on every update. */
function counterDriver(calls: string[]): DriverModule {
  let n = 0;
  const driver: Driver = {
    init(ctx: DriverContext) {
      ctx.state.setInfo("ups.status", "OL");
      ctx.state.setInfo("ups.mfr", "Counter Inc");
      ctx.state.setInfo("experimental.count", "0");
      ctx.state.setFlags("experimental.count", ["RW", "NUMBER"]);
      ctx.state.addCmd("test.battery.start");
      ctx.dataOk();
      return Promise.resolve();
    },
    update(ctx: DriverContext) {
      ctx.state.setInfo("experimental.count", String(++n));
      return Promise.resolve();
    },
    instcmd(_ctx: DriverContext, cmd: string, param?: string): Promise<TrackingResult> {
      calls.push(`instcmd ${cmd} ${param ?? "-"}`);
      return Promise.resolve(
        cmd === "test.battery.start" ? TRACKING_RESULT.handled : TRACKING_RESULT.unknown,
      );
    },
    setvar(ctx: DriverContext, name: string, value: string): Promise<TrackingResult> {
      calls.push(`setvar ${name} ${value}`);
      if (!ctx.state.has(name)) return Promise.resolve(TRACKING_RESULT.unknown);
      ctx.state.setInfo(name, value);
      return Promise.resolve(TRACKING_RESULT.handled);
    },
    close() {},
  };
  return {
    info: { name: "counter-ups", description: "Counter test driver", version: "1.0", vars: [] },
    create: () => driver,
  };
}

Deno.test("runDriver() serves the driver socket: dump, broadcasts, SET/INSTCMD with TRACKING", async () => {
  await using sb = makeSandbox("nut-runner-");
  const calls: string[] = [];
  const io = memoryIo({ env: sb.env });
  const stop = new AbortController();
  const done = runDriver(
    counterDriver(calls),
    ["-s", "c1", "-x", "port=none", "-x", "default.ups.id=def", "-i", "1", "-F"],
    io,
    { signal: stop.signal, handleSignals: false },
  );
  const sock = `${sb.statePath}/counter-ups-c1`;
  try {
    await waitFor(() => Deno.statSync(sock).isSocket, { what: "socket" });
    assert.equal(Deno.statSync(sock).mode! & 0o777, 0o660);
    await using obs = await observe(sock);
    const s = obs.state;
    assert.equal(s.getValue("driver.name"), "counter-ups");
    assert.equal(s.getValue("driver.parameter.port"), "none");
    assert.equal(s.getValue("driver.parameter.pollinterval"), "1");
    assert.equal(s.getValue("device.mfr"), "Counter Inc");
    assert.equal(s.getValue("ups.id"), "def");
    assert.deepEqual(s.get("experimental.count")?.flags, ["RW", "NUMBER"]);
    assert.equal(s.stale, false);
    // broadcasts keep the mirror current
    const seen = Number(s.getValue("experimental.count"));
    await waitFor(() => Number(s.getValue("experimental.count")) > seen, { what: "broadcast" });
    // tracked SET and INSTCMD
    await obs.send('SET ups.mfr "New \\"Mfr\\"" TRACKING t-1\n');
    await obs.send("INSTCMD test.battery.start TRACKING t-2\n");
    await obs.send("INSTCMD nope.cmd 5 TRACKING t-3\n");
    await obs.send("SET driver.flag.allow_killpower 1 TRACKING t-4\n");
    await obs.send("INSTCMD driver.killpower TRACKING t-5\n");
    await waitFor(() => obs.lines.includes("TRACKING t-5 2"), { what: "tracking replies" });
    assert.ok(obs.lines.includes("TRACKING t-1 0"));
    assert.ok(obs.lines.includes("TRACKING t-2 0"));
    assert.ok(obs.lines.includes("TRACKING t-3 1"));
    assert.ok(obs.lines.includes("TRACKING t-4 0"));
    assert.equal(s.getValue("ups.mfr"), 'New "Mfr"');
    assert.deepEqual(calls.slice(0, 3), [
      'setvar ups.mfr New "Mfr"',
      "instcmd test.battery.start -",
      "instcmd nope.cmd 5",
    ]);
    // garbage and malformed lines never hurt the driver
    await obs.send("\x00\xff\nINSTCMD a b c\nSET x y z w\nBOGUS\n\n  \nPING\n");
    await waitFor(() => obs.lines.filter((l) => l === "PONG").length === 1, { what: "PONG" });
    await obs.send("GETPID\nDUMPVALUE ups.status\n");
    await waitFor(() => obs.lines.includes(`PID ${Deno.pid}`), { what: "PID" });
    // NOBROADCAST stops updates to this connection
    await obs.send("NOBROADCAST\nPING\n");
    await waitFor(() => obs.lines.filter((l) => l === "PONG").length === 2, { what: "PONG 2" });
    const frozen = obs.lines.length;
    await using other = await observe(sock);
    const before = Number(other.state.getValue("experimental.count"));
    await waitFor(() => Number(other.state.getValue("experimental.count")) > before, {
      what: "update on the other connection",
    });
    assert.equal(obs.lines.length, frozen);
    // LOGOUT says goodbye and closes
    await obs.send("LOGOUT\n");
    await waitFor(() => obs.lines.includes("OK Goodbye"), { what: "goodbye" });
  } finally {
    stop.abort();
  }
  assert.equal(await done, 0);
  assert.throws(() => Deno.statSync(sock), Deno.errors.NotFound);
});

Deno.test("runDriver() -d prints the sorted data tree like NUT's dstate_dump", async () => {
  await using sb = makeSandbox("nut-runner-");
  const io = memoryIo({ env: sb.env });
  const code = await runDriver(
    counterDriver([]),
    ["-s", "c2", "-x", "port=p", "-x", 'override.ups.mfr=A#"B', "-d", "2"],
    io,
    { handleSignals: false },
  );
  assert.equal(code, 0);
  const out = io.out.join("");
  assert.match(out, /^Network UPS Tools - Counter test driver 1\.0 \(2\.8\.0\)\n/);
  const lines = out.split("\n").slice(1, -1);
  assert.deepEqual(lines, [...lines].sort((a, b) => a.localeCompare(b, "en")));
  assert.ok(lines.includes("experimental.count: 4"), "initial update + 3 more for -d 2");
  assert.ok(lines.includes('ups.mfr: A\\#\\"B'), "values escaped, override kept");
  assert.ok(lines.includes('device.mfr: A\\#\\"B'));
  assert.throws(() => Deno.statSync(`${sb.statePath}/counter-ups-c2`), Deno.errors.NotFound);
});

Deno.test("runDriver() rejects what NUT rejects, with NUT's texts", async (t) => {
  await using sb = makeSandbox("nut-runner-");
  sb.writeConf("ups.conf", "[u]\n\tdriver = other-ups\n\tport = x\n");
  const cases: [string[], number, RegExp][] = [
    [[], 1, /specifying '-a id' or '-s id' is now mandatory/],
    [["-s", "x"], 1, /you must specify a port name/],
    [["-a", "u"], 1, /UPS \[u\] is for driver other-ups, but I'm counter-ups!/],
    [["-a", "nope"], 1, /Section nope not found in ups\.conf/],
    [["-s", "x", "-x", "port=1", "-x", "bogus=1"], 0, /'bogus' is not a valid variable name/],
    [["-s", "x", "-x", "port=1", "-i", "0"], 1, /invalid pollinterval: 0/],
    [["-s", "x", "-x", "port=1", "extra"], 1, /too many non-option arguments/],
  ];
  for (const [args, code, re] of cases) {
    await t.step(args.join(" ") || "(none)", async () => {
      const io = memoryIo({ env: sb.env });
      assert.equal(await runDriver(counterDriver([]), args, io, { handleSignals: false }), code);
      assert.match(io.out.join("") + io.err.join(""), re);
    });
  }
});

Deno.test("a peer that never reads is dropped; the driver keeps serving the others", async () => {
  await using sb = makeSandbox("nut-runner-");
  const stop = new AbortController();
  const io = memoryIo({ env: sb.env });
  const done = runDriver(counterDriver([]), ["-s", "c3", "-x", "port=p", "-F"], io, {
    signal: stop.signal,
    handleSignals: false,
  });
  const sock = `${sb.statePath}/counter-ups-c3`;
  try {
    await waitFor(() => Deno.statSync(sock).isSocket, { what: "socket" });
    const greedy = await Deno.connect({ transport: "unix", path: sock });
    const burst = new TextEncoder().encode("DUMPALL\n".repeat(2000));
    let writeError: unknown;
    try {
      // ~50 000 dumps requested, none read: far over the 8 MB a peer may leave unread
      for (let i = 0; i < 25; i++) await greedy.write(burst);
    } catch (e) {
      writeError = e; // the driver hung up on us: that is the point
    }
    await waitFor(() => io.err.join("").includes("bytes unread"), { what: "the drop logged" });
    assert.ok(
      writeError === undefined || writeError instanceof Deno.errors.BrokenPipe ||
        writeError instanceof Deno.errors.ConnectionReset,
    );
    greedy.close();
    await using obs = await observe(sock);
    assert.equal(obs.state.getValue("ups.mfr"), "Counter Inc");
  } finally {
    stop.abort();
  }
  assert.equal(await done, 0);
});
