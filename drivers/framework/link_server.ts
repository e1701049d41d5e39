/**
 * The driver side of the driver socket: a Unix stream socket at
 * `STATEPATH/<driver>-<ups>` serving upsd (and upsdrvctl, socat, …) with
 * NUT's dstate protocol: `DUMPALL`, `PING`, `SET`/`INSTCMD` with `TRACKING`,
 * `NOBROADCAST`/`BROADCAST`, `GETPID`, `DUMPVALUE`, `DUMPSTATUS`, `LOGOUT`,
 * and spontaneous updates of every state change to every connection.
 *
 * This is the only file of the framework that calls `Deno.listen`.
 *
 * @module
 */

import {
  type DriverMessage,
  formatDriverMessage,
  LinkReader,
  parseServerMessage,
  type ServerMessage,
  type ServerParseError,
  type TrackingResult,
} from "../../core/protocol/driver_link.ts";
import type { UpsState } from "../../core/state/ups_state.ts";
import type { Logger } from "../../core/runtime/logger.ts";

/** What the server asks the runner to do for `SET` and `INSTCMD`. */
export interface LinkHandlers {
  /**
   * Runs an instant command.
   * @param cmd command name
   * @param param optional parameter
   * @returns the tracking result
   */
  instcmd(cmd: string, param: string | undefined): Promise<TrackingResult>;
  /**
   * Sets a variable.
   * @param name variable name
   * @param value new value
   * @returns the tracking result
   */
  setvar(name: string, value: string): Promise<TrackingResult>;
}

/** Bytes a peer may leave unread before it is disconnected (it stopped reading). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** Wire text is byte-valued (latin1), like every NUT line. */
function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

class Conn {
  readonly #conn: Deno.Conn;
  #chain: Promise<void> = Promise.resolve();
  #queued = 0;
  broadcast = true;
  closed = false;
  /** An unexpected write error, kept for the log. */
  error: unknown = undefined;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  send(text: string): void {
    if (this.closed) return;
    const bytes = latin1(text);
    this.#queued += bytes.length;
    if (this.#queued > MAX_QUEUED_BYTES) {
      this.error = new Error(`peer left more than ${MAX_QUEUED_BYTES} bytes unread`);
      this.close();
      return;
    }
    this.#chain = this.#chain.then(async () => {
      if (this.closed) return;
      let off = 0;
      while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
      this.#queued -= bytes.length;
    }).catch((e) => {
      // A peer that stops reading or goes away loses its connection, never the driver.
      if (!isPeerGone(e)) this.error = e;
      this.close();
    });
  }

  async read(buf: Uint8Array): Promise<number | null> {
    try {
      return await this.#conn.read(buf);
    } catch (e) {
      if (isPeerGone(e)) return null;
      throw e;
    }
  }

  async flush(): Promise<void> {
    await this.#chain;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.#conn.close();
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  }
}

function isPeerGone(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.BadResource || e instanceof Deno.errors.NotConnected ||
    e instanceof Deno.errors.Interrupted;
}

/**
 * Serves one driver's socket.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkServer } from "./link_server.ts";
 * assert.equal(typeof LinkServer, "function");
 * ```
 */
export class LinkServer {
  readonly #state: UpsState;
  readonly #log: Logger;
  readonly #handlers: LinkHandlers;
  readonly #conns = new Set<Conn>();
  #listener: Deno.Listener | undefined;
  #path = "";
  #unsubscribe: (() => void) | undefined;
  #accepting: Promise<void> | undefined;
  readonly #tasks = new Set<Promise<void>>();

  /**
   * @param state the driver's state (dumped and broadcast)
   * @param log logger
   * @param handlers SET/INSTCMD handlers
   */
  constructor(state: UpsState, log: Logger, handlers: LinkHandlers) {
    this.#state = state;
    this.#log = log;
    this.#handlers = handlers;
  }

  /** The socket path, once listening. */
  get path(): string {
    return this.#path;
  }

  /** Number of connected clients. */
  get connections(): number {
    return this.#conns.size;
  }

