/**
 * `.seq`/TIMER timelines: our dummy-ups and Debian's, started side by side
 * on the same file, are watched through their sockets (upsd's view: DUMPALL
 * then broadcasts) and sampled every 250 ms (finer than once per second, so
 * no state of either side can slip between two samples); the sequences of
 * distinct states must be the same, and each change must happen at about
 * the same time.
 *
 * NUT measures TIMER in whole wall-clock seconds (`time()`), so `TIMER n`
 * lasts between n-1 and n seconds depending on the start instant's fraction,
 * and an expired TIMER is noticed at the next update (every pollinterval,
 * 2 s), whose phase differs between two processes started ~0.1–0.3 s apart:
 * the same change may land up to one poll interval (+0.5 s) apart, and a
 * state at either end of the window may be seen by one side only (it began
 * before sampling started, or the window closed first). A state seen in a
 * single sample only is a snapshot taken mid-update on a loaded machine and
 * is not compared.
 *
 * evolution500.seq waits 300 s between events; it is replayed with its
 * TIMERs divided by 100 (300 → 3, 60 → 0) so the whole cycle fits the test.
 */

import assert from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { SHARED, startDriver, waitSocket } from "../drivers/_nut_stack.ts";
import { observe } from "../drivers/_link_observer.ts";

const OWN_SEQ = `# a short power-failure story
ups.status: OL CHRG
battery.charge: 100
ups.alarm: ""
TIMER 2
ups.status: OB DISCHRG
battery.charge: 80
TIMER 3
ups.status: OB LB DISCHRG
battery.charge: 10
ups.alarm: "Low battery"
TIMER 2
ups.status: OL CHRG
battery.charge:
TIMER 1
`;

interface Sample {
  readonly t: number;
  readonly state: string;
}

async function timeline(file: string, content: string, mode: string, seconds: number) {
  await using sb = makeSandbox("nut-seq-");
  sb.writeConf(file, content);
  sb.writeConf(
    "ups.conf",
    `[s]\n\tdriver = dummy-ups\n\tport = ${file}\n\tmode = ${mode}\n`,
  );
  await using realSb = makeSandbox("nut-seq-real-");
  realSb.writeConf(file, content);
  realSb.writeConf("ups.conf", Deno.readTextFileSync(`${sb.confPath}/ups.conf`));
  await using _real = startDriver(realSb, "real", "s");
  await using _ours = startDriver(sb, "ours", "s");
  await Promise.all([waitSocket(realSb, "dummy-ups", "s"), waitSocket(sb, "dummy-ups", "s")]);
  await using a = await observe(`${realSb.statePath}/dummy-ups-s`);
  await using b = await observe(`${sb.statePath}/dummy-ups-s`);
  const want: Sample[] = [];
  const got: Sample[] = [];
  const t0 = Date.now();
  for (let i = 0; i <= seconds * 4; i++) {
    want.push({ t: Date.now() - t0, state: a.snapshot() });
    got.push({ t: Date.now() - t0, state: b.snapshot() });
    await new Promise((r) => setTimeout(r, 250)); // the sampling period itself
  }
  return { want: changes(want), got: changes(got) };
}

function changes(samples: Sample[]): Sample[] {
  return samples.filter((s, i) => i === 0 || s.state !== samples[i - 1]!.state);
}

/**
 * Drops states seen in one sample only (a snapshot taken between two lines of
 * one update, on a loaded machine), then merges the neighbours that meet.
 */
function settled(xs: Sample[]): Sample[] {
  const kept = xs.filter((s, i) => i === xs.length - 1 || xs[i + 1]!.t - s.t > 300);
  return kept.filter((s, i) => i === 0 || s.state !== kept[i - 1]!.state);
}

function assertSameTimeline(wantAll: Sample[], gotAll: Sample[], minStates: number): void {
  let want = settled(wantAll);
  let got = settled(gotAll);
  assert.ok(want.length >= minStates, `real timeline too short: ${want.length} states`);
  // a state at either end may be seen by one side only (see the module doc)
  if (want[0]?.state !== got[0]?.state) {
    if (want[0]?.state === got[1]?.state) got = got.slice(1);
    else if (want[1]?.state === got[0]?.state) want = want.slice(1);
  }
  if (got.length === want.length + 1) got = got.slice(0, -1);
  if (want.length === got.length + 1) want = want.slice(0, -1);
  assert.deepEqual(got.map((s) => s.state), want.map((s) => s.state));
  for (let i = 0; i < want.length; i++) {
    const dt = Math.abs(got[i]!.t - want[i]!.t);
    // one poll interval + 0.5 s, plus 1 s for scheduling on a loaded machine
    assert.ok(dt <= 3500, `change ${i} happened ${dt} ms apart`);
  }
}

compatTest("TIMER timelines of .seq/.dev files match real dummy-ups'", async (t) => {
  const evolution = Deno.readTextFileSync(`${SHARED}data/nut/evolution500.seq`)
    .replace(/^TIMER (\d+)$/gm, (_, n: string) => `TIMER ${Math.floor(Number(n) / 100)}`);
  // the three runs are independent: run them side by side to keep the wall time down
  const [loop, evo, once] = await Promise.all([
    timeline("story.seq", OWN_SEQ, "dummy-loop", 16),
    timeline("evolution500.seq", evolution, "dummy-loop", 14),
    timeline("once.dev", OWN_SEQ, "dummy-once", 12),
  ]);
  await t.step("a looping .seq of our own", () => assertSameTimeline(loop.want, loop.got, 5));
  await t.step("evolution500.seq, TIMERs / 100", () => assertSameTimeline(evo.want, evo.got, 4));
  // dummy-once with a relative port re-reads the file once more after its
  // first EOF (the mtime NUT stats at start is relative to STATEPATH: unknown)
  await t.step("dummy-once, with NUT's one extra re-read", () => {
    assertSameTimeline(once.want, once.got, 3);
  });
}, { sanitizeResources: false, sanitizeOps: false });
