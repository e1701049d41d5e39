import assert from "node:assert/strict";
import {
  initialState,
  type MonitorState,
  type Observation,
  step,
} from "../../../core/monitor/transitions.ts";
import { DEFAULT_SETTINGS, type MonitorSettings } from "../../../core/monitor/settings.ts";

const T0 = 1_700_000_000_000;
const S: MonitorSettings = {
  ...DEFAULT_SETTINGS,
  hostSync: 5,
  deadTime: 10,
  noCommWarnTime: 20,
  rbWarnTime: 100,
};

/** Feeds (second offset, observation) pairs; returns the notify types and decisions in order. */
function play(
  primary: boolean,
  seq: Array<[number, Observation | "recalc"]>,
  settings = S,
): { events: string[]; shutdownAt: number | undefined; state: MonitorState } {
  let state = initialState([{ system: "u@h", powerValue: 1, primary }]);
  const events: string[] = [];
  let shutdownAt: number | undefined;
  for (const [sec, o] of seq) {
    const r = step(state, o === "recalc" ? { kind: "recalc" } : o, T0 + sec * 1000, settings);
    state = r.state;
    for (const e of r.events) if (e.kind === "notify") events.push(e.type);
    if (r.decisions.length && shutdownAt === undefined) shutdownAt = sec;
  }
  return { events, shutdownAt, state };
}

const st = (status: string): Observation => ({ kind: "status", system: "u@h", status });
const lost = (dropped = false): Observation => ({ kind: "lost", system: "u@h", dropped });

Deno.test({
  name: "step() keeps the first OL and the first contact silent, announces later changes",
  permissions: "none",
  fn() {
    const r = play(true, [[0, st("OL")], [1, st("OB")], [2, st("OL")], [3, lost()], [4, st("OL")]]);
    assert.deepEqual(r.events, ["ONBATT", "ONLINE", "COMMBAD", "COMMOK"]);
  },
});

Deno.test({
  name:
    "step() raises COMMBAD on a failed first contact; NOCOMM follows at once (never polled) and then every NOCOMMWARNTIME",
  permissions: "none",
  fn() {
    const seq: Array<[number, Observation]> = [];
    for (let s = 0; s <= 70; s += 5) seq.push([s, lost()]);
    // NUT's lastpoll starts at 0, so a UPS never reached is "silent for long" at the second try.
    assert.deepEqual(play(true, seq).events, ["COMMBAD", "NOCOMM", "NOCOMM", "NOCOMM"]);
  },
});

Deno.test({
  name: "step() warns REPLBATT at once, then when more than RBWARNTIME passed",
  permissions: "none",
  fn() {
    const seq: Array<[number, Observation]> = [];
    for (let s = 0; s <= 250; s += 50) seq.push([s, st("OL RB")]);
    // at 0 and 150 (150 - 0 > 100); not at 100 (not more than RBWARNTIME) nor 250 (exactly 100).
    assert.deepEqual(play(true, seq).events, ["REPLBATT", "REPLBATT"]);
  },
});

Deno.test({
  name: "step() makes a primary critical at OB LB at once",
  permissions: "none",
  fn() {
    const r = play(true, [[0, st("OL")], [1, st("OB LB")], [1, "recalc"]]);
    assert.equal(r.shutdownAt, 1);
  },
});

Deno.test({
  name: "step() gives the primary HOSTSYNC seconds before a secondary gives up on OB LB",
  permissions: "none",
  fn() {
    const seq: Array<[number, Observation | "recalc"]> = [[0, st("OB")], [0, "recalc"]];
    for (let s = 1; s <= 10; s++) seq.push([s, st("OB LB")], [s, "recalc"]);
    // lastnoncrit = 1 (the OB token before LB); critical when now - 1 > 5.
    assert.equal(play(false, seq).shutdownAt, 7);
  },
});

