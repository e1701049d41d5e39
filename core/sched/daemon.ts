/**
 * The upssched timer daemon: serves the PIPEFN line protocol, fires due
 * timers by running CMDSCRIPT one at a time, and exits (removing PIPEFN)
 * after a run of idle one-second passes with no timers (15 in NUT).
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import { Tokenizer } from "../protocol/tokenize.ts";
import { type SchedRun, TimerQueue } from "./timers.ts";

/** What the daemon needs from the outside world. */
export interface SchedDaemonDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Accepts connections on PIPEFN (already listening). */
  readonly listener: AsyncIterable<{
    read(b: Uint8Array): Promise<number | null>;
    write(d: Uint8Array): Promise<number>;
    close(): void;
  }>;
  /** Stops the listener and removes PIPEFN. */
  readonly closeListener: () => void;
  /** Runs `CMDSCRIPT arg` with the given extra environment; resolves when done. */
  readonly run: (run: SchedRun) => Promise<unknown>;
  /** Idle passes before exit (NUT: 15). */
  readonly idlePasses?: number;
}

/**
 * Runs the daemon until it has been idle long enough or `signal` aborts.
 * @param deps clock, logger, listener, runner
 * @param signal optional abort
 * @returns when the daemon has exited
 */
export async function runSchedDaemon(deps: SchedDaemonDeps, signal?: AbortSignal): Promise<void> {
  const queue = new TimerQueue();
  const idleMax = deps.idlePasses ?? 15;
  let chain: Promise<unknown> = Promise.resolve();
  let running = 0;
  const enqueue = (runs: readonly SchedRun[]) => {
    for (const r of runs) {
      running++;
      chain = chain.then(() => deps.run(r)).catch((e) => {
        deps.log.error(`Execute command failure: ${r.arg}: ${String(e)}`);
      }).finally(() => running--);
    }
  };
  const now = () => Math.floor(deps.clock.now() / 1000);
  const enc = new TextEncoder();
  const serve = async (conn: {
    read(b: Uint8Array): Promise<number | null>;
    write(d: Uint8Array): Promise<number>;
    close(): void;
  }) => {
    const tok = new Tokenizer();
    const buf = new Uint8Array(512);
    try {
      for (let i = 0; i < 10_000; i++) {
        const n = await conn.read(buf);
        if (n === null) break;
        for (const line of tok.push(buf.subarray(0, n))) {
          if (line.error !== undefined) {
            deps.log.info(`Parse error on sock: ${line.error}`);
            continue;
          }
          if (line.words.length === 0) continue;
          const r = queue.handle(line.words, now());
          for (const l of r.logs) deps.log.info(l);
          enqueue(r.runs);
          await conn.write(enc.encode(`${r.reply}\n`));
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource || e instanceof Deno.errors.ConnectionReset)) {
        deps.log.debug(2, `connection error: ${String(e)}`);
      }
    }
    closeQuietly(conn);
  };
  const accept = (async () => {
    try {
      for await (const conn of deps.listener) void serve(conn);
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  })();
  let idle = 0;
  try {
    for (let pass = 0; pass < 10_000_000 && !signal?.aborted; pass++) {
      await deps.clock.sleep(1000, signal).catch(() => undefined);
      if (signal?.aborted) break;
      if (queue.timers.length === 0 && running === 0) {
        if (++idle >= idleMax) {
          deps.log.info("Timer queue empty, exiting");
          break;
        }
        continue;
      }
      idle = 0;
      const due = queue.expire(now());
      for (const r of due) deps.log.info(`Event: ${r.arg} `);
      enqueue(due);
    }
  } finally {
    deps.closeListener();
    await accept;
    await chain;
  }
}

function closeQuietly(conn: { close(): void }): void {
  try {
    conn.close();
  } catch (e) {
    // Already closed by the peer's reset: nothing left to release.
    if (!(e instanceof Deno.errors.BadResource)) throw e;
  }
}
