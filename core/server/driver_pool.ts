/**
 * upsd's side of the driver sockets (NUT's `sstate.c`): one
 * {@linkcode UpsEntry} per ups.conf section mirrors the driver's data in an
 * {@linkcode UpsState}, reconnects when the socket is gone, pings a quiet
 * driver and judges staleness exactly as upsd 2.8.0 does.
 *
 * @module
 */

import { LinkReader, parseDriverMessage } from "../protocol/driver_link.ts";
import { UpsState } from "../state/ups_state.ts";
import type { Clock } from "../runtime/clock.ts";
import type { DriverConn } from "./transport.ts";
import type { LimitedLog } from "./log_limit.ts";
import type { Tracking } from "./tracking.ts";

/** What upsd needs from a ups.conf section. */
export interface UpsDefinition {
  /** Section name as written. */
  readonly name: string;
  /** `driver =` value (the socket is `<driver>-<name>`). */
  readonly driver: string;
  /** `desc =` value. */
  readonly desc: string | undefined;
}

/** Why a UPS cannot answer right now. */
export type Unavailable = "DRIVER-NOT-CONNECTED" | "DATA-STALE";

/** What the pool needs from its surroundings. */
export interface PoolDeps {
  /** Time source. */
  readonly clock: Clock;
  /** Rate-limited log. */
  readonly log: LimitedLog;
  /** Tracking table fed by the drivers' `TRACKING` lines. */
  readonly tracking: Tracking;
  /** Opens a driver socket (relative to STATEPATH). */
  readonly connect: (socketName: string) => Promise<DriverConn>;
  /** Current MAXAGE in seconds. */
  readonly maxAge: () => number;
}

const READ_SIZE = 16384;
const CONNECT_COMPLAIN_MS = 300_000;
const enc = new TextEncoder();

function strerror(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.ConnectionRefused) return "Connection refused";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/ \(os error \d+\)$/, "");
}

/** One UPS as upsd sees it. */
export class UpsEntry {
  /** Section name (configured case). */
  readonly name: string;
  /** Driver name. */
  driver: string;
  /** Description from ups.conf. */
  desc: string | undefined;
  /** The mirrored driver data. */
  readonly state: UpsState = new UpsState();
  /** FSD latch (set by `FSD`, kept across reconnects). */
  fsd = false;
  /** Connections that did `LOGIN` to this UPS. */
  numLogins = 0;
  /** Bumped on every change of what LIST replies show. */
  version = 0;
  /** Cached LIST bodies by the UPS name as a client wrote it. */
  readonly listCache: Map<string, { version: number; text: string }> = new Map();

  readonly #deps: PoolDeps;
  #conn: DriverConn | undefined;
  #connecting = false;
  #dumpDone = false;
  #dataOk = false;
  #stale = true;
  #lastHeard = 0;
  #lastPing = 0;
  #lastComplaint = -Infinity;
  #writeChain: Promise<void> = Promise.resolve();
  #removed = false;

  /**
   * @param def the ups.conf section
   * @param deps clock, log, tracking, connector
   */
  constructor(def: UpsDefinition, deps: PoolDeps) {
    this.name = def.name;
    this.driver = def.driver;
    this.desc = def.desc;
    this.#deps = deps;
    this.state.subscribe(() => this.version++);
  }

  /** `<driver>-<name>`, the socket file in STATEPATH. */
  get socketName(): string {
    return `${this.driver}-${this.name}`;
  }

  /** Whether the driver socket is connected. */
  get connected(): boolean {
    return this.#conn !== undefined;
  }

  /** @returns why the UPS cannot answer, or undefined when it can */
  unavailable(): Unavailable | undefined {
    if (!this.#conn) return "DRIVER-NOT-CONNECTED";
    if (this.#stale) return "DATA-STALE";
    return undefined;
  }

  /** Sets the FSD latch. */
  setFsd(): void {
    this.fsd = true;
    this.version++;
  }

  /**
   * Sends one line to the driver (newline added).
   * @param line the message
   * @returns false when no driver is connected (the write itself is queued)
   */
  send(line: string): boolean {
    const conn = this.#conn;
    if (!conn) return false;
    const data = enc.encode(line + "\n");
    this.#writeChain = this.#writeChain.then(async () => {
      if (this.#conn !== conn) return;
      try {
        let off = 0;
        while (off < data.length) off += await conn.write(data.subarray(off));
      } catch (e) {
        this.#deps.log.info(
          `send:${this.name}`,
          `Send to UPS [${this.name}] failed: ${strerror(e)}`,
        );
        this.#disconnect(conn);
      }
    });
    return true;
  }

