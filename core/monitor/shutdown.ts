/**
 * upsmon's shutdown sequence (NUT's `forceshutdown` + `doshutdown`): a
 * primary sets FSD on its UPSes and waits up to HOSTSYNC for the
 * secondaries to log out (NUMLOGINS ≤ 1), then everyone announces the
 * shutdown, waits FINALDELAY, closes its upsd sessions, writes
 * POWERDOWNFLAG and runs SHUTDOWNCMD — once.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import type { Notifier } from "./notify.ts";

/** What the sequence needs to reach each UPS this upsmon is primary for. */
export interface ShutdownUps {
  readonly system: string;
  readonly primary: boolean;
  /** Sends `FSD <ups>`; throws with libupsclient's text on failure. */
  setFsd(): Promise<void>;
  /** `GET NUMLOGINS <ups>`; throws on failure. */
  numLogins(): Promise<number>;
}

/** Host-side effects of a shutdown. */
export interface ShutdownHost {
  readonly shutdownCmd: string | undefined;
  readonly powerDownFlag: string | undefined;
  readonly hostSync: number;
  readonly finalDelay: number;
  /** `parent: ` when NUT would run the command in its privileged parent (no -p). */
  readonly failurePrefix?: string;
  /** Closes every upsd session (LOGOUT) so a primary's NUMLOGINS drops. */
  closeSessions(): void;
  writePowerDownFlag(path: string): void;
  runShell(command: string): Promise<number>;
  wall(text: string): void;
  errorText(e: unknown): string;
}

/** The timeline of one shutdown, for logs and tests. */
export interface ShutdownReport {
  /** Whether SHUTDOWNCMD ran (false when none is configured). */
  readonly ranCommand: boolean;
  /** SHUTDOWNCMD exit code. */
  readonly exitCode: number | undefined;
  /** Whether the HOSTSYNC wait ended by timeout. */
  readonly hostSyncExpired: boolean;
}

/**
 * Runs the whole sequence.
 * @param ups every monitored UPS
 * @param host host-side settings and effects
 * @param deps clock, logger, notifier
 * @returns what happened
 */
export async function forceShutdown(
  ups: readonly ShutdownUps[],
  host: ShutdownHost,
  deps: { clock: Clock; log: Logger; notifier: Notifier },
): Promise<ShutdownReport> {
  const { clock, log } = deps;
  log.debug(1, "Shutting down any UPSes in PRIMARY mode...");
  const primaries = ups.filter((u) => u.primary);
  for (const u of primaries) {
    log.debug(2, `Setting FSD on UPS ${u.system}`);
    try {
      await u.setFsd();
    } catch (e) {
      log.error(`FSD set on UPS ${u.system} failed: ${host.errorText(e)}`);
    }
  }
  let expired = false;
  if (primaries.length > 0) {
    log.debug(1, "This system is a primary... waiting for secondaries to logout...");
    deps.notifier.notify("SHUTDOWN_HOSTSYNC", undefined);
    expired = await syncSecondaries(primaries, host.hostSync, clock, log);
  }
  log.error("Executing automatic power-fail shutdown");
  host.wall("Executing automatic power-fail shutdown\n\n");
  deps.notifier.notify("SHUTDOWN", undefined);
  if (host.finalDelay > 0) await clock.sleep(host.finalDelay * 1000);
  // NUT's monitoring child exits here (closing its sessions) while the
  // privileged parent writes the flag and runs the command.
  host.closeSessions();
  if (host.powerDownFlag !== undefined) {
    try {
      host.writePowerDownFlag(host.powerDownFlag);
    } catch (e) {
      log.debug(1, `POWERDOWNFLAG: ${String(e)}`);
      log.error("Failed to create power down flag!");
    }
  }
  if (host.shutdownCmd === undefined) {
    return { ranCommand: false, exitCode: undefined, hostSyncExpired: expired };
  }
  const code = await host.runShell(host.shutdownCmd);
  if (code !== 0) {
    log.error(`${host.failurePrefix ?? ""}Unable to call shutdown command: ${host.shutdownCmd}`);
  }
  return { ranCommand: true, exitCode: code, hostSyncExpired: expired };
}

/** Waits until no primary UPS has more than one login, or HOSTSYNC passes. */
async function syncSecondaries(
  primaries: readonly ShutdownUps[],
  hostSync: number,
  clock: Clock,
  log: Logger,
): Promise<boolean> {
  const start = Math.floor(clock.now() / 1000);
  // Bounded: HOSTSYNC seconds at 4 checks a second, plus slack.
  const maxRounds = Math.max(0, hostSync) * 4 + 40_000;
  for (let round = 0; round < maxRounds; round++) {
    let max = 0;
    for (const u of primaries) {
      try {
        max = Math.max(max, await u.numLogins());
      } catch (e) {
        log.debug(2, `NUMLOGINS on ${u.system} failed: ${String(e)}`);
      }
    }
    if (max <= 1) return false;
    if (Math.floor(clock.now() / 1000) - start > hostSync) {
      log.info("Host sync timer expired, forcing shutdown");
      return true;
    }
    await clock.sleep(250);
  }
  log.info("Host sync timer expired, forcing shutdown");
  return true;
}
