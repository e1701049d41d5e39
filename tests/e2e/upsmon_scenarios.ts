/**
 * The upsmon scenario table: each scenario drives a UPS story through a
 * real data path and returns the shared event log; `check` states what
 * NUT's rules require. Used by the e2e test (ours, against each upsd) and
 * the compat test (the real upsmon, same stories, same decisions).
 * @module
 */

import { type Impl, type LogLine, type Stack, startStack } from "./upsmon_harness.ts";
import { run } from "../_helpers/process.ts";
import { nutArgv } from "../_helpers/process.ts";
import assert from "node:assert/strict";

/** One row of the table. */
export interface Scenario {
  readonly name: string;
  readonly upses: ReadonlyArray<readonly [string, string]>;
  /** Drives the story with upsmon implemented by `mon`. */
  play(st: Stack, mon: Impl): Promise<void>;
  /** NUT's verdict on the log. */
  check(ev: LogLine[]): void;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const of = (ev: LogLine[], who: string) => ev.filter((e) => e.who === who);
const types = (ev: LogLine[], who: string) => of(ev, who).map((e) => e.what);
const shutdowns = (ev: LogLine[], who: string) =>
  of(ev, who).filter((e) => e.what === "SHUTDOWNCMD");

/**
 * The projection compared between implementations: per upsmon, its ordered
 * event types. NUT runs each notification in its own forked child, so the
 * events of one poll (written within a few ms of each other) have no
 * defined order: each such burst is sorted.
 */
export function timeline(ev: LogLine[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const bursts: Record<string, LogLine[][]> = {};
  for (const e of ev) {
    const list = (bursts[e.who] ??= []);
    const last = list[list.length - 1];
    const prev = last?.[last.length - 1];
    if (
      last && prev && e.ms - prev.ms < 300 && e.what !== "SHUTDOWNCMD" &&
      prev.what !== "SHUTDOWNCMD"
    ) {
      last.push(e);
    } else list.push([e]);
  }
  for (const [who, list] of Object.entries(bursts)) {
    out[who] = list.flatMap((b) => b.map((e) => e.what).sort());
  }
  return out;
}

async function waitPolling(st: Stack, n: number, ups = "ups1"): Promise<void> {
  // Every upsmon logs in on the UPS; NUMLOGINS tells when all are polling.
  await st.waitLogins(ups, n);
  // and one more poll cycle, so each has seen the initial status.
  await settle(1200);
}

/** A client logged into the UPS as a secondary that never logs out. */
async function stuckSecondary(port: number, ups: string): Promise<AsyncDisposable> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const buf = new Uint8Array(256);
  for (const line of ["USERNAME sec", "PASSWORD pw", `LOGIN ${ups}`]) {
    await conn.write(new TextEncoder().encode(`${line}\n`));
    const n = await conn.read(buf);
    const reply = new TextDecoder().decode(buf.subarray(0, n ?? 0));
    assert.ok(reply.startsWith("OK"), `${line}: ${reply}`);
  }
  return {
    [Symbol.asyncDispose]() {
      conn.close();
      return Promise.resolve();
    },
  };
}

async function signalMonitor(pidDir: string, mon: Impl): Promise<void> {
  if (mon === "nut") {
    const r = await run([...nutArgv(), "upsmon", "-c", "fsd", "--pidfile", `${pidDir}/upsmon.pid`]);
    assert.equal(r.code, 0, r.stderr);
  } else {
    const pid = Number(Deno.readTextFileSync(`${pidDir}/upsmon.pid`).trim());
    Deno.kill(pid, "SIGUSR1");
  }
}

/** The table. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "OL→OB→OB LB, one primary and two secondaries: secondaries first, primary once",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await st.startMonitor({ label: "sec1", impl: mon, monitors: [["ups1", 1, "secondary"]] });
      await st.startMonitor({ label: "sec2", impl: mon, monitors: [["ups1", 1, "secondary"]] });
      await waitPolling(st, 3);
      st.setStatus("ups1", "OB");
      await st.waitEvents((e) => e.filter((x) => x.what === "ONBATT").length === 3, "3× ONBATT");
      st.setStatus("ups1", "OB LB");
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "primary SHUTDOWNCMD");
      await settle(2000);
    },
    check(ev) {
      for (const who of ["pri", "sec1", "sec2"]) {
        assert.equal(shutdowns(ev, who).length, 1, `${who} runs SHUTDOWNCMD exactly once`);
        assert.equal(
          shutdowns(ev, who)[0]!.text,
          "upsmon-shutdown-file",
          `${who} wrote POWERDOWNFLAG first`,
        );
      }
      const idx = (who: string) => ev.findIndex((e) => e.who === who && e.what === "SHUTDOWNCMD");
      assert.ok(
        idx("sec1") < idx("pri") && idx("sec2") < idx("pri"),
        "secondaries shut down first",
      );
      assert.ok(types(ev, "sec1").includes("FSD"), "secondary saw FSD");
    },
  },
  {
    name: "power returns before LB: no shutdown",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await waitPolling(st, 1);
      st.setStatus("ups1", "OB");
      await st.waitEvents((e) => types(e, "pri").includes("ONBATT"), "ONBATT");
      st.setStatus("ups1", "OL");
      await st.waitEvents((e) => types(e, "pri").includes("ONLINE"), "ONLINE");
      await settle(6000);
    },
    check(ev) {
      assert.deepEqual(types(ev, "pri"), ["ONBATT", "ONLINE"]);
    },
  },
  {
    name: "MINSUPPLIES 2 over two UPSes of power value 2: one critical → up; both → shutdown",
    upses: [["ups1", "OL"], ["ups2", "OL"]],
    async play(st, mon) {
      await st.startMonitor({
        label: "pri",
        impl: mon,
        minSupplies: 2,
        monitors: [["ups1", 2, "primary"], ["ups2", 2, "primary"]],
      });
      await waitPolling(st, 1);
      st.setStatus("ups1", "OB LB");
      await st.waitEvents((e) => types(e, "pri").includes("LOWBATT"), "LOWBATT on ups1");
      await settle(4000);
      assert.equal(shutdowns(st.events(), "pri").length, 0, "one critical UPS leaves enough power");
      st.setStatus("ups2", "OB LB");
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "SHUTDOWNCMD");
      await settle(1500);
    },
    check(ev) {
      assert.equal(shutdowns(ev, "pri").length, 1);
      assert.equal(of(ev, "pri").filter((e) => e.what === "LOWBATT").length, 2);
    },
  },
  {
    name:
      "MINSUPPLIES 2 over two UPSes of power value 1: one lost while on line → up; one critical → shutdown",
    upses: [["ups1", "OL"], ["ups2", "OL"]],
    async play(st, mon) {
      await st.startMonitor({
        label: "pri",
        impl: mon,
        minSupplies: 2,
        monitors: [["ups1", 1, "primary"], ["ups2", 1, "primary"]],
      });
      await waitPolling(st, 1, "ups2");
      await st.killDriver("ups1");
      await st.waitEvents((e) => types(e, "pri").includes("COMMBAD"), "COMMBAD on ups1");
      // Past DEADTIME: a silent UPS last seen on line still counts as healthy.
      await settle(6000);
      assert.equal(shutdowns(st.events(), "pri").length, 0, "a lost UPS on line is not critical");
      await st.startDriver("ups1");
      await st.waitEvents((e) => types(e, "pri").includes("COMMOK"), "COMMOK on ups1");
      st.setStatus("ups2", "OB LB");
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "SHUTDOWNCMD");
      await settle(1500);
    },
    check(ev) {
      const t = types(ev, "pri");
      assert.equal(t[0], "COMMBAD");
      assert.ok(t.indexOf("COMMOK") > t.indexOf("COMMBAD"));
      assert.equal(shutdowns(ev, "pri").length, 1);
      // NUT forks each notifier: LOWBATT and SHUTDOWN of one instant may land in either order.
      assert.ok(t.includes("LOWBATT") && t.includes("SHUTDOWN"));
      assert.equal(t[t.length - 1], "SHUTDOWNCMD");
    },
  },
  {
    name: "driver killed while OL: COMMBAD then NOCOMM, no shutdown",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await waitPolling(st, 1);
      await st.killDriver("ups1");
      await st.waitEvents((e) => types(e, "pri").includes("NOCOMM"), "NOCOMM");
      await settle(5000);
    },
    check(ev) {
      const t = types(ev, "pri");
      assert.equal(t[0], "COMMBAD");
      assert.ok(t.includes("NOCOMM"));
      assert.ok(!t.includes("SHUTDOWNCMD"), "a silent UPS last seen on line is not critical");
    },
  },
  {
    name: "driver killed while OB, silent past DEADTIME: shutdown",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await waitPolling(st, 1);
      st.setStatus("ups1", "OB");
      await st.waitEvents((e) => types(e, "pri").includes("ONBATT"), "ONBATT");
      await st.killDriver("ups1");
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "SHUTDOWNCMD");
      await settle(1500);
    },
    check(ev) {
      const t = types(ev, "pri");
      assert.deepEqual(t.slice(0, 2), ["ONBATT", "COMMBAD"]);
      assert.equal(shutdowns(ev, "pri").length, 1);
    },
  },
  {
    name: "upsd restarted mid-run: reconnect, no shutdown",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await st.startMonitor({ label: "sec1", impl: mon, monitors: [["ups1", 1, "secondary"]] });
      await waitPolling(st, 2);
      await st.restartUpsd();
      await st.waitStatus("ups1", "OL");
      await st.waitEvents((e) => e.filter((x) => x.what === "COMMOK").length === 2, "2× COMMOK");
      await settle(3000);
    },
    check(ev) {
      for (const who of ["pri", "sec1"]) {
        assert.deepEqual(types(ev, who).filter((t) => t !== "NOCOMM"), ["COMMBAD", "COMMOK"]);
      }
    },
  },
  {
    name: "a secondary that never logs out: the primary waits HOSTSYNC, then shuts down",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await using _stuck = await stuckSecondary(st.port, "ups1");
      await waitPolling(st, 2);
      st.setStatus("ups1", "OB LB");
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "SHUTDOWNCMD", 40_000);
      await settle(1500);
    },
    check(ev) {
      const lb = of(ev, "pri").find((e) => e.what === "LOWBATT")!;
      const cmd = shutdowns(ev, "pri")[0]!;
      // HOSTSYNC 5 s (+ FINALDELAY 1 s): not before 5 s, and not much later.
      assert.ok(cmd.ms - lb.ms >= 5000, `waited ${cmd.ms - lb.ms} ms`);
      assert.ok(cmd.ms - lb.ms < 20_000, `waited ${cmd.ms - lb.ms} ms`);
    },
  },
  {
    name: "a secondary alone on OB LB gives up on the primary after HOSTSYNC",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "sec1", impl: mon, monitors: [["ups1", 1, "secondary"]] });
      await waitPolling(st, 1);
      st.setStatus("ups1", "OB LB");
      await st.waitEvents((e) => shutdowns(e, "sec1").length === 1, "SHUTDOWNCMD", 40_000);
      await settle(1500);
    },
    check(ev) {
      assert.deepEqual([...types(ev, "sec1")].sort(), [
        "LOWBATT",
        "ONBATT",
        "SHUTDOWN",
        "SHUTDOWNCMD",
      ]);
      const ob = of(ev, "sec1").find((e) => e.what === "ONBATT")!;
      const cmd = shutdowns(ev, "sec1")[0]!;
      assert.ok(cmd.ms - ob.ms >= 5000, `gave up after ${cmd.ms - ob.ms} ms`);
    },
  },
  {
    name: "a MONITOR line for a UPS upsd does not serve: COMMBAD, NOCOMM, no shutdown",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({
        label: "pri",
        impl: mon,
        monitors: [["ups1", 1, "primary"], ["nosuch", 0, "secondary"]],
      });
      await st.waitEvents((e) => types(e, "pri").includes("NOCOMM"), "NOCOMM");
      await settle(2000);
    },
    check(ev) {
      const t = types(ev, "pri");
      assert.equal(t[0], "COMMBAD");
      assert.ok(t.every((x) => x === "COMMBAD" || x === "NOCOMM"));
      assert.equal(shutdowns(ev, "pri").length, 0);
    },
  },
  {
    name: "upsmon -c fsd on the primary: full shutdown sequence",
    upses: [["ups1", "OL"]],
    async play(st, mon) {
      await st.startMonitor({ label: "pri", impl: mon, monitors: [["ups1", 1, "primary"]] });
      await st.startMonitor({ label: "sec1", impl: mon, monitors: [["ups1", 1, "secondary"]] });
      await waitPolling(st, 2);
      await signalMonitor(st.sb.path("pid-pri"), mon);
      await st.waitEvents((e) => shutdowns(e, "pri").length === 1, "primary SHUTDOWNCMD");
      await settle(1500);
    },
    check(ev) {
      // FSD and SHUTDOWN are raised in the same instant (forked notifiers in NUT).
      assert.deepEqual(types(ev, "sec1").slice(0, 2).sort(), ["FSD", "SHUTDOWN"]);
      assert.equal(types(ev, "sec1")[2], "SHUTDOWNCMD");
      assert.deepEqual(types(ev, "pri"), ["SHUTDOWN", "SHUTDOWNCMD"]);
      const idx = (who: string) => ev.findIndex((e) => e.who === who && e.what === "SHUTDOWNCMD");
      assert.ok(idx("sec1") < idx("pri"));
    },
  },
];

/**
 * Runs scenarios concurrently (bounded batches) and returns each log.
 * @param list scenarios
 * @param upsd which upsd/driver
 * @param mon which upsmon
 * @returns per scenario, the log or the error
 */
export async function playAll(
  list: readonly Scenario[],
  upsd: Impl,
  mon: Impl,
): Promise<Array<{ s: Scenario; ev?: LogLine[]; out?: Record<string, string>; error?: unknown }>> {
  return await Promise.all(list.map(async (s) => {
    try {
      await using st = await startStack(s.upses, upsd);
      await s.play(st, mon);
      return { s, ev: st.events(), out: st.monitorOutput() };
    } catch (error) {
      return { s, error };
    }
  }));
}