  /** One step of upsd's main loop for this UPS: reconnect, ping, judge staleness. */
  tick(): void {
    if (this.#removed) return;
    if (!this.#conn) {
      if (!this.#connecting) void this.#connect();
      return;
    }
    const nowS = Math.floor(this.#deps.clock.now() / 1000);
    const maxAge = this.#deps.maxAge();
    const third = Math.floor(maxAge / 3);
    let dead = this.#dumpDone && !this.#dataOk;
    const elapsed = nowS - Math.floor(this.#lastHeard / 1000);
    if (elapsed > third && nowS - Math.floor(this.#lastPing / 1000) > third) {
      this.#lastPing = this.#deps.clock.now();
      this.send("PING");
    }
    if (elapsed > maxAge) dead = true;
    if (dead && !this.#stale) {
      this.#stale = true;
      this.version++;
      this.#deps.log.logger.info(`Data for UPS [${this.name}] is stale - check driver`);
    } else if (!dead && this.#stale) {
      this.#stale = false;
      this.version++;
      this.#deps.log.logger.info(`UPS [${this.name}] data is no longer stale`);
    }
  }

  /** Tries to connect now (startup does this once before serving). */
  async connectNow(): Promise<void> {
    if (!this.#conn && !this.#connecting) await this.#connect();
  }

  async #connect(): Promise<void> {
    this.#connecting = true;
    let conn: DriverConn;
    try {
      conn = await this.#deps.connect(this.socketName);
    } catch (e) {
      const now = this.#deps.clock.now();
      if (now - this.#lastComplaint >= CONNECT_COMPLAIN_MS) {
        this.#lastComplaint = now;
        this.#deps.log.logger.error(
          `Can't connect to UPS [${this.name}] (${this.socketName}): ${strerror(e)}`,
        );
      }
      return;
    } finally {
      this.#connecting = false;
    }
    if (this.#removed) {
      conn.close();
      return;
    }
    this.#conn = conn;
    this.#dumpDone = false;
    this.#dataOk = false;
    this.#stale = false;
    this.#lastHeard = this.#deps.clock.now();
    this.#lastPing = this.#lastHeard;
    this.state.clear();
    this.state.setInfo("ups.status", "WAIT");
    this.version++;
    this.#writeChain = Promise.resolve();
    this.send("DUMPALL");
    this.#deps.log.logger.info(`Connected to UPS [${this.name}]: ${this.socketName}`);
    void this.#readLoop(conn);
  }

  async #readLoop(conn: DriverConn): Promise<void> {
    const reader = new LinkReader(parseDriverMessage);
    const buf = new Uint8Array(READ_SIZE);
    try {
      while (this.#conn === conn) {
        const n = await conn.read(buf);
        if (n === null) break;
        for (const line of reader.push(buf.subarray(0, n))) {
          if (line.error !== undefined) {
            this.#deps.log.info("drvparse", `Parse error on sock: ${line.error}`);
            continue;
          }
          const msg = line.message;
          if (msg === undefined) continue;
          this.#lastHeard = this.#deps.clock.now();
          switch (msg.kind) {
            case "dumpdone":
              this.#dumpDone = true;
              break;
            case "dataok":
              this.#dataOk = true;
              break;
            case "datastale":
              this.#dataOk = false;
              break;
            case "tracking":
              // only ids upsd handed out (to authenticated clients) are logged
              if (this.#deps.tracking.set(msg.id, msg.result)) {
                this.#deps.log.logger.info(
                  `tracking ID: ${msg.id}\tresult: ${this.#deps.tracking.get(msg.id)}`,
                );
              }
              break;
            default:
              this.state.apply(msg);
          }
        }
      }
    } catch (e) {
      if (this.#conn === conn) {
        this.#deps.log.info(
          `read:${this.name}`,
          `Read from UPS [${this.name}] failed: ${strerror(e)}`,
        );
      }
    }
    this.#disconnect(conn);
  }

  #disconnect(conn: DriverConn): void {
    conn.close();
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    this.state.clear();
    this.version++;
  }

