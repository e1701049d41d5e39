/**
 * Which signal carries NUT's SIGUSR1 meaning in `nut`'s daemons.
 *
 * Deno ≥ 2.9.2 opens its debugger on 127.0.0.1:9229 when a process receives
 * SIGUSR1 (no opt-out). Our launchers start daemons with SIGUSR1 blocked, so
 * NUT's SIGUSR1 duties (upsmon: forced shutdown; drivers: reload-or-exit;
 * upslog: log a line now) also answer to {@linkcode USR1_ALIAS}, and our own
 * `-c` commands send that.
 *
 * @module
 */

/**
 * The signal our `-c` commands send for NUT's SIGUSR1 meaning.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { USR1_ALIAS } from "./signals.ts";
 * assert.equal(USR1_ALIAS, "SIGUSR2");
 * ```
 */
export const USR1_ALIAS = "SIGUSR2" as const;

/** Signals a daemon listens on for NUT's SIGUSR1 meaning. */
export const USR1_SIGNALS: readonly Deno.Signal[] = ["SIGUSR1", USR1_ALIAS];
