/**
 * What every command handler sees: the server-wide services and the
 * per-connection state. Kept apart from `session.ts` and `server.ts` so the
 * handler modules depend on interfaces only.
 *
 * @module
 */

import type { ValidRequest } from "../protocol/request.ts";
import type { AccessControl } from "./acl.ts";
import type { Descriptions } from "./descriptions.ts";
import type { DriverPool, UpsEntry } from "./driver_pool.ts";
import type { LimitedLog } from "./log_limit.ts";
import type { Tracking } from "./tracking.ts";

/** Per-connection state (NUT's `nut_ctype_t`). */
export interface SessionState {
  /** Peer address as NUT logs it. */
  readonly ip: string;
  /** USERNAME, once set. */
  username: string | undefined;
  /** PASSWORD, once set. */
  password: string | undefined;
  /** The UPS this connection did LOGIN to. */
  loginUps: UpsEntry | undefined;
  /** SET TRACKING ON/OFF. */
  tracking: boolean;
  /** Set by LOGOUT: close after this reply. */
  closing: boolean;
  /** Hold the next write this long (ms): a refused guess. */
  delayMs: number;
}

/** Server-wide services for the handlers. */
export interface ServerContext {
  /** The UPSes and their drivers. */
  readonly pool: DriverPool;
  /** Descriptions from cmdvartab. */
  readonly descriptions: Descriptions;
  /** Tracking ids. */
  readonly tracking: Tracking;
  /** Rights checks. */
  readonly acl: AccessControl;
  /** Rate-limited log. */
  readonly log: LimitedLog;
  /** Replies to read-only requests, by request line (optional). */
  readonly replies?: {
    get(line: string): string | undefined;
    set(line: string, ups: UpsEntry, reply: string): void;
  };
  /** Every connection, most recently connected first (LIST CLIENT). */
  sessions(): Iterable<SessionState>;
}

/** The request of one kind. */
export type Req<K extends ValidRequest["kind"]> = Extract<ValidRequest, { kind: K }>;

/** A handler for one request kind; returns the whole reply text. */
export type Handler<K extends ValidRequest["kind"]> = (
  s: SessionState,
  r: Req<K>,
  ctx: ServerContext,
) => string;

/** The dispatch table type: one handler per request kind. */
export type HandlerTable = { readonly [K in ValidRequest["kind"]]: Handler<K> };
