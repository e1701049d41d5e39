/**
 * Programs run from one pre-built JavaScript file each. Run with
 * `--no-config`, a single bundled module skips what a checkout start pays
 * for and (for a daemon) keeps resident: deno.json and the lockfile, the npm
 * resolver, and a module graph of twenty to forty TypeScript files.
 * Measured: upsd and upsmon idle about 5 MB smaller (bench/main.ts for
 * upsd); `upsc` starts about 20 ms sooner.
 *
 * `nut links` builds them (`deno bundle`, which fetches esbuild from npm
 * once) into its wrapper directory; a wrapper uses its bundle only while it
 * is newer than every source file under cli/, core/ and drivers/, and runs the
 * checkout otherwise, so an updated checkout never runs stale code.
 *
 * @module
 */

import { daemonLauncher, SETTLING_V8_FLAGS } from "./self.ts";

/** A program that runs from a bundle. */
export interface BundledProgram {
  /** Its entry module, relative to the checkout. */
  readonly entry: string;
  /** A long-running daemon: V8 flags, and SIGUSR1 blocked by the launcher. */
  readonly daemon?: { readonly v8: string };
}

/** The programs `nut links` bundles, by NUT program name. */
export const BUNDLED: Readonly<Record<string, BundledProgram>> = {
  upsd: { entry: "cli/entries/upsd.ts", daemon: { v8: SETTLING_V8_FLAGS } },
  upsmon: { entry: "cli/entries/upsmon.ts", daemon: { v8: SETTLING_V8_FLAGS } },
  "dummy-ups": { entry: "cli/entries/dummy-ups.ts", daemon: { v8: SETTLING_V8_FLAGS } },
  upslog: { entry: "cli/entries/upslog.ts", daemon: { v8: SETTLING_V8_FLAGS } },
  upsc: { entry: "cli/entries/upsc.ts" },
  upscmd: { entry: "cli/entries/upscmd.ts" },
  upsrw: { entry: "cli/entries/upsrw.ts" },
};

/** Directories whose `.ts` files the bundles are built from (a superset of their inputs). */
export const SOURCE_DIRS: readonly string[] = ["cli", "core", "drivers"];

/**
 * Deno flags that run a bundle: no deno.json, lockfile, npm or remote
 * resolution.
 */
export const BUNDLE_RUN_FLAGS: readonly string[] = [
  "--no-config",
  "--no-lock",
  "--no-npm",
  "--no-remote",
];

/**
 * A daemon's bundle runs without V8's code cache as well: a daemon compiles
 * once, and the cache's SQLite store would only add to what it keeps
 * resident. A one-shot client reads its compiled code from the cache (about
 * 4 ms sooner per `upsc`, measured; `nut links` fills it).
 */
export const DAEMON_BUNDLE_FLAGS: readonly string[] = ["--no-code-cache"];

/**
 * Every flag a bundle runs with besides its V8 flags.
 * @param program what it bundles
 * @returns the flags
 */
export function bundleRunFlags(program: BundledProgram): readonly string[] {
  return program.daemon ? [...BUNDLE_RUN_FLAGS, ...DAEMON_BUNDLE_FLAGS] : BUNDLE_RUN_FLAGS;
}

/**
 * The command line that runs a bundle: `deno run` with
 * {@linkcode bundleRunFlags}, for a daemon its V8 flags behind the
 * SIGUSR1-blocking launcher.
 * @param bundle path of the bundle
 * @param program what it bundles
 * @returns argv, program first; the program's arguments follow
 */
export function bundleArgv(bundle: string, program: BundledProgram): string[] {
  return [
    ...(program.daemon ? daemonLauncher() : []),
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    ...bundleRunFlags(program),
    ...(program.daemon ? [program.daemon.v8] : []),
    bundle,
  ];
}

/** How deep below a source directory `.ts` files are looked for (the tree has 3 levels). */
export const SOURCE_DEPTH = 4;

/**
 * The newest modification time (ms) of the `.ts` files under `dirs`, down to
 * {@linkcode SOURCE_DEPTH} levels (the wrapper's shell check sees the same files).
 * @param repo the checkout
 * @param dirs directories relative to `repo`
 * @returns the newest mtime, 0 when there is none
 */
export function newestSource(repo: string, dirs: readonly string[] = SOURCE_DIRS): number {
  let newest = 0;
  const walk = (dir: string, depth: number) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory && depth < SOURCE_DEPTH) walk(p, depth + 1);
      else if (e.isFile && e.name.endsWith(".ts")) {
        newest = Math.max(newest, Deno.statSync(p).mtime?.getTime() ?? 0);
      }
    }
  };
  for (const d of dirs) walk(`${repo}/${d}`, 1);
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
 * Builds a bundle with `deno bundle` (written beside, then renamed into place).
 * @param deno the deno executable
 * @param repo the checkout
 * @param entry the entry module, relative to `repo`
 * @param out where to write it
 * @returns null on success, else deno's error output
 */
export async function buildBundle(
  deno: string,
  repo: string,
  entry: string,
  out: string,
): Promise<string | null> {
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
      `${repo}/${entry}`,
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
 * The shell test a wrapper runs before using its bundle: it exists and no
 * source file is newer. Globs and `test -nt` are shell builtins, so the
 * check starts no process (a `find` cost ~12 ms per run, measured).
 * @param bundle quoted path of the bundle
 * @param repo quoted path of the checkout
 * @returns shell lines that leave `fresh` non-empty when the bundle may run
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { freshTestShell } from "./bundle.ts";
 * assert.match(freshTestShell("'/b.js'", "'/r'"), /^fresh=; \[ -f '\/b\.js' \] && fresh=1/);
 * ```
 */
export function freshTestShell(bundle: string, repo: string): string {
  const globs: string[] = [];
  for (const d of SOURCE_DIRS) {
    for (let depth = 1; depth <= SOURCE_DEPTH; depth++) {
      globs.push(`${repo}/${d}/${"*/".repeat(depth - 1)}*.ts`);
    }
  }
  return `fresh=; [ -f ${bundle} ] && fresh=1\n` +
    `for f in ${globs.join(" ")}; do [ "$f" -nt ${bundle} ] && { fresh=; break; }; done`;
}
