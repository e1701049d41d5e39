import assert from "node:assert/strict";
import { initialState, type MonitorState, step } from "../../../core/monitor/transitions.ts";
import { type HistoryItem, judge } from "../../../core/monitor/rule_model.ts";
import {
  DEFAULT_SETTINGS,
  type MonitorEntry,
  type MonitorSettings,
} from "../../../core/monitor/settings.ts";

/** mulberry32: a small seeded PRNG so every failing sequence can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = [
  "OL",
  "OL",
  "OL CHRG",
  "OB",
  "OB DISCHRG",
  "OB LB",
  "LB OB",
  "OL LB",
  "OB LB FSD",
  "OL FSD",
  "FSD OB",
  "OB CAL",
  "OB LB CAL",
  "OL CAL",
  "OL RB",
  "OB RB LB",
  "OL OB LB",
  "OB OL",
  "OL OFF",
  "OFF",
  "OL BYPASS",
  "OL ALARM",
  "OB ALARM",
  "OL OVER",
  "OB LB OVER",
  "",
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

interface Story {
  entries: MonitorEntry[];
  settings: MonitorSettings;
  history: HistoryItem[];
  times: number[];
}

function makeStory(seed: number): Story {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * 3);
  const entries: MonitorEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({
      system: `ups${i}@localhost`,
      powerValue: Math.floor(r() * 3),
      primary: r() < 0.5,
    });
  }
  const total = entries.reduce((a, e) => a + e.powerValue, 0);
  const settings: MonitorSettings = {
    ...DEFAULT_SETTINGS,
    minSupplies: Math.min(total, Math.floor(r() * 3)),
    deadTime: 1 + Math.floor(r() * 6),
    hostSync: Math.floor(r() * 6),
    offDuration: pick(r, [-1, 0, 3, 30]),
    overDuration: pick(r, [-1, 0, 4]),
    oblbDuration: pick(r, [0, 0, 3]),
    alarmCritical: r() < 0.7,
  };
  const history: HistoryItem[] = [];
  const times: number[] = [];
  let ms = 1_700_000_000_000 + Math.floor(r() * 1000);
  const cycles = 10 + Math.floor(r() * 30);
  for (let c = 0; c < cycles; c++) {
    for (const e of entries) {
      const x = r();
      const sec = Math.floor(ms / 1000);
      if (x < 0.15) history.push({ sec, kind: "lost", system: e.system, dropped: r() < 0.5 });
      else if (x < 0.2) continue; // not polled this cycle (e.g. connect pending)
      else history.push({ sec, kind: "status", system: e.system, status: pick(r, STATUSES) });
      times.push(ms);
    }
    history.push({ sec: Math.floor(ms / 1000), kind: "recalc" });
    times.push(ms);
    ms += Math.floor(r() * 3500);
  }
  return { entries, settings, history, times };
}

Deno.test({
  name: "step() agrees with the rule model on 400 seeded random outage stories",
  permissions: "none",
  fn() {
    let shutdowns = 0;
    let checks = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { entries, settings, history, times } = makeStory(seed);
      let state: MonitorState = initialState(entries);
      for (let i = 0; i < history.length; i++) {
        const h = history[i]!;
        const obs = h.kind === "recalc"
          ? { kind: "recalc" as const }
          : h.kind === "lost"
          ? { kind: "lost" as const, system: h.system, dropped: h.dropped }
          : { kind: "status" as const, system: h.system, status: h.status };
        const res = step(state, obs, times[i]!, settings);
        state = res.state;
        if (h.kind !== "recalc") continue;
        const want = judge(entries, settings, history, i);
        checks++;
        const got = res.decisions.length > 0;
        assert.equal(
          got,
          want.shutdown,
          `seed ${seed} at item ${i}: reducer says shutdown=${got}, model says ${want.shutdown} ` +
            `(critical model=${want.critical.join(",")}; ${JSON.stringify({ entries, settings })})`,
        );
        if (got) {
          assert.deepEqual(res.decisions[0]!.critical, want.critical, `seed ${seed} critical set`);
          shutdowns++;
          break; // the host is going down; nothing after this matters
        }
      }
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    assert.ok(shutdowns > 50, `only ${shutdowns} stories reached a shutdown`);
    assert.ok(400 - shutdowns > 50, `only ${400 - shutdowns} stories stayed up`);
    assert.ok(checks > 2000, `only ${checks} recalcs compared`);
  },
});
