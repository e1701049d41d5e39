/**
 * A scripted upsd for client tests: a handler maps each request line to
 * reply lines. Served over an in-memory transport or a real loopback TCP
 * listener; replies can be delivered byte by byte.
 * @module
 */

import { memoryPair } from "../../../core/client/memory.ts";
import type { Transport } from "../../../core/client/transport.ts";
import { quoteValue } from "../../../core/protocol/tokenize.ts";

/** What a handler returns: reply lines (without `\n`), "close" to hang up, or nothing. */
export type Reply = string | readonly string[] | "close" | undefined;

/** A request handler. */
export type Handler = (line: string, state: Map<string, unknown>) => Reply | Promise<Reply>;

/** Options for serving. */
export interface ServeOptions {
  /** Write replies one byte per write. */
  byteByByte?: boolean;
}

/** The requests a fake server saw. */
export interface Seen {
  readonly lines: string[];
  /** Resolves when the client side closed. */
  readonly closed: Promise<void>;
}

async function writeAll(w: { write(b: Uint8Array): Promise<unknown> }, text: string, one: boolean) {
  const bytes = new TextEncoder().encode(text);
  if (!one) {
    await w.write(bytes);
    return;
  }
  for (let i = 0; i < bytes.length; i++) await w.write(bytes.subarray(i, i + 1));
}

/**
 * Serves one connection with a handler.
 * @param t the server end
 * @param handler request → reply
 * @param options delivery options
 * @returns what was seen
 */
export function serveTransport(t: Transport, handler: Handler, options: ServeOptions = {}): Seen {
  const lines: string[] = [];
  const state = new Map<string, unknown>();
  const closed = (async () => {
    const buf = new Uint8Array(4096);
    let pending = "";
    for (let i = 0; i < 100_000; i++) {
      const n = await t.read(buf).catch((e) => (e instanceof Error ? null : Promise.reject(e)));
      if (n === null) break;
      pending += String.fromCharCode(...buf.subarray(0, n));
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(line);
        const r = await handler(line, state);
        if (r === "close") {
          t.close();
          return;
        }
        if (r === undefined) continue;
        const out = typeof r === "string" ? [r] : r;
        if (out.length) {
          await writeAll(t, out.map((l) => `${l}\n`).join(""), options.byteByByte ?? false)
            .catch((e) => (e instanceof Error ? undefined : Promise.reject(e)));
        }
      }
    }
    t.close();
  })();
  return { lines, closed };
}

/**
 * An in-memory client transport wired to a scripted server.
 * @param handler request → reply
 * @param options delivery options
 * @returns the client end and what the server saw
 */
export function memoryUpsd(
  handler: Handler,
  options: ServeOptions = {},
): { client: Transport; seen: Seen } {
  const [client, server] = memoryPair();
  return { client, seen: serveTransport(server, handler, options) };
}

/** A scripted upsd on a loopback TCP port. */
export interface TcpUpsd extends AsyncDisposable {
  readonly port: number;
  /** Requests of every connection, in order. */
  readonly lines: string[];
  /** Number of connections accepted. */
  connections(): number;
}

/**
 * Starts a scripted upsd on 127.0.0.1 (port 0).
 * @param handler request → reply
 * @param options delivery options
 * @returns the server; dispose closes it
 */
export function tcpUpsd(handler: Handler, options: ServeOptions = {}): TcpUpsd {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const lines: string[] = [];
  const conns: Deno.Conn[] = [];
  const served: Promise<void>[] = [];
  let count = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      count++;
      conns.push(conn);
      const t: Transport = {
        remoteAddr: "peer",
        read: (b) => conn.read(b),
        write: async (d) => {
          let rest = d;
          while (rest.length) rest = rest.subarray(await conn.write(rest));
        },
        close: () => {
          try {
            conn.close();
          } catch (e) {
            if (!(e instanceof Deno.errors.BadResource)) throw e;
          }
        },
      };
      const seen = serveTransport(t, (l, s) => {
        lines.push(l);
        return handler(l, s);
      }, options);
      served.push(seen.closed);
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    lines,
    connections: () => count,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting.catch((e) => {
        if (!(e instanceof Deno.errors.BadResource)) throw e;
      });
      for (const c of conns) {
        try {
          c.close();
        } catch (e) {
          if (!(e instanceof Deno.errors.BadResource)) throw e;
        }
      }
      await Promise.all(served);
    },
  };
}

/** A small UPS for scripted servers: answers like upsd 2.8.0 for the common requests. */
export function simpleUpsd(
  vars: Record<string, string>,
  extra: Handler = () => undefined,
): Handler {
  return async (line, state) => {
    const x = await extra(line, state);
    if (x !== undefined) return x;
    const w = line.split(" ");
    if (line === "STARTTLS") return "ERR FEATURE-NOT-CONFIGURED";
    if (line === "LOGOUT") return "OK Goodbye";
    if (w[0] === "GET" && w[1] === "VAR") {
      if (w[2] !== "ups") return "ERR UNKNOWN-UPS";
      const v = vars[w[3] ?? ""];
      return v === undefined ? "ERR VAR-NOT-SUPPORTED" : `VAR ${w[2]} ${w[3]} ${quoteValue(v)}`;
    }
    if (w[0] === "LIST" && w[1] === "VAR") {
      if (w[2] !== "ups") return "ERR UNKNOWN-UPS";
      return [
        `BEGIN LIST VAR ${w[2]}`,
        ...Object.entries(vars).map(([k, v]) => `VAR ${w[2]} ${k} ${quoteValue(v)}`),
        `END LIST VAR ${w[2]}`,
      ];
    }
    if (line === "LIST UPS") return ["BEGIN LIST UPS", 'UPS ups "Test UPS"', "END LIST UPS"];
    return "ERR UNKNOWN-COMMAND";
  };
}
