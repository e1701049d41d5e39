/**
 * How `nut` runs itself again: a daemon going to the background, upsdrvctl
 * starting a driver, upssched starting its timer daemon. One place builds
 * that command line so every copy gets the same flags and protections.
 *
 * Deno ≥ 2.9.2 opens its debugger on 127.0.0.1:9229 when a process receives
 * SIGUSR1 (no opt-out), and a spawned process starts with an empty signal
 * mask. So daemons are started through a launcher that blocks SIGUSR1 before
 * exec (a blocked signal is never delivered; the mask survives exec), and
 * our own `-c` commands send {@linkcode USR1_ALIAS} instead.
 *
 * @module
 */

/** The checkout's root (where deno.json lives). */
export const REPO_ROOT: string = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Set by every `nut links` wrapper to its own directory: `nut drvctl`
 * started through one runs our drivers through their wrappers beside it
 * (and so from their bundles).
 */
export const LINKS_DIR_ENV = "NUT_LINKS_DIR";

/** Keeps a long-running daemon's heap small at the same throughput (measured for upsd). */
export const DAEMON_V8_FLAGS = "--v8-flags=--max-semi-space-size=1";

/**
 * V8 flags of a bundled daemon: the daemon's, plus `gc()` for its one
 * start-up collection (cli/settle.ts; about 2 MB less private memory) and no
 * V8 background threads (about 1 MB less; the same CPU per request within
 * the noise, measured for upsd at 64 connections: a 5 MB heap needs no
 * concurrent marking).
 */
export const SETTLING_V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--expose-gc,--single-threaded";

export { USR1_ALIAS, USR1_SIGNALS } from "../core/runtime/signals.ts";

const SIGPROCMASK_SYSCALL: Readonly<Record<string, number>> = { x86_64: 14, aarch64: 135 };

/** coreutils' env: `--block-signal` (coreutils ≥ 8.31) blocks a signal, then execs. */
export const ENV = "/usr/bin/env";

/** Path of the perl interpreter the fallback launcher uses (perl-base is on every Debian system). */
export const PERL = "/usr/bin/perl";

/** What a machine offers for blocking SIGUSR1 before exec. */
export interface LauncherTools {
  /** {@linkcode ENV} understands `--block-signal` (about 3 ms cheaper than perl per start). */
  readonly envBlocksSignals: boolean;
  /** {@linkcode PERL} is present. */
  readonly perl: boolean;
}

/**
 * The argv prefix that execs its arguments with SIGUSR1 blocked: coreutils'
 * env where it can, else perl calling sigprocmask, else an empty list (no
 * tool, unknown architecture).
 * @param arch `Deno.build.arch`
 * @param tools what the machine has (see {@linkcode launcherTools})
 * @returns e.g. `["/usr/bin/env", "--block-signal=USR1"]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usr1BlockingPrefix } from "./self.ts";
 * assert.deepEqual(usr1BlockingPrefix("x86_64", { envBlocksSignals: true, perl: true }), [
 *   "/usr/bin/env",
 *   "--block-signal=USR1",
 * ]);
 * assert.equal(usr1BlockingPrefix("x86_64", { envBlocksSignals: false, perl: true })[0], "/usr/bin/perl");
 * assert.deepEqual(usr1BlockingPrefix("riscv64gc", { envBlocksSignals: false, perl: true }), []);
 * ```
 */
export function usr1BlockingPrefix(arch: string, tools: LauncherTools): string[] {
  if (tools.envBlocksSignals) return [ENV, "--block-signal=USR1"];
  const nr = SIGPROCMASK_SYSCALL[arch];
  if (nr === undefined || !tools.perl) return [];
  const code = `$m=pack("Q",1<<9); syscall(${nr},0,$m,undef,8)==0 or die "nut: cannot block ` +
    `SIGUSR1: $!\\n"; exec @ARGV or die "nut: $!\\n"`;
  return [PERL, "-e", code];
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

let probed: LauncherTools | undefined;

/**
 * What this machine offers (probed once per process: `env --block-signal=USR1 true`).
 * @returns the tools
 */
export function launcherTools(): LauncherTools {
  if (probed) return probed;
  let envBlocksSignals = false;
  if (isFile(ENV)) {
    const r = new Deno.Command(ENV, {
      args: ["--block-signal=USR1", "true"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).outputSync();
    envBlocksSignals = r.success;
  }
  return probed = { envBlocksSignals, perl: isFile(PERL) };
}

/**
 * The launcher prefix for this machine (see {@linkcode usr1BlockingPrefix}).
 * @returns argv words before the deno executable
 */
export function daemonLauncher(): string[] {
  return usr1BlockingPrefix(Deno.build.arch, launcherTools());
}

/** Options of {@linkcode selfPrefix}. */
export interface SelfOptions {
  /** Add the daemon V8 flags and block SIGUSR1. */
  readonly daemon?: boolean;
  /** V8 flags instead of {@linkcode DAEMON_V8_FLAGS} (with `daemon`). */
  readonly v8?: string;
}

/**
 * The command line that runs `nut` again from this checkout, up to (not
 * including) the subcommand.
 * @param options `daemon`: add the daemon V8 flags and block SIGUSR1
 * @returns argv, program first
 */
export function selfPrefix(options: SelfOptions = {}): string[] {
  const flags = ["--config", `${REPO_ROOT}/deno.json`];
  if (options.daemon) flags.push(options.v8 ?? DAEMON_V8_FLAGS);
  const launcher = options.daemon ? daemonLauncher() : [];
  return [
    ...launcher,
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    ...flags,
    `${REPO_ROOT}/cli/main.ts`,
  ];
}

/**
 * The command line that runs `nut <sub> ...args` again from this checkout.
 * @param sub the subcommand or NUT program name (`upsd`, `dummy-ups`, …)
 * @param args its arguments
 * @param options `daemon`: add the daemon V8 flags and block SIGUSR1
 * @returns argv, program first
 */
export function selfArgv(
  sub: string,
  args: string[] = [],
  options: SelfOptions = {},
): string[] {
  return [...selfPrefix(options), sub, ...args];
}
