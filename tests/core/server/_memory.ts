/**
 * In-memory stand-ins for upsd's transport: a listener fed by the test,
 * client connections that record every write, a driver connection the test
 * scripts, and a clock the test moves.
 * @module
 */

import type { DriverConn, Listener, ServerConn } from "../../../core/server/transport.ts";
import type { Clock } from "../../../core/runtime/clock.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

/** A byte queue with blocking reads. */
class Pipe {
  #chunks: Uint8Array[] = [];
  #waiter: (() => void) | undefined;
  closed = false;
  push(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#wake();
  }
  close(): void {
    this.closed = true;
    this.#wake();
  }
  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }
  async read(buf: Uint8Array): Promise<number | null> {
    for (let i = 0; i < 1_000_000; i++) {
      const c = this.#chunks.shift();
      if (c) {
        const n = Math.min(c.length, buf.length);
        buf.set(c.subarray(0, n));
        if (n < c.length) this.#chunks.unshift(c.subarray(n));
        return n;
      }
      if (this.closed) return null;
      await new Promise<void>((r) => (this.#waiter = r));
    }
    return null;
  }
}

/** A client connection as the server sees it; the test writes requests and reads writes. */
export class MemConn implements ServerConn {
  readonly toServer = new Pipe();
  readonly writes: string[] = [];
  closed = false;
  /** When set, writes never complete (a client that stopped reading). */
  stuck = false;
  #onWrite: (() => void)[] = [];
  constructor(readonly remoteIp = "127.0.0.1") {}
  send(text: string): void {
    this.toServer.push(enc.encode(text));
  }
  read(buf: Uint8Array): Promise<number | null> {
    if (this.closed) return Promise.resolve(null);
    return this.toServer.read(buf);
  }
  write(data: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Deno.errors.BrokenPipe("closed"));
    if (this.stuck) {
      return new Promise((_, rej) => this.#onWrite.push(() => rej(new Deno.errors.BrokenPipe())));
    }
    this.writes.push(dec.decode(data));
    return Promise.resolve(data.length);
  }
  close(): void {
    this.closed = true;
    this.toServer.close();
    for (const f of this.#onWrite.splice(0)) f();
  }
  /** Everything written so far. */
  get output(): string {
    return this.writes.join("");
  }
}

/** A listener the test hands connections to. */
export class MemListener implements Listener {
  readonly address = "127.0.0.1";
  readonly port = 3493;
  #queue: MemConn[] = [];
  #waiter: ((c: MemConn | undefined) => void) | undefined;
  accepted = 0;
  #closed = false;
  connect(c = new MemConn()): MemConn {
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      this.accepted++;
      w(c);
    } else this.#queue.push(c);
    return c;
  }
  accept(): Promise<ServerConn> {
    const c = this.#queue.shift();
    if (c) {
      this.accepted++;
      return Promise.resolve(c);
    }
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    return new Promise((res, rej) =>
      this.#waiter = (c) => (c ? res(c) : rej(new Deno.errors.BadResource("closed")))
    );
  }
  close(): void {
    this.#closed = true;
    this.#waiter?.(undefined);
  }
}

/** A driver socket the test scripts. */
export class MemDriver implements DriverConn {
  readonly fromServer: string[] = [];
  readonly toServer = new Pipe();
  closed = false;
  say(lines: string): void {
    this.toServer.push(enc.encode(lines));
  }
  read(buf: Uint8Array): Promise<number | null> {
    return this.toServer.read(buf);
  }
  write(data: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Deno.errors.BrokenPipe("closed"));
    this.fromServer.push(...dec.decode(data).split("\n").filter((l) => l !== ""));
    return Promise.resolve(data.length);
  }
  close(): void {
    this.closed = true;
    this.toServer.close();
  }
}

/** A clock the test moves by hand; sleeps resolve at once. */
export class FakeClock implements Clock {
  t = 1_700_000_000_000;
  now(): number {
    return this.t;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Lets pending promise callbacks run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
