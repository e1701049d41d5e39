/**
 * `nut links DIR [--man MANDIR] [--force]`: creates the NUT program names
 * (upsc, upsd, upsdrvctl, dummy-ups, ...) in DIR as small shell wrappers
 * that exec `nut <program> "$@"`, so existing scripts and unit files keep
 * working. The wrappers run for any user, offline and silently: Deno runs
 * with `--quiet --cached-only --no-lock`, the checkout's node_modules
 * (`--node-modules-dir=manual`) and a compiled-module cache prepared here
 * (DIR/.nut/deno, readable by everyone).
 *
 * @module
 */

import {
  DAEMON_V8_FLAGS,
  type LauncherTools,
  launcherTools,
  LINKS_DIR_ENV,
  usr1BlockingPrefix,
} from "../self.ts";
import {
  buildBundle,
  BUNDLE_RUN_FLAGS,
  bundleArgv,
  BUNDLED,
  type BundledProgram,
  bundleRunFlags,
  freshTestShell,
} from "../bundle.ts";
import type { CliIo } from "../io.ts";
import { COMMANDS } from "./mod.ts";

/** One line for `nut help`. */
export const summary = "create NUT program names (upsc, upsd, ...) as wrappers in a directory";

/** The checkout this module belongs to. */
const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Marks our wrappers, so a re-run may replace them and nothing else. */
export const WRAPPER_MARK = "# created by `nut links`";

export { DAEMON_V8_FLAGS };

/**
 * The launcher that blocks SIGUSR1 before Deno starts, as shell text
 * (see cli/self.ts: Deno opens its debugger on SIGUSR1).
 * @param arch `Deno.build.arch`
 * @param tools what the machine has (default: probed)
 * @returns shell words, or undefined where no launcher is possible
 */
export function usr1BlockingLauncher(
  arch: string,
  tools: LauncherTools = launcherTools(),
): string | undefined {
  const prefix = usr1BlockingPrefix(arch, tools);
  return prefix.length ? prefix.map(shq).join(" ") : undefined;
}

/** Exit code for a command-line mistake. */
const USAGE_EXIT = 64;

/** The program names to create: every NUT name in the command table, plus `nut`. */
export function programNames(): string[] {
  const names = Object.values(COMMANDS).flatMap((c) => [...c.programs]);
  return ["nut", ...new Set(names)];
}

/** Quotes a string for /bin/sh. */
function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Where the wrappers find their files. */
export interface WrapperPaths {
  /** The deno executable. */
  readonly deno: string;
  /** The checkout. */
  readonly repo: string;
  /** The compiled-module cache. */
  readonly denoDir: string;
  /** Shell words that block SIGUSR1 before exec, if any. */
  readonly launcher?: string | undefined;
  /** Where the program bundles are (cli/bundle.ts): `<dir>/<program>.js`, if built. */
  readonly bundleDir?: string | undefined;
  /** The wrappers' own directory, exported as {@linkcode LINKS_DIR_ENV}. */
  readonly dir?: string | undefined;
}

export { LINKS_DIR_ENV };

/**
 * The wrapper script for one program.
 * @param program `upsc`, ..., or `nut`
 * @param paths deno binary, checkout, cache directory, launcher, bundle directory
 * @param daemon whether it is a long-running daemon (gets {@linkcode DAEMON_V8_FLAGS})
 * @returns the script text
 */