  /** Disconnects for good (UPS removed from ups.conf, or shutdown). */
  remove(): void {
    this.#removed = true;
    this.version++;
    if (this.#conn) this.#disconnect(this.#conn);
  }
}

/**
 * Every UPS of ups.conf, in `LIST UPS` order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DriverPool } from "./driver_pool.ts";
 * import { LimitedLog } from "./log_limit.ts";
 * import { Tracking } from "./tracking.ts";
 * import { nullLogger } from "../runtime/logger.ts";
 * import { realClock } from "../runtime/clock.ts";
 * const pool = new DriverPool({
 *   clock: realClock, log: new LimitedLog(nullLogger, realClock),
 *   tracking: new Tracking(realClock, () => 3600),
 *   connect: () => Promise.reject(new Deno.errors.NotFound()), maxAge: () => 15,
 * });
 * pool.load([{ name: "Ups1", driver: "dummy-ups", desc: undefined }]);
 * assert.equal(pool.find("UPS1")?.name, "Ups1");
 * assert.equal(pool.find("UPS1")?.unavailable(), "DRIVER-NOT-CONNECTED");
 * ```
 */
export class DriverPool {
  readonly #deps: PoolDeps;
  readonly #byName = new Map<string, UpsEntry>();
  #order: UpsEntry[] = [];

  /** @param deps clock, log, tracking, connector, MAXAGE */
  constructor(deps: PoolDeps) {
    this.#deps = deps;
  }

  /**
   * Finds a UPS by name, case-insensitively.
   * @param name the name as a client sent it
   * @returns the entry, or undefined
   */
  find(name: string): UpsEntry | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** Every UPS in `LIST UPS` order. */
  get all(): readonly UpsEntry[] {
    return this.#order;
  }

  /**
   * Loads (or reloads) the UPS list. Kept UPSes keep their connection and
   * FSD latch; a changed driver reconnects; new ones come first in
   * `LIST UPS`, as in NUT.
   * @param defs the sections of ups.conf
   * @returns the names of removed UPSes
   */
  load(defs: readonly UpsDefinition[]): string[] {
    const seen = new Set<string>();
    const fresh: UpsEntry[] = [];
    const kept: UpsEntry[] = [];
    for (const def of defs) {
      const key = def.name.toLowerCase();
      if (seen.has(key)) {
        this.#deps.log.logger.error(`UPS name [${def.name}] is already in use!`);
        continue;
      }
      seen.add(key);
      const old = this.#byName.get(key);
      if (old && old.name === def.name) {
        if (old.driver !== def.driver) {
          this.#deps.log.logger.info(`Redefined UPS [${def.name}]`);
          old.remove();
          const e = new UpsEntry(def, this.#deps);
          e.fsd = old.fsd;
          this.#byName.set(key, e);
          kept.push(e);
        } else {
          if (old.desc !== def.desc) {
            old.desc = def.desc;
            old.version++;
          }
          kept.push(old);
        }
      } else {
        if (old) old.remove();
        const e = new UpsEntry(def, this.#deps);
        this.#byName.set(key, e);
        fresh.push(e);
      }
    }
    const removed: string[] = [];
    for (const [key, e] of this.#byName) {
      if (!seen.has(key)) {
        this.#deps.log.logger.info(`Deleting UPS [${e.name}]`);
        e.remove();
        this.#byName.delete(key);
        removed.push(e.name);
      }
    }
    const keptNames = new Set(kept.map((e) => e.name.toLowerCase()));
    const oldOrder = this.#order.filter((e) => keptNames.has(e.name.toLowerCase()))
      .map((e) => this.#byName.get(e.name.toLowerCase())!);
    this.#order = [...fresh, ...oldOrder];
    return removed;
  }

  /** Connects every UPS once (start-up). */
  async connectAll(): Promise<void> {
    await Promise.all(this.#order.map((e) => e.connectNow()));
  }

  /** One main-loop step for every UPS. */
  tick(): void {
    for (const e of this.#order) e.tick();
  }

  /** Disconnects every driver. */
  close(): void {
    for (const e of this.#order) e.remove();
  }
}
