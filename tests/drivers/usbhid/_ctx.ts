// Test helpers: a DriverContext over an in-memory state, a fake clock and the shared HID fixtures.
import { UpsState } from "../../../core/state/ups_state.ts";
import type { Clock } from "../../../core/runtime/clock.ts";
import { lineLogger } from "../../../core/runtime/logger.ts";
import type { DriverContext } from "../../../drivers/framework/driver.ts";
import type { DriverOptions } from "../../../drivers/framework/options.ts";
import { resolvePaths } from "../../../core/paths.ts";
import { REPO } from "../../_helpers/process.ts";

export const HID_DIR = `${REPO}/../shared/data/hid`;

export function fixtureFiles(): string[] {
  return [...Deno.readDirSync(HID_DIR)].filter((e) => e.name.endsWith(".json")).map((e) => e.name)
    .sort();
}

export class FakeClock implements Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += ms;
    return Promise.resolve();
  }
}

export function makeCtx(
  opts: Record<string, string | undefined>,
  extra: { clock?: FakeClock; level?: number; lines?: string[] } = {},
): DriverContext & { stale: () => boolean; clock: FakeClock } {
  const state = new UpsState();
  const clock = extra.clock ?? new FakeClock();
  const lines = extra.lines ?? [];
  const options: DriverOptions = {
    port: opts.port,
    pollInterval: 2,
    synchronous: "auto",
    user: undefined,
    group: undefined,
    debugMin: undefined,
    nolock: false,
    ignorelb: false,
    notices: [],
    publications: [],
    get: (n: string) => opts[n],
    has: (n: string) => Object.hasOwn(opts, n),
  };
  return {
    state,
    log: lineLogger((l) => lines.push(l), extra.level ?? 0, () => 0),
    clock,
    signal: new AbortController().signal,
    options,
    upsName: "test",
    paths: resolvePaths(() => undefined),
    dataOk: () => void state.setStale(false),
    dataStale: () => void state.setStale(true),
    stale: () => state.stale,
  };
}