export function wrapperScript(program: string, paths: WrapperPaths, daemon = false): string {
  const sub = program === "nut" ? "" : ` ${shq(program)}`;
  const v8 = daemon ? ` ${DAEMON_V8_FLAGS}` : "";
  const launch = paths.launcher ? paths.launcher + " " : "";
  const lines = [
    "#!/bin/sh",
    `${WRAPPER_MARK}: runs NUT's ${program} as \`nut${program === "nut" ? "" : " " + program}\``,
    `DENO_DIR=${shq(paths.denoDir)}`,
    "DENO_NO_UPDATE_CHECK=1",
    "export DENO_DIR DENO_NO_UPDATE_CHECK",
  ];
  if (paths.dir !== undefined) {
    lines.push(`${LINKS_DIR_ENV}=${shq(paths.dir)}; export ${LINKS_DIR_ENV}`);
  }
  const bundled = BUNDLED[program];
  if (bundled && paths.bundleDir) {
    // the bundle while it is newer than every source; else the checkout itself
    const b = shq(`${paths.bundleDir}/${program}.js`);
    const v8b = bundled.daemon ? ` ${bundled.daemon.v8}` : "";
    lines.push(
      freshTestShell(b, shq(paths.repo)),
      `if [ -n "$fresh" ]; then`,
      `  exec ${launch}${shq(paths.deno)} run --quiet --allow-all --cached-only ` +
        `${bundleRunFlags(bundled).join(" ")}${v8b} ${b} "$@"`,
      "fi",
    );
  }
  lines.push(
    `exec ${launch}${shq(paths.deno)} run --quiet --allow-all --cached-only --no-lock${v8} ` +
      `--node-modules-dir=manual --config ${shq(`${paths.repo}/deno.json`)} ` +
      `${shq(`${paths.repo}/cli/main.ts`)}${sub} "$@"`,
    "",
  );
  return lines.join("\n");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function isOurWrapper(path: string): Promise<boolean> {
  const st = await Deno.lstat(path);
  if (!st.isFile || st.size > 4096) return false;
  return (await Deno.readTextFile(path)).includes(WRAPPER_MARK);
}

/** A bundle `nut links` built. */
interface BuiltBundle {
  readonly path: string;
  readonly program: BundledProgram;
}

/**
 * Compiles every module into the shared cache so wrappers start fast for
 * every user, and analyses the bundles there with the flags they run with
 * (else each first start pays for that, and a daemon keeps the memory).
 * Each one-shot client's bundle then runs once (`-h`) so V8's code cache
 * holds its compiled code before any user's first start.
 */
async function prepareCache(
  denoDir: string,
  deno: string,
  io: CliIo,
  bundles: readonly BuiltBundle[] = [],
): Promise<boolean> {
  const modules = [`${REPO}/cli/main.ts`];
  for await (const e of Deno.readDir(`${REPO}/cli/commands`)) {
    if (e.isFile && e.name.endsWith(".ts")) modules.push(`${REPO}/cli/commands/${e.name}`);
  }
  const runs = [[
    "cache",
    "--quiet",
    "--no-lock",
    "--node-modules-dir=manual",
    "--config",
    `${REPO}/deno.json`,
    ...modules.sort(),
  ]];
  if (bundles.length) {
    runs.push([
      "cache",
      "--quiet",
      ...BUNDLE_RUN_FLAGS,
      ...bundles.map((b) => b.path),
    ]);
  }
  for (const b of bundles) {
    // the command line the client runs with, minus the deno executable
    if (!b.program.daemon) runs.push([...bundleArgv(b.path, b.program).slice(1), "-h"]);
  }
  for (const args of runs) {
    const out = await new Deno.Command(deno, {
      args,
      env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      io.stderr(
        `nut links: preparing ${denoDir} failed (deno ${args.join(" ")}):\n${
          new TextDecoder().decode(out.stderr)
        }`,
      );
      return false;
    }
  }
  await chmodReadable(denoDir);
  return true;
}

/** `chmod -R a+rX`: everyone may read the cache (and enter its directories). */
async function chmodReadable(path: string): Promise<void> {
  const st = await Deno.lstat(path);
  if (st.isSymlink) return;
  const mode = (st.mode ?? 0o600) & 0o7777;
  if (st.isDirectory) {
    await Deno.chmod(path, mode | 0o555);
    for await (const e of Deno.readDir(path)) await chmodReadable(`${path}/${e.name}`);
  } else {
    await Deno.chmod(path, mode | 0o444 | ((mode & 0o100) ? 0o111 : 0));
  }
}

async function installMan(manDir: string, io: CliIo): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(`${REPO}/man`)) {
    const m = /\.([1-8])$/.exec(e.name);
    if (!e.isFile || !m) continue;
    const dir = `${manDir}/man${m[1]}`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.copyFile(`${REPO}/man/${e.name}`, `${dir}/${e.name}`);
    await Deno.chmod(`${dir}/${e.name}`, 0o644);
    n++;
  }
  io.stdout(`installed ${n} man pages in ${manDir}\n`);
  return n;
}

