/**
 * How a bundled daemon gives memory back. Run with `--v8-flags=--expose-gc`
 * (cli/self.ts's `SETTLING_V8_FLAGS`):
 *
 * - once, {@linkcode SETTLE_MS} after start: V8 otherwise keeps the young
 *   generation it grew while the daemon read its configuration and first
 *   data, which an idle daemon never needs again;
 * - after a burst of work: V8 collects its old generation only when that
 *   reaches a limit, so garbage a burst left behind (a client flooding
 *   upsd, say) stays resident for as long as the daemon then sits quiet.
 *   Every {@linkcode CHECK_MS} the heap is looked at; when it has grown by
 *   {@linkcode GROWTH_BYTES} since the last collection and the process has
 *   used less than {@linkcode QUIET_CPU_MS} of CPU since the last look (the
 *   burst is over), one collection runs.
 *
 * @module
 */

/** When the start-up collection runs (ms after start). */
export const SETTLE_MS = 2000;
/** How often the heap is looked at after that (ms). */
export const CHECK_MS = 5000;
/** Heap growth (committed bytes) since the last collection that is worth one more. */
export const GROWTH_BYTES = 2 * 1024 * 1024;
/** CPU time between two looks below which the daemon counts as quiet (ms). */
export const QUIET_CPU_MS = 50;

type Gc = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/** What the policy sees at one look. */
export interface HeapLook {
  /** V8's committed heap (bytes). */
  readonly total: number;
  /** The process's CPU time so far (user + system, ms); NaN where unknown. */
  readonly cpuMs: number;
}

/**
 * Whether to collect now: the heap has grown by {@linkcode GROWTH_BYTES}
 * since the last collection and the process has been quiet since the last
 * look. (Two samples of the used heap cannot tell: under load it saws up and
 * down and may read the same twice.)
 * @param afterLastGc the committed heap right after the last collection
 * @param previous the previous look
 * @param now this look
 * @returns true to collect
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shouldCollect } from "./settle.ts";
 * const MB = 1024 * 1024;
 * // grown by 40 MB and quiet: collect
 * assert.equal(shouldCollect(10 * MB, { total: 50 * MB, cpuMs: 900 }, { total: 50 * MB, cpuMs: 905 }), true);
 * // still busy (2 s of CPU since the last look): wait
 * assert.equal(shouldCollect(10 * MB, { total: 50 * MB, cpuMs: 900 }, { total: 50 * MB, cpuMs: 2900 }), false);
 * // quiet but hardly grown: nothing to give back
 * assert.equal(shouldCollect(10 * MB, { total: 11 * MB, cpuMs: 900 }, { total: 11 * MB, cpuMs: 905 }), false);
 * // CPU time unknown: never
 * assert.equal(shouldCollect(10 * MB, { total: 50 * MB, cpuMs: NaN }, { total: 50 * MB, cpuMs: NaN }), false);
 * ```
 */
export function shouldCollect(afterLastGc: number, previous: HeapLook, now: HeapLook): boolean {
  return now.total - afterLastGc >= GROWTH_BYTES && now.cpuMs - previous.cpuMs < QUIET_CPU_MS;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

function cpuMs(): number {
  try {
    // fields after the command name (which may hold spaces): utime is the 12th, stime the 13th
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) return NaN;
    throw e;
  }
}

function look(): HeapLook {
  return { total: Deno.memoryUsage().heapTotal, cpuMs: cpuMs() };
}

/**
 * Schedules the start-up collection {@linkcode SETTLE_MS} after now and the
 * after-burst checks from then on, when `gc()` is exposed; the timers never
 * keep the process alive.
 * @returns whether they were scheduled
 */
export function settleOnce(): boolean {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) return false;
  let afterLastGc = 0;
  let previous: HeapLook = { total: 0, cpuMs: NaN };
  const collect = () => {
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
    previous = look();
    afterLastGc = previous.total;
  };
  Deno.unrefTimer(setTimeout(() => {
    collect();
    Deno.unrefTimer(setInterval(() => {
      const now = look();
      if (shouldCollect(afterLastGc, previous, now)) collect();
      else previous = now;
    }, CHECK_MS));
  }, SETTLE_MS));
  return true;
}