Deno.test({
  name: "step() shuts a secondary down as soon as FSD appears",
  permissions: "none",
  fn() {
    const r = play(false, [[0, st("OL")], [1, st("FSD OL")], [1, "recalc"]]);
    assert.deepEqual(r.events, ["FSD"]);
    assert.equal(r.shutdownAt, 1);
  },
});

Deno.test({
  name:
    "step() promotes a silent UPS last seen OB to LB after DEADTIME; a silent OL one stays healthy",
  permissions: "none",
  fn() {
    const ob = play(true, [
      [0, st("OB")],
      [0, "recalc"],
      [5, lost()],
      [5, "recalc"],
      [10, lost()],
      [
        10,
        "recalc",
      ],
      [11, lost()],
      [11, "recalc"],
    ]);
    assert.equal(ob.shutdownAt, 11);
    const ol = play(true, [[0, st("OL")], [0, "recalc"], [60, lost()], [60, "recalc"]]);
    assert.equal(ol.shutdownAt, undefined);
  },
});

Deno.test({
  name: "step() does not call OB LB critical while the UPS calibrates, and clears CAL when it ends",
  permissions: "none",
  fn() {
    const r = play(true, [[0, st("OB LB CAL")], [0, "recalc"], [1, st("OB LB")], [1, "recalc"]]);
    assert.deepEqual(r.events, ["ONBATT", "LOWBATT", "CAL", "NOTCAL"]);
    assert.equal(r.shutdownAt, 1);
  },
});

Deno.test({
  name: "step() counts power values against MINSUPPLIES; pv 0 never contributes",
  permissions: "none",
  fn() {
    let state = initialState([
      { system: "a", powerValue: 1, primary: true },
      { system: "b", powerValue: 1, primary: true },
      { system: "m", powerValue: 0, primary: true },
    ]);
    const go = (o: Observation) => (state = step(state, o, T0, { ...S, minSupplies: 2 }).state);
    go({ kind: "status", system: "a", status: "OL" });
    go({ kind: "status", system: "b", status: "OL" });
    go({ kind: "status", system: "m", status: "OB LB" });
    assert.equal(step(state, { kind: "recalc" }, T0, { ...S, minSupplies: 2 }).decisions.length, 0);
    go({ kind: "status", system: "b", status: "OB LB" });
    const d = step(state, { kind: "recalc" }, T0, { ...S, minSupplies: 2 }).decisions;
    assert.deepEqual(d[0]?.critical, ["b", "m"]);
    assert.equal(d[0]?.powerValue, 1);
  },
});

Deno.test({
  name: "step() applies OFFDURATION: OFF becomes critical only after it persisted that long",
  permissions: "none",
  fn() {
    const seq: Array<[number, Observation | "recalc"]> = [];
    for (let s = 0; s <= 40; s += 5) seq.push([s, st("OFF")], [s, "recalc"]);
    const r = play(true, seq, { ...S, offDuration: 30 });
    assert.deepEqual(r.events, ["OFF"]);
    assert.equal(r.shutdownAt, 35);
    assert.equal(play(true, seq, { ...S, offDuration: -1 }).shutdownAt, undefined);
  },
});

Deno.test({
  name: "step() applies OBLBDURATION: OB LB must persist before it counts",
  permissions: "none",
  fn() {
    const seq: Array<[number, Observation | "recalc"]> = [];
    for (let s = 0; s <= 10; s++) seq.push([s, st("OB LB")], [s, "recalc"]);
    assert.equal(play(true, seq, { ...S, oblbDuration: 4 }).shutdownAt, 4);
  },
});

Deno.test({
  name: "step() reports unclassified status words as OTHER and their disappearance as NOTOTHER",
  permissions: "none",
  fn() {
    const r = play(true, [[0, st("OL WEIRD")], [1, st("OL WEIRD")], [2, st("OL")]]);
    assert.deepEqual(r.events, ["OTHER", "NOTOTHER"]);
  },
});
