import assert from "node:assert/strict";
import { Upsmon, type UpsmonTarget } from "../../../core/monitor/upsmon.ts";
import { Notifier } from "../../../core/monitor/notify.ts";
import { DEFAULT_SETTINGS, type MonitorSettings } from "../../../core/monitor/settings.ts";
import { lineLogger } from "../../../core/runtime/logger.ts";
import { clientErrorText } from "../../../core/client/errors.ts";
import { NutError } from "../../../core/errors.ts";
import { type FakeUps, fakeUpsd, VirtualClock } from "./_fakes.ts";

const SETTINGS: MonitorSettings = {
  ...DEFAULT_SETTINGS,
  pollFreq: 1,
  pollFreqAlert: 1,
  hostSync: 3,
  deadTime: 4,
  finalDelay: 2,
};

function target(name: string, primary: boolean, pv = 1): UpsmonTarget {
  return {
    system: `${name}@localhost`,
    powerValue: pv,
    primary,
    upsname: name,
    host: "localhost",
    port: 3493,
    username: "u",
    password: "p",
  };
}

function harness(
  ups: Record<string, FakeUps>,
  targets: UpsmonTarget[],
  opts: {
    settings?: Partial<MonitorSettings>;
    stopAfter?: number;
    fsdAfter?: number;
    down?: () => boolean;
  } = {},
) {
  const clock = new VirtualClock();
  const t0 = clock.ms;
  const log: string[] = [];
  const effects: string[] = [];
  const ref: { mon?: Upsmon } = {};
  const stop = (n: number) => {
    if (n >= (opts.stopAfter ?? 1000)) ref.mon?.requestStop();
    if (n === opts.fsdAfter) ref.mon?.requestFsd();
  };
  const upsd = fakeUpsd(ups, {
    down: opts.down ?? (() => false),
    onPoll: stop,
    onConnect: stop,
    now: () => clock.ms,
  });
  const notifier = new Notifier(
    { messages: new Map(), flags: new Map(), notifyCmd: "/bin/note" },
    lineLogger((l) => log.push(l.trimEnd())),
    {
      wall: (t) => effects.push(`WALL ${t.trimEnd()}`),
      exec: () => {},
    },
  );
  const notes: string[] = [];
  notifier.onDelivered = (d) => notes.push(`${d.type} ${d.system ?? ""}`.trim());
  const mon = ref.mon = new Upsmon({ targets, settings: { ...SETTINGS, ...opts.settings } }, {
    clock,
    log: lineLogger((l) => log.push(l.trimEnd())),
    notifier,
    connect: () => upsd.connect(),
    errorText: clientErrorText,
    isUnknownUps: (e) => e instanceof NutError && e.code === "UNKNOWN-UPS",
    host: {
      shutdownCmd: "shutdown -h now",
      powerDownFlag: "/flag",
      writePowerDownFlag: (p) => effects.push(`FLAG ${p} @${(clock.ms - t0) / 1000}s`),
      runShell: (c) => (effects.push(`RUN ${c} @${(clock.ms - t0) / 1000}s`), Promise.resolve(0)),
      wall: (t) => effects.push(`WALL ${t.trimEnd()}`),
    },
  });
  return { mon, upsd, log, effects, notes, clock };
}

Deno.test("Upsmon: a primary on OB LB sets FSD, waits for NUMLOGINS 1, writes the flag, then runs SHUTDOWNCMD once", async () => {
  const h = harness(
    { ups: { statuses: ["OL", "OB", "OB LB"], logins: [3, 2, 1] } },
    [target("ups", true)],
  );
  const end = await h.mon.run();
  assert.equal(end.kind, "shutdown");
  assert.deepEqual(h.notes, [
    "ONBATT ups@localhost",
    "LOWBATT ups@localhost",
    "SHUTDOWN_HOSTSYNC",
    "SHUTDOWN",
  ]);
  const fsd = h.upsd.calls.indexOf("FSD ups");
  assert.ok(
    fsd > 0 && h.upsd.calls.indexOf("GET NUMLOGINS ups") > fsd,
    "FSD before the login wait",
  );
  assert.equal(h.upsd.calls.filter((c) => c === "GET NUMLOGINS ups").length, 3);
  const runs = h.effects.filter((e) => e.startsWith("RUN"));
  assert.equal(runs.length, 1);
  const flagAt = h.effects.findIndex((e) => e.startsWith("FLAG /flag"));
  assert.ok(
    flagAt >= 0 && flagAt < h.effects.indexOf(runs[0]!),
    "POWERDOWNFLAG before SHUTDOWNCMD",
  );
  assert.ok(h.effects.includes("WALL Executing automatic power-fail shutdown"));
  assert.ok(h.log.includes("Executing automatic power-fail shutdown"));
});

Deno.test("Upsmon: HOSTSYNC expires when secondaries never log out", async () => {
  const h = harness({ ups: { statuses: ["OB LB"], logins: [2] } }, [target("ups", true)]);
  const end = await h.mon.run();
  assert.equal(end.kind, "shutdown");
  assert.ok(h.log.includes("Host sync timer expired, forcing shutdown"));
  // 4 checks a second for a bit more than HOSTSYNC (3 s).
  const asks = h.upsd.calls.filter((c) => c.startsWith("GET NUMLOGINS")).length;
  assert.ok(asks >= 12 && asks <= 20, `${asks} NUMLOGINS polls`);
});

