/**
 * One client connection's state and its request dispatch: words →
 * {@linkcode parseRequest} → the USERNAME/PASSWORD gate of NUT's
 * `check_command` → the handler table. Pure: text in, reply text out.
 *
 * @module
 */

import { AUTH_VERBS, parseRequest, verbOf } from "../protocol/request.ts";
import { tokenize } from "../protocol/tokenize.ts";
import type { ServerContext, SessionState } from "./context.ts";
import type { UpsEntry } from "./driver_pool.ts";
import { HANDLERS } from "./commands/mod.ts";
import type { Handler } from "./context.ts";
import type { ValidRequest } from "../protocol/request.ts";
import { err } from "./reply.ts";

// printable ASCII without ", #, =, \ : split on single spaces is exact
const PLAIN = /^[\x20\x21\x24-\x3c\x3e-\x5b\x5d-\x7e]*$/;
// NUT drops bytes outside 0x20–0x7F; DEL cannot be echoed safely, so it goes too
const DEL = /\x7f/g;

/**
 * Splits one request line into words with NUT's tokenizer.
 * @param text the line, without newline (byte-valued chars)
 * @returns the words, or an error text when NUT's tokenizer refuses the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestWords } from "./session.ts";
 * assert.deepEqual(requestWords('SET VAR u x "a b"'), ["SET", "VAR", "u", "x", "a b"]);
 * assert.deepEqual(requestWords("  GET  VAR u x "), ["GET", "VAR", "u", "x"]);
 * ```
 */
export function requestWords(text: string): string[] | { error: string } {
  if (PLAIN.test(text)) {
    const out: string[] = [];
    for (const w of text.split(" ")) {
      if (w !== "" && out.length < 32) out.push(w.length > 512 ? w.slice(0, 512) : w);
    }
    return out;
  }
  const lines = tokenize(text.replace(DEL, "") + "\n");
  for (const l of lines) if (l.error !== undefined) return { error: l.error };
  return lines[0]?.words ?? [];
}

/** Request kinds whose reply depends only on the UPS's data (and its version). */
const CACHEABLE: ReadonlySet<string> = new Set([
  "getVar",
  "getType",
  "getDesc",
  "getCmdDesc",
  "getUpsDesc",
  "listVar",
  "listRw",
  "listCmd",
  "listEnum",
  "listRange",
]);

/** Most request lines whose replies are kept. */
export const REPLY_CACHE_SIZE = 512;

/** One cached reply: valid while `ups.version === version`. */
export interface CachedReply {
  /** The UPS the request was about. */
  readonly ups: UpsEntry;
  /** Its version when the reply was built. */
  readonly version: number;
  /** The reply text. */
  readonly reply: string;
}

/**
 * Replies to read-only requests by their exact line, valid while the UPS's
 * version is unchanged: a monitoring client that polls the same lines pays
 * for one map lookup per request.
 */
export class ReplyCache {
  readonly #map = new Map<string, CachedReply>();

  /**
   * @param line the request line as received
   * @returns the cached reply, if still valid
   */
  get(line: string): string | undefined {
    const hit = this.#map.get(line);
    return hit && hit.ups.version === hit.version ? hit.reply : undefined;
  }

  /**
   * @param line the request line as received
   * @returns the cache's record of it (valid or not)
   */
  record(line: string): CachedReply | undefined {
    return this.#map.get(line);
  }

  /**
   * Remembers a reply.
   * @param line the request line
   * @param ups the UPS it was about
   * @param reply the reply
   */
  set(line: string, ups: UpsEntry, reply: string): void {
    if (this.#map.size >= REPLY_CACHE_SIZE) this.#map.clear();
    this.#map.set(line, { ups, version: ups.version, reply });
  }
}

/** A client connection. */
export class Session implements SessionState {
  readonly ip: string;
  username: string | undefined = undefined;
  password: string | undefined = undefined;
  loginUps: UpsEntry | undefined = undefined;
  tracking = false;
  closing = false;
  delayMs = 0;
  readonly #ctx: ServerContext;
  #heldOnce = false;

  /**
   * @param ctx server services
   * @param ip peer address
   */
  constructor(ctx: ServerContext, ip: string) {
    this.#ctx = ctx;
    this.ip = ip;
  }

  /**
   * Handles one request line.
   * @param text the line without newline
   * @returns the whole reply (one line or one LIST block)
   */
  handleLine(text: string): string {
    const cache = this.#ctx.replies;
    const cached = cache?.get(text);
    if (cached !== undefined) return cached;
    const words = requestWords(text);
    if (!Array.isArray(words)) {
      this.#ctx.log.info("parse", `Parse error on sock: ${words.error}`);
      return err("INVALID-ARGUMENT");
    }
    const req = parseRequest(words);
    if (req.kind === "unknown") return err("UNKNOWN-COMMAND");
    const verb = req.kind === "invalid" ? req.verb : verbOf(words[0]);
    if (verb !== undefined && AUTH_VERBS.has(verb)) {
      if (this.username === undefined) return err("USERNAME-REQUIRED");
      if (this.password === undefined) return err("PASSWORD-REQUIRED");
    }
    if (req.kind === "invalid") return err("INVALID-ARGUMENT");
    const reply = (HANDLERS[req.kind] as Handler<ValidRequest["kind"]>)(this, req, this.#ctx);
    if (cache && CACHEABLE.has(req.kind)) {
      const ups = this.#ctx.pool.find((req as { ups: string }).ups);
      if (ups) cache.set(text, ups, reply);
    }
    // credentials are fixed per connection: hold only its first refusal
    if (this.delayMs > 0) {
      if (this.#heldOnce) this.delayMs = 0;
      this.#heldOnce = true;
    }
    return reply;
  }

  /** The reply to a line longer than the framing limit. */
  tooLong(): string {
    this.#ctx.log.info("toolong", `Request line from ${this.ip} too long - discarded`);
    return err("TOO-LONG");
  }

  /** Drops this connection's LOGIN (NUMLOGINS −1). */
  end(): void {
    if (this.loginUps) {
      this.loginUps.numLogins = Math.max(0, this.loginUps.numLogins - 1);
      this.loginUps = undefined;
    }
  }
}
