/**
 * The byte pipe under {@linkcode NutClient}: a small {@linkcode Transport}
 * interface and {@linkcode connectTcp}, the project's only `Deno.connect`
 * for NUT's TCP protocol. Connection failures become
 * {@linkcode UpsClientError}s carrying libupsclient's texts.
 *
 * @module
 */

import { UpsClientError } from "./errors.ts";

/** A connected byte stream (TCP, TLS or in-memory). */
export interface Transport {
  /** Reads into `buf`; resolves with the count, or null at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Writes all of `data`. */
  write(data: Uint8Array): Promise<void>;
  /** Closes both directions; pending reads end. Idempotent. */
  close(): void;
  /** Upgrades to TLS (absent when the transport cannot). */
  startTls?(hostname: string): Promise<Transport>;
  /** The peer, as `ip:port` (or a label for in-memory pairs). */
  readonly remoteAddr: string;
}

/** Options for {@linkcode connectTcp}. */
export interface TcpConnectOptions {
  /** Host name or IP literal (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Give up connecting after this many ms (default: no limit but the OS's). */
  readonly timeoutMs?: number;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  ECONNRESET: "Connection reset by peer",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EPIPE: "Broken pipe",
};

/**
 * The C library's `strerror()` text for a Deno I/O error.
 * @param e the error
 * @returns e.g. `Connection refused`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strerrorOf } from "./transport.ts";
 * assert.equal(strerrorOf(new Error("Broken pipe (os error 32)")), "Broken pipe");
 * ```
 */
export function strerrorOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && ERRNO_TEXT[code]) return ERRNO_TEXT[code];
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/ \(os error \d+\)$/, "");
}

function isLookupFailure(e: unknown): boolean {
  return e instanceof Error &&
    /failed to lookup address|Name or service not known|No address|invalid host/i
      .test(e.message);
}

class ConnTransport implements Transport {
  readonly #conn: Deno.Conn;
  #closed = false;
  readonly remoteAddr: string;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    const a = conn.remoteAddr;
    this.remoteAddr = a.transport === "tcp" ? `${a.hostname}:${a.port}` : "tls";
  }

  async read(buf: Uint8Array): Promise<number | null> {
    if (this.#closed) return null;
    try {
      return await this.#conn.read(buf);
    } catch (e) {
      if (
        this.#closed &&
        (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted)
      ) {
        return null;
      }
      throw e;
    }
  }

  async write(data: Uint8Array): Promise<void> {
    let rest = data;
    while (rest.length > 0) {
      const n = await this.#conn.write(rest);
      rest = rest.subarray(n);
    }
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

  async startTls(hostname: string): Promise<Transport> {
    const tls = await Deno.startTls(this.#conn as Deno.TcpConn, { hostname });
    // libupsclient completes the handshake before going on (SSL_ForceHandshake)
    await tls.handshake();
    return new ConnTransport(tls);
  }
}

/**
 * Opens a TCP connection to upsd.
 * @param options host, port and connect timeout
 * @returns the transport
 * @throws UpsClientError `No such host`, `Connection failure: <strerror>`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectTcp } from "./transport.ts";
 * const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = (l.addr as Deno.NetAddr).port;
 * l.close();
 * await assert.rejects(connectTcp({ host: "127.0.0.1", port }), {
 *   message: "Connection failure: Connection refused",
 * });
 * ```
 */
export async function connectTcp(options: TcpConnectOptions): Promise<Transport> {
  const attempt = Deno.connect({ hostname: options.host, port: options.port });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const conn = options.timeoutMs === undefined ? await attempt : await Promise.race([
      attempt,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          attempt.then((c) => c.close(), () => {});
          reject(new UpsClientError("CONNFAILURE", "Connection failure: Connection timed out"));
        }, options.timeoutMs);
      }),
    ]);
    try {
      conn.setNoDelay(true);
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
    return new ConnTransport(conn);
  } catch (e) {
    if (e instanceof UpsClientError) throw e;
    if (isLookupFailure(e)) throw new UpsClientError("NOSUCHHOST", "No such host", { cause: e });
    throw new UpsClientError("CONNFAILURE", `Connection failure: ${strerrorOf(e)}`, { cause: e });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
