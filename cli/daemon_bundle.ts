/**
 * The upsd daemon as one pre-built JavaScript file. Run with `--no-config`,
 * a single bundled module skips what a checkout start pays for once and then
 * keeps resident: deno.json and the lockfile, the npm resolver, and the
 * module graph of about forty TypeScript files. Measured idle (bench/main.ts):
 * about 5 MB less RSS than `deno run cli/main.ts upsd`, the same replies.
 *
 * `nut links` builds it (`deno bundle`, which fetches esbuild from npm once)
 * into its wrapper directory; the `upsd` wrapper and upsd's own backgrounding
 * use it only while it is newer than every source file under cli/ and core/,
 * and fall back to `cli/main.ts` otherwise, so an updated checkout never runs
 * stale code.
 *
 * @module
 */

import { daemonLauncher, UPSD_V8_FLAGS } from "./self.ts";

/** The bundle's entry module (upsd without the `nut` command table). */
export const UPSD_ENTRY = "cli/upsd_main.ts";

/** Directories whose `.ts` files the bundle is built from (a superset of its inputs). */
export const SOURCE_DIRS: readonly string[] = ["cli", "core"];

/**
 * Deno flags that run the bundle: no deno.json, lockfile, npm or remote
 * resolution, no V8 code cache (its SQLite store stays closed).
 */
export const BUNDLE_RUN_FLAGS: readonly string[] = [
  "--no-config",
  "--no-lock",
  "--no-npm",
  "--no-remote",
  "--no-code-cache",
];

/**
 * The command line that runs the upsd bundle as a daemon (SIGUSR1 blocked).
 * @param bundle path of the bundle
 * @returns argv, program first; upsd's arguments follow
 */
export function bundleArgv(bundle: string): string[] {
  return [
    ...daemonLauncher(),
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    ...BUNDLE_RUN_FLAGS,
    UPSD_V8_FLAGS,
    bundle,
  ];
}

/**
 * The newest modification time (ms) of the `.ts` files under `dirs`.
 * @param repo the checkout
 * @param dirs directories relative to `repo`
 * @returns the newest mtime, 0 when there is none
 */
export function newestSource(repo: string, dirs: readonly string[] = SOURCE_DIRS): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile && e.name.endsWith(".ts")) {
        newest = Math.max(newest, Deno.statSync(p).mtime?.getTime() ?? 0);
      }
    }
  };
  for (const d of dirs) walk(`${repo}/${d}`);
  return newest;
}

/**
 * Whether a bundle exists and is newer than every source it may contain.
 * @param bundle path of the bundle
 * @param repo the checkout it was built from
 * @returns true when it may be run instead of the sources
 */
export function bundleFresh(bundle: string, repo: string): boolean {
  let built: number;
  try {
    built = Deno.statSync(bundle).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
  return built > newestSource(repo);
}

/**
 * Builds the bundle with `deno bundle` (written beside, then renamed into place).
 * @param deno the deno executable
 * @param repo the checkout
 * @param out where to write it
 * @returns null on success, else deno's error output
 */
export async function buildBundle(deno: string, repo: string, out: string): Promise<string | null> {
  const tmp = `${out}.tmp-${Deno.pid}`;
  const r = await new Deno.Command(deno, {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--config",
      `${repo}/deno.json`,
      "--no-lock",
      "-o",
      tmp,
      `${repo}/${UPSD_ENTRY}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    await Deno.remove(tmp).catch(() => {});
    return new TextDecoder().decode(r.stderr) || `deno bundle exited ${r.code}`;
  }
  await Deno.chmod(tmp, 0o644);
  await Deno.rename(tmp, out);
  return null;
}

/**
 * The shell test a wrapper runs before using the bundle: it exists and no
 * source file is newer (POSIX `find -newer`).
 * @param bundle quoted path of the bundle
 * @param repo quoted path of the checkout
 * @returns a shell condition
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { freshTestShell } from "./daemon_bundle.ts";
 * assert.match(freshTestShell("'/b.js'", "'/r'"), /^\[ -f '\/b\.js' \] && /);
 * ```
 */
export function freshTestShell(bundle: string, repo: string): string {
  const dirs = SOURCE_DIRS.map((d) => `${repo}/${d}`).join(" ");
  return `[ -f ${bundle} ] && [ -z "$(find ${dirs} -name '*.ts' -newer ${bundle} 2>/dev/null | head -n 1)" ]`;
}
