/**
 * upsd's window on the network: the {@linkcode Listener} and
 * {@linkcode ServerConn} interfaces the server is written against, and the
 * only places upsd calls `Deno.listen` (TCP, {@linkcode listenTcp}) and
 * `Deno.connect` (the drivers' Unix sockets, {@linkcode connectUnix}).
 * Tests inject in-memory implementations.
 *
 * @module
 */

/** One accepted client connection. */
export interface ServerConn {
  /** Reads into `buf`; resolves with the count, or null at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Writes some of `data`; resolves with the count written. */
  write(data: Uint8Array): Promise<number>;
  /** Closes the connection (idempotent). */
  close(): void;
  /** The peer's address, as NUT logs it (`127.0.0.1`, `::1`). */
  readonly remoteIp: string;
}

/** A listening socket. */
export interface Listener {
  /** Waits for the next connection; rejects when closed or on an OS error. */
  accept(): Promise<ServerConn>;
  /** Stops listening (idempotent); pending `accept()` calls reject. */
  close(): void;
  /** The address as NUT logs it (`127.0.0.1`). */
  readonly address: string;
  /** The bound port. */
  readonly port: number;
}

/** A connection to a driver's socket. */
export interface DriverConn {
  /** Reads into `buf`; resolves with the count, or null at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Writes some of `data`; resolves with the count written. */
  write(data: Uint8Array): Promise<number>;
  /** Closes the connection (idempotent). */
  close(): void;
}

class DenoServerConn implements ServerConn {
  readonly #conn: Deno.Conn;
  #closed = false;
  readonly remoteIp: string;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    const a = conn.remoteAddr;
    this.remoteIp = a.transport === "tcp" ? a.hostname : "unknown";
  }

  read(buf: Uint8Array): Promise<number | null> {
    return this.#conn.read(buf);
  }

  write(data: Uint8Array): Promise<number> {
    return this.#conn.write(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  }
}

/**
 * `accept()` hit the open-files limit; the waiting connection was accepted
 * on a reserved descriptor and closed at once (the peer sees a clean close).
 */
export class RefusedAtFdLimit extends Error {
  /** @param options cause */
  constructor(options: { cause?: unknown } = {}) {
    super("Too many open files: connection refused", options);
    this.name = "RefusedAtFdLimit";
  }
}

function isFdLimit(e: unknown): boolean {
  return e instanceof Error && /os error 2[34]\)/.test(e.message);
}

function openSpare(): Deno.FsFile | undefined {
  try {
    return Deno.openSync("/dev/null");
  } catch (e) {
    if (isFdLimit(e) || e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Listens on a TCP address (IPv4 or IPv6 literal, or a host name).
 * Accepted connections get TCP_NODELAY: a whole reply goes out at once.
 * @param hostname address to bind
 * @param port port to bind (0 = any free port)
 * @returns the listener
 * @throws Deno.errors.AddrInUse and other OS errors from `Deno.listen`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenTcp } from "./transport.ts";
 * const l = listenTcp("127.0.0.1", 0);
 * assert.ok(l.port > 0);
 * l.close();
 * ```
 */
export function listenTcp(hostname: string, port: number): Listener {
  const l = Deno.listen({ hostname, port, transport: "tcp" });
  let closed = false;
  // one descriptor held in reserve: at the open-files limit it is released
  // to accept and close the waiting connection instead of leaving it queued
  let spare = openSpare();
  return {
    address: hostname,
    port: (l.addr as Deno.NetAddr).port,
    async accept(): Promise<ServerConn> {
      let conn: Deno.TcpConn;
      try {
        conn = await l.accept();
      } catch (e) {
        if (!isFdLimit(e) || spare === undefined) throw e;
        spare.close();
        spare = undefined;
        try {
          (await l.accept()).close();
        } finally {
          spare = openSpare();
        }
        throw new RefusedAtFdLimit({ cause: e });
      }
      try {
        conn.setNoDelay(true);
      } catch (e) {
        // the peer may already be gone; the first read reports it
        if (!(e instanceof Deno.errors.BadResource || e instanceof Deno.errors.NotConnected)) {
          conn.close();
          throw e;
        }
      }
      return new DenoServerConn(conn);
    },
    close(): void {
      if (closed) return;
      closed = true;
      spare?.close();
      spare = undefined;
      l.close();
    },
  };
}

/**
 * Connects to a driver's Unix socket (`STATEPATH/<driver>-<ups>`).
 * @param path socket path
 * @returns the connection
 * @throws Deno.errors.NotFound / ConnectionRefused when no driver listens there
 * @example
 * ```ts ignore
 * const c = await connectUnix("/run/nut/dummy-ups-ups1");
 * c.close();
 * ```
 */
export async function connectUnix(path: string): Promise<DriverConn> {
  const conn = await Deno.connect({ transport: "unix", path });
  let closed = false;
  return {
    read: (buf) => conn.read(buf),
    write: (data) => conn.write(data),
    close(): void {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch (e) {
        if (!(e instanceof Deno.errors.BadResource)) throw e;
      }
    },
  };
}