Deno.test("Upsmon: a secondary shuts down on FSD without setting FSD itself", async () => {
  const h = harness({ ups: { statuses: ["OL", "FSD OL"] } }, [target("ups", false)]);
  const end = await h.mon.run();
  assert.equal(end.kind, "shutdown");
  assert.ok(!h.upsd.calls.some((c) => c.startsWith("FSD") || c.startsWith("GET NUMLOGINS")));
  assert.deepEqual(h.notes, ["FSD ups@localhost", "SHUTDOWN"]);
});

Deno.test("Upsmon: a dropped connection is re-established without a shutdown", async () => {
  const h = harness(
    { ups: { statuses: ["OL", new Error("Server disconnected"), "OL", "OL", "OL"] } },
    [target("ups", true)],
    { stopAfter: 5 },
  );
  const end = await h.mon.run();
  assert.equal(end.kind, "stopped");
  assert.deepEqual(h.notes, ["COMMBAD ups@localhost", "COMMOK ups@localhost"]);
  assert.ok(h.log.includes("Poll UPS [ups@localhost] failed - Server disconnected"));
  assert.equal(h.upsd.calls.filter((c) => c === "LOGIN ups").length, 2, "logged in again");
});

Deno.test("Upsmon: a refused LOGIN is only logged and polling goes on", async () => {
  const h = harness({ ups: { statuses: ["OL"], denyLogin: true } }, [target("ups", false)], {
    stopAfter: 3,
  });
  const end = await h.mon.run();
  assert.equal(end.kind, "stopped");
  assert.ok(
    h.log.includes("Login on UPS [ups@localhost] failed - got [ERR ACCESS-DENIED]"),
    h.log.join("\n"),
  );
  assert.equal(h.upsd.calls.filter((c) => c === "LOGIN ups").length, 1, "no new login attempts");
  assert.ok(h.upsd.polls() >= 3);
  // NUT skips the poll of the cycle whose login failed.
  const login = h.upsd.calls.indexOf("LOGIN ups");
  const poll = h.upsd.calls.indexOf("GET VAR ups ups.status");
  assert.ok(h.upsd.times[poll]! > h.upsd.times[login]!, "first poll only in the next cycle");
});

Deno.test("Upsmon: upsd unreachable at start gives COMMBAD once, then NOCOMM after NOCOMMWARNTIME", async () => {
  const h = harness({ ups: { statuses: ["OL"] } }, [target("ups", true)], {
    settings: { noCommWarnTime: 10 },
    down: () => true,
    stopAfter: 50,
  });
  await h.mon.run();
  assert.equal(h.notes[0], "COMMBAD ups@localhost");
  assert.ok(h.notes.length > 3, "NOCOMM repeats while the UPS stays unreachable");
  assert.ok(h.notes.slice(1).every((x) => x === "NOCOMM ups@localhost"));
  assert.ok(h.log.some((l) => l.startsWith("UPS [ups@localhost]: connect failed: ")));
});

Deno.test("Upsmon: requestFsd() runs the whole sequence while everything is on line", async () => {
  const h = harness({ ups: { statuses: ["OL"], logins: [1] } }, [target("ups", true)], {
    fsdAfter: 3,
  });
  const end = await h.mon.run();
  assert.equal(end.kind, "shutdown");
  assert.ok(h.log.includes("Signal 10: User requested FSD"));
  assert.ok(h.upsd.calls.includes("FSD ups"));
  assert.deepEqual(h.notes, ["SHUTDOWN_HOSTSYNC", "SHUTDOWN"]);
  assert.equal(h.effects.filter((e) => e.startsWith("RUN")).length, 1);
});

Deno.test("Upsmon: a refused connection (CERTVERIFY without CERTPATH) is logged and counts as lost", async () => {
  const clock = new VirtualClock();
  const log: string[] = [];
  const notes: string[] = [];
  const upsd = fakeUpsd({ ups: { statuses: ["OL"] } });
  const notifier = new Notifier(
    { messages: new Map(), flags: new Map(), notifyCmd: undefined },
    lineLogger(() => {}),
    { wall: () => {}, exec: () => {} },
  );
  notifier.onDelivered = (d) => notes.push(d.type);
  let tries = 0;
  const mon: Upsmon = new Upsmon({ targets: [target("ups", true)], settings: SETTINGS }, {
    clock,
    log: lineLogger((l) => log.push(l.trimEnd())),
    notifier,
    connect: () => upsd.connect(),
    refuseConnect: (t) => {
      if (++tries >= 3) mon.requestStop();
      return [
        "Configuration error: CERTVERIFY is set, but CERTPATH isn't",
        `UPS [${t.system}]: Connection impossible, dropping link`,
      ];
    },
    errorText: clientErrorText,
    isUnknownUps: () => false,
    host: {
      shutdownCmd: undefined,
      powerDownFlag: undefined,
      writePowerDownFlag: () => {},
      runShell: () => Promise.resolve(0),
      wall: () => {},
    },
  });
  assert.equal((await mon.run()).kind, "stopped");
  assert.equal(upsd.calls.length, 0, "never connected");
  assert.equal(notes[0], "COMMBAD");
  assert.ok(log.includes("UPS [ups@localhost]: Connection impossible, dropping link"));
});
