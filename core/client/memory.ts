/**
 * An in-memory {@linkcode Transport} pair: what one end writes the other
 * reads. For tests and for wiring a client to a server in one process.
 *
 * @module
 */

import type { Transport } from "./transport.ts";

class Pipe {
  #chunks: Uint8Array[] = [];
  #closed = false;
  #waiter: (() => void) | undefined;

  push(data: Uint8Array): void {
    if (this.#closed) throw new Deno.errors.BrokenPipe("Broken pipe");
    if (data.length === 0) return;
    this.#chunks.push(data.slice());
    this.#wake();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  async read(buf: Uint8Array): Promise<number | null> {
    for (let i = 0; i < 1_000_000; i++) {
      const head = this.#chunks[0];
      if (head) {
        const n = Math.min(head.length, buf.length);
        buf.set(head.subarray(0, n));
        if (n === head.length) this.#chunks.shift();
        else this.#chunks[0] = head.subarray(n);
        return n;
      }
      if (this.#closed) return null;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    return null;
  }
}

class MemoryTransport implements Transport {
  readonly #in: Pipe;
  readonly #out: Pipe;
  readonly remoteAddr: string;

  constructor(input: Pipe, output: Pipe, remoteAddr: string) {
    this.#in = input;
    this.#out = output;
    this.remoteAddr = remoteAddr;
  }

  read(buf: Uint8Array): Promise<number | null> {
    return this.#in.read(buf);
  }

  write(data: Uint8Array): Promise<void> {
    try {
      this.#out.push(data);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): void {
    this.#in.close();
    this.#out.close();
  }
}

/**
 * Creates two connected in-memory transports.
 * @param labels remote-address labels for each end
 * @returns `[clientEnd, serverEnd]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryPair } from "./memory.ts";
 * const [a, b] = memoryPair();
 * await a.write(new TextEncoder().encode("VER\n"));
 * const buf = new Uint8Array(16);
 * const n = await b.read(buf);
 * assert.equal(new TextDecoder().decode(buf.subarray(0, n ?? 0)), "VER\n");
 * a.close();
 * assert.equal(await b.read(buf), null);
 * ```
 */
export function memoryPair(
  labels: { client?: string; server?: string } = {},
): [Transport, Transport] {
  const toServer = new Pipe();
  const toClient = new Pipe();
  return [
    new MemoryTransport(toClient, toServer, labels.server ?? "memory-server"),
    new MemoryTransport(toServer, toClient, labels.client ?? "127.0.0.1"),
  ];
}