async function links(
  given: string,
  opts: { man?: string | undefined; force?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  if (!(await exists(`${REPO}/node_modules/commander`))) {
    io.stderr(
      `nut links: ${REPO}/node_modules is missing: run \`deno install\` in ${REPO} first\n`,
    );
    return 1;
  }
  await Deno.mkdir(given, { recursive: true });
  // the wrappers name their files by absolute path: they run from any directory
  const dir = await Deno.realPath(given);
  const names = programNames();
  const clashes: string[] = [];
  for (const name of names) {
    const p = `${dir}/${name}`;
    if (await exists(p) && !(await isOurWrapper(p)) && !opts.force) clashes.push(p);
  }
  if (clashes.length > 0) {
    io.stderr(
      `nut links: not replacing ${clashes.join(", ")} (not made by nut links; --force replaces)\n`,
    );
    return 1;
  }
  const deno = Deno.execPath();
  const { DRIVERS } = await import("../../drivers/mod.ts");
  const daemons = new Set(["upsd", "upsmon", ...Object.keys(DRIVERS)]);
  const denoDir = `${dir}/.nut/deno`;
  const launcher = usr1BlockingLauncher(Deno.build.arch);
  await Deno.mkdir(denoDir, { recursive: true });
  // one file per bundled program; a program whose bundle fails runs from the checkout
  const bundleDir = `${dir}/.nut`;
  const bundles: BuiltBundle[] = [];
  for (const [name, prog] of Object.entries(BUNDLED)) {
    const out = `${bundleDir}/${name}.js`;
    const failed = await buildBundle(deno, REPO, prog.entry, out);
    if (failed !== null) {
      io.stderr(`nut links: ${name} runs from the checkout (building ${out} failed):\n${failed}`);
    } else bundles.push({ path: out, program: prog });
  }
  if (!(await prepareCache(denoDir, deno, io, bundles))) return 1;
  await Deno.chmod(`${dir}/.nut`, 0o755);
  for (const name of names) {
    const p = `${dir}/${name}`;
    const tmp = `${p}.nut-links-tmp`;
    await Deno.writeTextFile(
      tmp,
      wrapperScript(
        name,
        { deno, repo: REPO, denoDir, launcher, bundleDir, dir },
        daemons.has(name),
      ),
    );
    await Deno.chmod(tmp, 0o755);
    await Deno.rename(tmp, p);
  }
  io.stdout(`created ${names.join(" ")} in ${dir}\n`);
  if (opts.man !== undefined) await installMan(opts.man, io);
  return 0;
}

/**
 * Runs `nut links`.
 * @param args arguments after `links`
 * @param io process I/O
 * @returns 0 on success, 1 on failure, 64 on a usage error
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { Command, CommanderError } = await import("@commander-js/extra-typings");
  let code = 0;
  const program = new Command("nut links")
    .description(
      "Create NUT's program names (upsc, upsd, upsdrvctl, dummy-ups, ...) in DIR as wrappers\n" +
        "that run `nut <program>`, for every user, offline and without Deno's messages.",
    )
    .argument("<DIR>", "directory for the wrappers (e.g. /usr/local/sbin)")
    .option("--man <MANDIR>", "also install the man pages (MANDIR/man5, MANDIR/man8)")
    .option("-f, --force", "replace files of the same name that nut links did not create")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .action(async (dir, opts) => {
      code = await links(dir.replace(/(.)\/+$/, "$1"), opts, io);
    });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : USAGE_EXIT;
    throw e;
  }
  return code;
}
