/**
 * upssched's client side: send one request to the timer daemon on PIPEFN,
 * starting the daemon first when nothing listens (LOCKFN guards the start),
 * with NUT's retry rules (30 tries, 250 ms apart, until a reply starts
 * with `OK`).
 *
 * @module
 */

import { quoteValue } from "../protocol/tokenize.ts";
import type { SchedAction, SchedEvent } from "./plan.ts";
import type { SchedConn } from "./unix_io.ts";

/** What the client needs from the outside world. */
export interface SchedClientDeps {
  connect(path: string): Promise<SchedConn | null>;
  createLock(path: string): boolean;
  removeLock(path: string): void;
  /** Starts a detached daemon for these paths; resolves once it was spawned. */
  startDaemon(action: Extract<SchedAction, { kind: "send" }>): Promise<void>;
  sleep(ms: number): Promise<void>;
  log(message: string): void;
}

/** NUT's MAX_TRIES. */
const MAX_TRIES = 30;

/**
 * The request line for an action, in the long form of newer NUT
 * (`START "name" "secs" "TYPE" "ups" "msg"`); a 2.8.0 daemon ignores the
 * extra words, ours uses them for CMDSCRIPT's environment.
 * @param action the send action
 * @param event the event (for START-SHARED / CANCEL-MATCHED)
 * @returns the line without newline
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestLine } from "./client.ts";
 * const paths = { cmdScript: "s", pipeFn: "p", lockFn: "l" };
 * const line = requestLine({ kind: "send", verb: "START", name: "a b", arg: "30", paths },
 *   { upsName: "u", notifyType: "ONBATT", notifyMsg: "m" });
 * assert.equal(line, 'START "a b" "30" "ONBATT" "u" "m"');
 * ```
 */
export function requestLine(
  action: Extract<SchedAction, { kind: "send" }>,
  event: SchedEvent,
): string {
  const parts = [action.verb, quoteValue(action.name)];
  const isStart = action.verb === "START" || action.verb === "START-SHARED";
  // START without seconds stays short: the daemon answers ERR UNKNOWN, as NUT's does.
  if (isStart && action.arg === undefined) return parts.join(" ");
  parts.push(quoteValue(action.arg ?? ""));
  parts.push(quoteValue(event.notifyType), quoteValue(event.upsName), quoteValue(event.notifyMsg));
  return parts.join(" ");
}

/**
 * Sends one action, starting the daemon when needed.
 * @param action the send action
 * @param event the event
 * @param deps I/O
 * @returns true when acknowledged (or nothing to cancel), false after 30 failed tries
 */
export async function sendToDaemon(
  action: Extract<SchedAction, { kind: "send" }>,
  event: SchedEvent,
  deps: SchedClientDeps,
): Promise<boolean> {
  const line = new TextEncoder().encode(`${requestLine(action, event)}\n`);
  const cancelOnly = (action.verb === "CANCEL" || action.verb === "CANCEL-MATCHED") &&
    (action.arg === undefined || action.arg === "");
  for (let i = 0; i < MAX_TRIES; i++) {
    const conn = await findDaemon(action, cancelOnly, deps);
    if (conn === "unnecessary") return true;
    if (conn === "started") {
      await deps.sleep(250);
      continue;
    }
    try {
      await conn.write(line);
      const buf = new Uint8Array(512);
      const n = await conn.read(buf);
      const reply = n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
      if (reply.length < 2) {
        deps.log("read confirmation failed, trying again");
        continue;
      }
      if (reply.startsWith("OK")) return true;
      deps.log(`read confirmation got [${reply.replace(/\n$/, "")}]`);
    } catch (e) {
      deps.log(`write failed, trying again: ${String(e)}`);
    } finally {
      conn.close();
    }
  }
  return false;
}

async function findDaemon(
  action: Extract<SchedAction, { kind: "send" }>,
  cancelOnly: boolean,
  deps: SchedClientDeps,
): Promise<SchedConn | "started" | "unnecessary"> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const conn = await deps.connect(action.paths.pipeFn);
    if (conn) return conn;
    // Nothing runs, so there is nothing to cancel.
    if (cancelOnly) return "unnecessary";
    if (deps.createLock(action.paths.lockFn)) {
      await deps.startDaemon(action);
      return "started";
    }
    // Someone else is starting it (or a stale lock from a crash).
    deps.removeLock(action.paths.lockFn);
    await deps.sleep(250);
  }
  throw new Error("Failed to connect to parent and failed to create parent");
}
