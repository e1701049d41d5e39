/**
 * The administrative dialogue NUT's upscmd and upsrw share: USERNAME and
 * PASSWORD (replies read but not checked), optional `SET TRACKING ON`, the
 * command itself, and the `GET TRACKING` wait — with NUT 2.8.0's exact
 * failure texts for each step.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { NutClient } from "./client.ts";
import { clientErrorText, UpsClientError } from "./errors.ts";

/** A fatal condition with the exact text NUT prints (stderr, exit 1). */
export class AdminFatal extends Error {
  /** @param text the message, e.g. `Unexpected response from upsd: ERR ACCESS-DENIED` */
  constructor(text: string) {
    super(text);
    this.name = "AdminFatal";
  }
}

/** Which program's wording to use. */
export type AdminFlavor = "upscmd" | "upsrw";

const TEXTS = {
  upscmd: {
    tracking: "command status tracking",
    send: "Can't send instant command",
    read: "Instant command failed",
  },
  upsrw: {
    tracking: "set variable status tracking",
    send: "Can't set variable",
    read: "Set variable failed",
  },
} as const;

/** libupsclient's length check: `OK TRACKING ` + a 36-char UUID. */
const TRACKING_REPLY_LEN = "OK TRACKING ".length + 36;

/**
 * Sends a line and reads the reply, with NUT's "can't send" text for a
 * failed send and its "failed" text for a failed read.
 */
async function exchange(
  c: NutClient,
  line: string,
  sendText: string,
  readText: string,
  timeoutMs?: number,
): Promise<string> {
  try {
    await c.sendLine(line);
  } catch (e) {
    if (!(e instanceof UpsClientError)) throw e;
    throw new AdminFatal(`${sendText}: ${clientErrorText(e)}`);
  }
  try {
    return await c.readLine(timeoutMs);
  } catch (e) {
    if (!(e instanceof UpsClientError)) throw e;
    throw new AdminFatal(`${readText}: ${clientErrorText(e)}`);
  }
}

/**
 * Sends `USERNAME` and `PASSWORD`; like NUT, the replies are read but not checked.
 * @param c the client
 * @param user user name
 * @param password password
 * @throws AdminFatal `Can't set username: …`, `Set password failed: …`
 */
export async function sendCredentials(c: NutClient, user: string, password: string): Promise<void> {
  await exchange(c, `USERNAME ${user}`, "Can't set username", "Set username failed");
  await exchange(c, `PASSWORD ${password}`, "Can't set password", "Set password failed");
}

/**
 * Sends `SET TRACKING ON`; the reply must start with `OK`.
 * @param c the client
 * @param flavor upscmd or upsrw wording
 * @throws AdminFatal `Enabling command status tracking failed. upsd answered: …`
 */
export async function enableTracking(c: NutClient, flavor: AdminFlavor): Promise<void> {
  const what = TEXTS[flavor].tracking;
  const reply = await exchange(
    c,
    "SET TRACKING ON",
    `Can't enable ${what}`,
    `Enabling ${what} failed`,
  );
  if (!reply.startsWith("OK")) {
    throw new AdminFatal(`Enabling ${what} failed. upsd answered: ${reply}`);
  }
}

/** Options for {@linkcode runTracked}. */
export interface RunTrackedOptions {
  /** upscmd or upsrw wording. */
  readonly flavor: AdminFlavor;
  /** Whether `-w` was given (tracking was enabled). */
  readonly tracking: boolean;
  /** `-t` seconds (default 10). */
  readonly timeoutSec: number;
  /** Time source (whole seconds matter, like NUT's `time()`). */
  readonly clock: Clock;
}

/**
 * Sends the INSTCMD/SET VAR line and, with tracking, polls `GET TRACKING`
 * once a second until the answer is not `PENDING`.
 * @param c the client
 * @param line the request (`INSTCMD ups cmd` / `SET VAR ups var "v"`)
 * @param options wording, tracking, timeout and clock
 * @returns the line NUT prints on stderr on success (`OK`, `SUCCESS`, `ERR FAILED` …)
 * @throws AdminFatal `Unexpected response from upsd: …`, the tracking timeout, I/O texts
 */
export async function runTracked(
  c: NutClient,
  line: string,
  options: RunTrackedOptions,
): Promise<string> {
  const t = TEXTS[options.flavor];
  const reply = await exchange(c, line, t.send, t.read);
  if (!reply.startsWith("OK")) throw new AdminFatal(`Unexpected response from upsd: ${reply}`);
  if (!options.tracking || reply.length !== TRACKING_REPLY_LEN) return reply;
  const id = reply.slice("OK TRACKING ".length);
  const start = Math.floor(options.clock.now() / 1000);
  for (let i = 0; i < 1_000_000; i++) {
    const now = Math.floor(options.clock.now() / 1000);
    if (now - start >= options.timeoutSec) {
      throw new AdminFatal("Can't receive status tracking information: timeout");
    }
    const answer = await exchange(
      c,
      `GET TRACKING ${id}`,
      "Can't send status tracking request",
      "Can't receive status tracking information",
      options.timeoutSec * 1000,
    );
    if (!answer.startsWith("PENDING")) return answer;
    await options.clock.sleep(1000);
  }
  throw new AdminFatal("Can't receive status tracking information: timeout");
}

/**
 * The login name for a uid from `/etc/passwd` text (NUT's `getpwuid()` prompt default).
 * @param passwd the passwd file's text
 * @param uid the user id
 * @returns the name, or undefined when there is no entry
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginName } from "./admin.ts";
 * assert.equal(loginName("root:x:0:0::/root:/bin/sh\n", 0), "root");
 * ```
 */
export function loginName(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && f[2] === String(uid)) return f[0];
  }
  return undefined;
}
