/**
 * `Upsd`: the accept loops over injected {@linkcode Listener}s, one
 * read → handle → single write loop per client, and the one-second
 * housekeeping tick (drivers, staleness, tracking expiry, idle and stuck
 * clients). Every client is bounded: a line is at most {@linkcode MAX_LINE}
 * bytes, at most {@linkcode FLUSH_BYTES} of replies are built before they
 * are written, and a client that stops reading is no longer read from and is
 * dropped after {@linkcode WRITE_TIMEOUT_MS}; nobody else waits for it.
 *
 * @module
 */

import { LineSplitter, MAX_LINE } from "../protocol/line_stream.ts";
import type { Clock } from "../runtime/clock.ts";
import type { AccessControl } from "./acl.ts";
import type { ServerContext, SessionState } from "./context.ts";
import type { Descriptions } from "./descriptions.ts";
import type { DriverPool } from "./driver_pool.ts";
import type { LimitedLog } from "./log_limit.ts";
import { type CachedReply, ReplyCache, Session } from "./session.ts";
import type { Tracking } from "./tracking.ts";
import { type Listener, RefusedAtFdLimit, type ServerConn } from "./transport.ts";

/** Bytes read per `read()` call. */
export const READ_SIZE = 4096;
/** Per-connection buffer for encoding short replies. */
export const WRITE_SCRATCH = 2048;
/** Replies built before they are written out (one LIST block always goes whole). */
export const FLUSH_BYTES = 65536;
/** Longest request line (newline included) whose cached reply a connection keeps at hand. */
const MEMO_REQUEST = 128;
/** Longest reply a connection keeps encoded at hand. */
const MEMO_REPLY = 512;

/** A client whose pending write has not finished in this time is dropped. */
export const WRITE_TIMEOUT_MS = 10_000;
/** A client that sent no complete line for this long is dropped (NUT: 60 s). */
export const IDLE_TIMEOUT_MS = 60_000;

/** What {@linkcode Upsd} needs. */
export interface UpsdDeps {
  /** Where clients come from. */
  readonly listeners: readonly Listener[];
  /** UPSes and drivers. */
  readonly pool: DriverPool;
  /** Rights checks. */
  readonly acl: AccessControl;
  /** cmdvartab descriptions. */
  readonly descriptions: Descriptions;
  /** Tracking ids. */
  readonly tracking: Tracking;
  /** Rate-limited log. */
  readonly log: LimitedLog;
  /** Time source. */
  readonly clock: Clock;
  /** Current MAXCONN. */
  readonly maxConn: () => number;
  /** Idle timeout override (ms), for tests. */
  readonly idleTimeoutMs?: number;
  /** Write timeout override (ms), for tests. */
  readonly writeTimeoutMs?: number;
}

interface Client {
  readonly session: Session;
  readonly conn: ServerConn;
  lastHeard: number;
  writingSince: number;
  closed: boolean;
}

const enc = new TextEncoder();

function expectedNetError(e: unknown): boolean {
  return e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.BadResource || e instanceof Deno.errors.NotConnected ||
    e instanceof Deno.errors.ConnectionAborted || e instanceof Deno.errors.Interrupted ||
    e instanceof Deno.errors.TimedOut;
}

function peerGone(e: unknown): boolean {
  return e instanceof Deno.errors.NotConnected || e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.ConnectionAborted || e instanceof Deno.errors.Interrupted;
}

/**
 * The NUT network server.
 *
 * @example
 * ```ts ignore
 * const upsd = new Upsd({ listeners: [listenTcp("127.0.0.1", 3493)], pool, acl, ... });
 * upsd.start();
 * await upsd.shutdown();
 * ```
 */
export class Upsd {
  readonly #deps: UpsdDeps;
  readonly #clients = new Set<Client>();
  readonly #ctx: ServerContext;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closing = false;
  #slotWaiters: (() => void)[] = [];
  readonly #loops: Promise<void>[] = [];
  readonly #replies = new ReplyCache();

