/**
 * Debian's real NUT 2.8.0, the compatibility reference. Compatibility tests
 * skip only when it is absent AND `CI` is unset; under CI its absence fails.
 * @module
 */

/** Paths of the real programs (Debian bookworm layout). */
export const REAL = {
  upsd: "/lib/nut/upsd",
  upsmon: "/lib/nut/upsmon",
  dummyUps: "/lib/nut/dummy-ups",
  usbhidUps: "/lib/nut/usbhid-ups",
  driverPath: "/lib/nut",
  upsdrvctl: "/sbin/upsdrvctl",
  upssched: "/sbin/upssched",
  upsc: "/bin/upsc",
  upscmd: "/bin/upscmd",
  upsrw: "/bin/upsrw",
  upslog: "/bin/upslog",
  nutScanner: "/bin/nut-scanner",
  /** PyNUT needs Debian's python (pyenv's python3 does not see it). */
  python: "/usr/bin/python3",
  cmdvartab: "/usr/share/nut/cmdvartab",
} as const;

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether the real NUT binaries are installed. */
export const realNutAvailable: boolean = exists(REAL.upsd) && exists(REAL.dummyUps) &&
  exists(REAL.upsc);

const inCi = (Deno.env.get("CI") ?? "") !== "";

/**
 * Declares a test that needs the real NUT. Skipped (with the reason in its
 * name) only when the real NUT is absent and CI is unset; under CI it runs
 * and fails loudly if NUT is missing.
 * @param name test name
 * @param fn the test body
 * @param options extra Deno.test options
 */
export function compatTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void> | void,
  options: Omit<Deno.TestDefinition, "name" | "fn"> = {},
): void {
  const skip = !realNutAvailable && !inCi;
  Deno.test({
    ...options,
    name: skip ? `${name} (SKIPPED: Debian's NUT 2.8.0 not installed and CI unset)` : name,
    ignore: skip,
    fn: async (t) => {
      if (!realNutAvailable) {
        throw new Error(
          "Debian's NUT 2.8.0 is required under CI (apt-get install nut-server nut-client)",
        );
      }
      await fn(t);
    },
  });
}
