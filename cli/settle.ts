/**
 * A bundled daemon's one start-up collection. Run with
 * `--v8-flags=--expose-gc` (cli/self.ts's `SETTLING_V8_FLAGS`), V8 otherwise
 * keeps the young generation it grew while the daemon read its
 * configuration and first data, which an idle daemon never needs again.
 *
 * @module
 */

/** When the collection runs (ms after start). */
export const SETTLE_MS = 2000;

type Gc = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/**
 * Schedules one last-resort collection {@linkcode SETTLE_MS} after now,
 * when `gc()` is exposed; the timer never keeps the process alive.
 * @returns whether it was scheduled
 */
export function settleOnce(): boolean {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) return false;
  const collect = () => gc({ type: "major", execution: "sync", flavor: "last-resort" });
  Deno.unrefTimer(setTimeout(collect, SETTLE_MS));
  return true;
}
