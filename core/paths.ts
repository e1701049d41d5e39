/**
 * NUT's file-system locations, resolved from the environment the way NUT
 * 2.8 does, with Debian's defaults.
 *
 * @module
 */

/** Debian's built-in locations. */
export const DEFAULTS = {
  confPath: "/etc/nut",
  statePath: "/run/nut",
  pidPath: "/run/nut",
  dataPath: "/usr/share/nut",
  driverPath: "/lib/nut",
} as const;

/** Resolved locations. */
export interface NutPaths {
  /** Where `*.conf`, `upsd.users` and dummy `.dev`/`.seq` files live. */
  readonly confPath: string;
  /** Driver sockets. */
  readonly statePath: string;
  /** Pid files of drivers and upsd. */
  readonly altPidPath: string;
  /** Pid files of upsmon and upslog. */
  readonly pidPath: string;
  /** `cmdvartab`. */
  readonly dataPath: string;
  /** NUT driver binaries. */
  readonly driverPath: string;
}

/**
 * Resolves paths from environment variables (`NUT_CONFPATH`, `NUT_STATEPATH`,
 * `NUT_ALTPIDPATH`, `NUT_PIDPATH`) over Debian's defaults.
 * @param env environment lookup
 * @returns the paths
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePaths } from "./paths.ts";
 * const p = resolvePaths((k) => ({ NUT_STATEPATH: "/tmp/s" } as Record<string, string>)[k]);
 * assert.equal(p.statePath, "/tmp/s");
 * assert.equal(p.altPidPath, "/tmp/s");
 * assert.equal(p.confPath, "/etc/nut");
 * ```
 */
export function resolvePaths(env: (name: string) => string | undefined): NutPaths {
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  // NUT 2.8.0 uses NUT_CONFPATH whenever it is set, even empty.
  const confPath = env("NUT_CONFPATH") ?? DEFAULTS.confPath;
  const statePath = nonEmpty(env("NUT_STATEPATH")) ?? DEFAULTS.statePath;
  const altPidPath = nonEmpty(env("NUT_ALTPIDPATH")) ?? nonEmpty(env("NUT_STATEPATH")) ??
    DEFAULTS.statePath;
  const pidPath = nonEmpty(env("NUT_PIDPATH")) ?? nonEmpty(env("NUT_ALTPIDPATH")) ??
    DEFAULTS.pidPath;
  return {
    confPath,
    statePath,
    altPidPath,
    pidPath,
    dataPath: nonEmpty(env("NUT_DATAPATH")) ?? DEFAULTS.dataPath,
    driverPath: nonEmpty(env("NUT_DRIVERPATH")) ?? DEFAULTS.driverPath,
  };
}