  /**
   * Creates the socket (an old one is unlinked first), mode 0660, and starts
   * serving.
   * @param path socket path
   * @throws Error with NUT's wording when the socket cannot be created
   */
  listen(path: string): void {
    if (new TextEncoder().encode(path).length >= 108) {
      throw new Error(`Can't create a unix domain socket: pathname ${path} is too long`);
    }
    try {
      Deno.removeSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    // NUT binds under umask 0007. Deno has no umask: bind inside a private
    // (0700) directory, chmod 0660, then rename into place, so the socket is
    // never reachable with looser permissions.
    const dir = path.slice(0, path.lastIndexOf("/") + 1) || "./";
    const tmp = Deno.makeTempDirSync({ dir, prefix: ".s" });
    try {
      Deno.chmodSync(tmp, 0o700);
      this.#listener = Deno.listen({ transport: "unix", path: `${tmp}/s` });
      Deno.chmodSync(`${tmp}/s`, 0o660);
      Deno.renameSync(`${tmp}/s`, path);
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
    this.#path = path;
    this.#unsubscribe = this.#state.subscribe((msg) => this.#broadcast(msg));
    this.#accepting = this.#acceptLoop(this.#listener);
  }

  async #acceptLoop(listener: Deno.Listener): Promise<void> {
    try {
      for await (const c of listener) {
        const conn = new Conn(c);
        this.#conns.add(conn);
        this.#log.debug(3, `new connection on ${this.#path}`);
        const task = this.#serve(conn).finally(() => {
          if (conn.error !== undefined) {
            this.#log.info(`Dropped a connection on ${this.#path}: ${String(conn.error)}`);
          }
          this.#conns.delete(conn);
          this.#tasks.delete(task);
          conn.close();
        });
        this.#tasks.add(task);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  }

  #broadcast(msg: DriverMessage): void {
    const line = formatDriverMessage(msg);
    for (const c of this.#conns) if (c.broadcast) c.send(line);
  }

  async #serve(conn: Conn): Promise<void> {
    const reader = new LinkReader<ServerMessage | ServerParseError>(parseServerMessage);
    const buf = new Uint8Array(4096);
    for (let n = await conn.read(buf); n !== null && !conn.closed; n = await conn.read(buf)) {
      for (const line of reader.push(buf.subarray(0, n))) {
        if (line.error !== undefined) {
          this.#log.info(`Parse error on sock: ${line.error}`);
          break;
        }
        await this.#handle(conn, line.message, line.words);
      }
    }
  }

  async #handle(
    conn: Conn,
    msg: ServerMessage | ServerParseError,
    words: readonly string[],
  ): Promise<void> {
    const send = (m: DriverMessage) => conn.send(formatDriverMessage(m));
    const sendAll = (ms: DriverMessage[]) => conn.send(ms.map(formatDriverMessage).join(""));
    switch (msg.kind) {
      case "dumpall":
        sendAll(this.#state.dumpMessages());
        return;
      case "ping":
        send({ kind: "pong" });
        return;
      case "nobroadcast":
        conn.broadcast = false;
        return;
      case "broadcast":
        conn.broadcast = msg.level === undefined || msg.level > 0;
        return;
      case "getpid":
        send({ kind: "pid", pid: Deno.pid });
        return;
      case "dumpvalue":
        sendAll(this.#state.dumpValueMessages(msg.name));
        return;
      case "dumpstatus":
        sendAll(this.#state.dumpValueMessages("ups.status"));
        return;
      case "logout":
        send({ kind: "goodbye" });
        await conn.flush();
        conn.close();
        return;
      case "instcmd": {
        const r = await this.#handlers.instcmd(msg.cmd, msg.param);
        if (msg.tracking !== undefined) send({ kind: "tracking", id: msg.tracking, result: r });
        return;
      }
      case "set": {
        const r = await this.#handlers.setvar(msg.name, msg.value);
        if (msg.tracking !== undefined) send({ kind: "tracking", id: msg.tracking, result: r });
        return;
      }
      case "error":
        if (msg.reason === "malformed-instcmd") {
          this.#log.info("Malformed INSTCMD request");
        } else if (msg.reason === "malformed-set") {
          this.#log.info(`Got SET <var> with unsupported parameters (${words[3]}/${words[4]})`);
        } else {
          this.#log.info("Unknown command on socket: ");
          words.forEach((w, i) => this.#log.info(`arg ${i}: ${w}`));
        }
        return;
    }
  }

  /**
   * Stops serving: closes every connection and the listener, unlinks the socket.
   */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const c of this.#conns) c.close();
    if (this.#listener) {
      try {
        this.#listener.close();
      } catch (e) {
        if (!(e instanceof Deno.errors.BadResource)) throw e;
      }
      this.#listener = undefined;
      await this.#accepting;
      await Promise.allSettled([...this.#tasks]);
      try {
        Deno.removeSync(this.#path);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
  }
}