  /** @param deps listeners, pool, access control, descriptions, tracking, log, clock, limits */
  constructor(deps: UpsdDeps) {
    this.#deps = deps;
    const clients = this.#clients;
    this.#ctx = {
      pool: deps.pool,
      acl: deps.acl,
      descriptions: deps.descriptions,
      tracking: deps.tracking,
      log: deps.log,
      replies: this.#replies,
      *sessions(): Iterable<SessionState> {
        const all = [...clients];
        for (let i = all.length - 1; i >= 0; i--) yield all[i]!.session;
      },
    };
  }

  /** Connected clients now. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Starts accepting and the housekeeping tick. */
  start(): void {
    for (const l of this.#deps.listeners) this.#loops.push(this.#acceptLoop(l));
    this.#timer = setInterval(() => this.tick(), 1000);
  }

  /** One housekeeping step (also called by the timer every second). */
  tick(): void {
    this.#deps.pool.tick();
    this.#deps.tracking.cleanup();
    this.#deps.log.tick();
    const now = this.#deps.clock.now();
    const idle = this.#deps.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    const stuck = this.#deps.writeTimeoutMs ?? WRITE_TIMEOUT_MS;
    for (const c of this.#clients) {
      if (c.writingSince > 0 && now - c.writingSince > stuck) {
        this.#deps.log.info(
          "stuck",
          `Dropping client ${c.session.ip}: it does not read its replies`,
        );
        this.#drop(c);
      } else if (c.writingSince === 0 && now - c.lastHeard > idle) {
        this.#drop(c);
      }
    }
  }

  async #acceptLoop(l: Listener): Promise<void> {
    let backoff = 0;
    while (!this.#closing) {
      if (this.#clients.size >= this.#deps.maxConn()) {
        await new Promise<void>((r) => this.#slotWaiters.push(r));
        continue;
      }
      let conn: ServerConn;
      try {
        conn = await l.accept();
        backoff = 0;
      } catch (e) {
        if (this.#closing || e instanceof Deno.errors.BadResource) break;
        // a peer that reset before we accepted it: its problem, not ours
        if (peerGone(e)) continue;
        if (e instanceof RefusedAtFdLimit) {
          this.#deps.log.info("fdlimit", `Refused a connection: too many open files`);
          continue;
        }
        // out of descriptors or memory: refuse quietly for a moment, never spin
        backoff = Math.min(backoff === 0 ? 50 : backoff * 2, 1000);
        this.#deps.log.info(
          "accept",
          `accept() failed on ${l.address} port ${l.port}: ${
            e instanceof Error ? e.message : String(e)
          }`,
        );
        await this.#deps.clock.sleep(backoff);
        continue;
      }
      void this.#serve(conn);
    }
  }

  #drop(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    c.conn.close();
  }

  /** Writes what the first `conn.write` left over (a full socket buffer: rare). */
  async #writeRest(c: Client, data: Uint8Array, off: number): Promise<void> {
    while (off < data.length) off += await c.conn.write(data.subarray(off));
  }

  async #serve(conn: ServerConn): Promise<void> {
    const clock = this.#deps.clock;
    const session = new Session(this.#ctx, conn.remoteIp);
    const c: Client = {
      session,
      conn,
      lastHeard: clock.now(),
      writingSince: 0,
      closed: false,
    };
    this.#clients.add(c);
    const splitter = new LineSplitter(MAX_LINE);
    const buf = new Uint8Array(READ_SIZE);
    const scratch = new Uint8Array(WRITE_SCRATCH);
    // The reply to one read is written while the next read is already
    // waiting: one write in flight at most, awaited before the next one.
    // `pending` is cleared when the write is done, so the common case (the
    // previous reply long gone) costs no await.
    let pending: Promise<void> | undefined;
    let writeError: unknown;
    const done = () => {
      c.writingSince = 0;
      pending = undefined;
    };
    const failed = (e: unknown) => {
      writeError = e;
      done();
    };
    // the bytes being written, and views of the scratch buffer by length:
    // a client polling one line gets the same reply length every time
    let inFlight: Uint8Array = scratch;
    const views: Uint8Array[] = [];
    const wrote = (n: number): Promise<void> | undefined => {
      if (n < inFlight.length) return this.#writeRest(c, inFlight, n).then(done, failed);
      done();
      return undefined;
    };
    const sendBytes = (data: Uint8Array, now: number) => {
      inFlight = data;
      c.writingSince = now;
      try {
        pending = conn.write(data).then(wrote, failed);
      } catch (e) {
        pending = Promise.reject(e).then(done, failed);
      }
    };
    const send = (text: string, now: number) => {
      // replies are ASCII: a short one fits the connection's scratch buffer, no allocation
      if (text.length <= scratch.length) {
        const len = enc.encodeInto(text, scratch).written;
        sendBytes(views[len] ??= scratch.subarray(0, len), now);
      } else {
        sendBytes(enc.encode(text), now);
      }
    };
    // The last one-line request whose reply came from the shared reply cache,
    // with that reply encoded: the same bytes again, while the UPS's data is
    // unchanged, get the same bytes back without decoding, lookup or encoding.
    let memo: Uint8Array | undefined;
    let memoLen = 0;
    let memoRec: CachedReply | undefined;
    let memoOut: Uint8Array = scratch;
    const remember = (one: string, n: number, out: string): Uint8Array | undefined => {
      const rec = this.#replies.record(one);
      if (
        rec === undefined || rec.reply !== out || rec.ups.version !== rec.version ||
        n > MEMO_REQUEST || out.length > MEMO_REPLY
      ) {
        memoRec = undefined;
        return undefined;
      }
      memo ??= new Uint8Array(MEMO_REQUEST + MEMO_REPLY * 3);
      memo.set(buf.subarray(0, n));
      memoLen = n;
      memoRec = rec;
      const room = memo.subarray(MEMO_REQUEST);
      memoOut = room.subarray(0, enc.encodeInto(out, room).written);
      return memoOut;
    };
    const sameAsMemo = (n: number): boolean => {
      if (n !== memoLen || memo === undefined) return false;
      for (let i = 0; i < n; i++) if (buf[i] !== memo[i]) return false;
      return true;
    };
    const flush = async (text: string) => {
      if (pending) await pending;
      if (writeError !== undefined) throw writeError;
      send(text, clock.now());
    };
    try {
      while (!c.closed) {
        const n = await conn.read(buf);
        if (n === null) break;
        let out: string;
        let stamp = 0;
        if (
          memoRec !== undefined && memoRec.ups.version === memoRec.version && splitter.idle &&
          sameAsMemo(n)
        ) {
          // the request just answered, again, and its reply is still valid
          stamp = c.lastHeard = clock.now();
          if (pending) {
            await pending;
            stamp = 0;
          }
          if (writeError !== undefined) throw writeError;
          sendBytes(memoOut, stamp || clock.now());
          continue;
        }
        let remembering = false;
        const one = splitter.onlyLine(buf, n);
        if (one !== undefined) {
          // one whole line per read: the usual request/reply exchange
          stamp = c.lastHeard = clock.now();
          out = session.handleLine(one);
          if (session.delayMs > 0) {
            const ms = session.delayMs;
            session.delayMs = 0;
            await clock.sleep(ms);
            stamp = 0;
          } else {
            remembering = !session.closing;
          }
        } else {
          const events = splitter.push(buf.subarray(0, n));
          if (events.length === 0) continue;
          c.lastHeard = clock.now();
          out = "";
          for (const e of events) {
            out += e.kind === "line" ? session.handleLine(e.text) : session.tooLong();
            if (session.delayMs > 0) {
              const ms = session.delayMs;
              session.delayMs = 0;
              await clock.sleep(ms);
            }
            if (session.closing) break;
            if (out.length >= FLUSH_BYTES) {
              await flush(out);
              out = "";
            }
          }
        }
        if (out !== "") {
          if (pending) {
            await pending;
            stamp = 0;
          }
          if (writeError !== undefined) throw writeError;
          // (the memo is rewritten only now: no write of it is in flight)
          const bytes = remembering ? remember(one!, n, out) : undefined;
          if (bytes !== undefined) sendBytes(bytes, stamp || clock.now());
          else send(out, stamp || clock.now());
        }
        if (session.closing) break;
      }
      if (pending) await pending;
      if (writeError !== undefined) throw writeError;
    } catch (e) {
      if (!c.closed && !expectedNetError(e)) {
        this.#deps.log.info("client-error", `Client ${session.ip}: ${String(e)}`);
      }
    } finally {
      if (pending) await pending;
      session.end();
      this.#clients.delete(c);
      this.#drop(c);
      const w = this.#slotWaiters.shift();
      if (w) w();
    }
  }

  /** Stops listening, drops every client and disconnects the drivers. */
  async shutdown(): Promise<void> {
    this.#closing = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const l of this.#deps.listeners) l.close();
    for (const w of this.#slotWaiters.splice(0)) w();
    for (const c of this.#clients) this.#drop(c);
    this.#deps.pool.close();
    await Promise.allSettled(this.#loops);
  }
}
