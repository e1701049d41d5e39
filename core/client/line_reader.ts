/**
 * Reads reply lines from a {@linkcode Transport} the way libupsclient's
 * `upscli_readline()` does: bytes up to `\n` (dropped), at most 511 per
 * line, each read bounded by a timeout; bytes kept as latin1 chars.
 *
 * @module
 */

import type { Transport } from "./transport.ts";
import { UpsClientError } from "./errors.ts";
import { strerrorOf } from "./transport.ts";

/** libupsclient's UPSCLI_NETBUF_LEN − 1: the longest line it returns at once. */
export const MAX_REPLY_LINE = 511;

/** Line reader with a per-read timeout. */
export class LineReader {
  #buf: Uint8Array = new Uint8Array(0);
  #transport: Transport;
  readonly #chunk = new Uint8Array(4096);

  /** @param transport where bytes come from */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Swaps the transport (after STARTTLS); buffered bytes are kept. */
  set transport(t: Transport) {
    this.#transport = t;
  }

  /**
   * Reads one line.
   * @param timeoutMs per-read limit (libupsclient: 5 s); on expiry the
   *   server counts as disconnected
   * @returns the line without `\n`
   * @throws UpsClientError `Server disconnected` (EOF or timeout), `Read error: …`
   */
  async readLine(timeoutMs: number): Promise<string> {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const nl = this.#buf.indexOf(10);
      if (nl >= 0 && nl <= MAX_REPLY_LINE) return this.#take(nl, 1);
      if (this.#buf.length >= MAX_REPLY_LINE) return this.#take(MAX_REPLY_LINE, 0);
      const n = await this.#readChunk(timeoutMs);
      const merged = new Uint8Array(this.#buf.length + n);
      merged.set(this.#buf);
      merged.set(this.#chunk.subarray(0, n), this.#buf.length);
      this.#buf = merged;
    }
    throw new UpsClientError("READ", "Read error: line too long");
  }

  #take(len: number, skip: number): string {
    const line = String.fromCharCode(...this.#buf.subarray(0, len));
    this.#buf = this.#buf.subarray(len + skip);
    return line;
  }

  async #readChunk(timeoutMs: number): Promise<number> {
    const limit = deadline(timeoutMs);
    try {
      const n = await Promise.race([this.#transport.read(this.#chunk), limit.expired]);
      if (n === "timeout" || n === null || n === 0) {
        throw new UpsClientError("SRVDISC", "Server disconnected");
      }
      return n;
    } catch (e) {
      if (e instanceof UpsClientError) throw e;
      throw new UpsClientError("READ", `Read error: ${strerrorOf(e)}`, { cause: e });
    } finally {
      limit.cancel();
    }
  }
}

/**
 * A cancellable deadline that does not use `setTimeout`: Deno initialises
 * its timers lazily and the first `setTimeout` of a process costs ~4.5 ms,
 * a quarter of a one-shot `upsc`. `Atomics.waitAsync` times out inside V8
 * instead. Like any timer it only fires while something (here the pending
 * socket read) keeps the event loop alive.
 * @param ms the limit
 * @returns a promise that resolves "timeout" when the limit passes, and a canceller
 */
export function deadline(ms: number): { expired: Promise<"timeout">; cancel(): void } {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, ms);
  if (!wait.async) return { expired: Promise.resolve("timeout"), cancel: () => {} };
  return {
    expired: wait.value.then((r) =>
      r === "timed-out" ? "timeout" : new Promise<"timeout">(() => {/* cancelled: never */})
    ),
    cancel: () => void Atomics.notify(cell, 0),
  };
}
