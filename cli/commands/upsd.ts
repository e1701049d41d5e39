/**
 * `nut upsd` — NUT's network server (upsd 2.8.0 options, texts, pid file,
 * signals). Log lines go to stderr, one per event (journald-friendly).
 *
 * Run it with `--v8-flags=--max-semi-space-size=1` (the `nut` launcher
 * does) to keep its memory small.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { resolvePaths } from "../../core/paths.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { lineLogger } from "../../core/runtime/logger.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { FatalError, startDaemon } from "../../core/server/daemon.ts";
import { connectUnix, listenTcp } from "../../core/server/transport.ts";
import { latin1 } from "../../core/protocol/line_stream.ts";
import { selfArgv } from "../self.ts";

/** One line for `nut help`. */
export const summary = "network server for UPS data (NUT's upsd)";

const HELP = `Network server for UPS data.

usage: upsd [OPTIONS]

  -c <command>	send <command> via signal to background process
		commands:
		 - reload: reread configuration files
		 - stop: stop process and exit
  -P <pid>	send the signal above to specified PID (bypassing PID file)
  -D		raise debugging level (and stay foreground by default)
  -F		stay foregrounded even if no debugging is enabled
  -FF		stay foregrounded and still save the PID file
  -B		stay backgrounded even if debugging is bumped
  -h		display this help
  -r <dir>	chroots to <dir>
  -q		raise log level threshold
  -u <user>	switch to <user> (if started as root)
  -V		display the version of this software
  -4		IPv4 only
  -6		IPv6 only
`;

const SIGNALS: Record<"reload" | "stop" | "check", Deno.Signal | 0> = {
  reload: "SIGHUP",
  stop: "SIGTERM",
  check: 0,
};

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    if (e instanceof Deno.errors.PermissionDenied) return true;
    throw e;
  }
}

/** NUT's sendsignalfn: 0 sent, -1 no such process, -2 unparsable, -3 no pid file. */
function signalPidFile(pidfn: string, what: keyof typeof SIGNALS, io: CliIo): number {
  let text: string;
  try {
    text = Deno.readTextFileSync(pidfn);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    io.stderr(`fopen ${pidfn}: No such file or directory\n`);
    return -3;
  }
  const pid = parseInt(text.trim(), 10);
  if (!(pid > 1)) return -2;
  return signalPid(pid, what);
}

function signalPid(pid: number, what: keyof typeof SIGNALS): number {
  const sig = SIGNALS[what];
  if (sig === 0) return alive(pid) ? 0 : -1;
  try {
    Deno.kill(pid, sig);
    return 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) return -1;
    throw e;
  }
}

function openFilesLimit(): number {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const m = limits.match(/^Max open files\s+(\d+)/m);
    return m ? parseInt(m[1]!, 10) : 1024;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 1024;
    throw e;
  }
}

/** Environment marker of the detached child that `upsd` (without -F) starts. */
const BACKGROUND_CHILD = "NUT_UPSD_BACKGROUND_CHILD";

// A daemon's stderr may be a pipe whose reader is gone: a lost log line must not kill upsd.
function logWrite(io: CliIo, line: string): void {
  try {
    io.stderr(line);
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.BadResource)) throw e;
  }
}

/**
 * NUT's background(): Deno cannot fork, so upsd starts itself again as a
 * detached process (same arguments, stderr shared, SIGUSR1 blocked) and
 * returns once that child has written its pid file — or with the child's
 * exit code when it fails to start.
 */
async function background(relaunch: string[], args: string[], pidfn: string): Promise<number> {
  const [cmd, ...pre] = relaunch;
  const p = new Deno.Command(cmd!, {
    args: [...pre, ...args],
    env: { [BACKGROUND_CHILD]: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
    detached: true,
  }).spawn();
  let code: number | undefined;
  const exited = p.status.then((s) => (code = s.code));
  const deadline = Date.now() + 60_000;
  while (code === undefined && Date.now() < deadline) {
    let written = "";
    try {
      written = Deno.readTextFileSync(pidfn);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (written === `${p.pid}\n`) {
      p.unref();
      return 0;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
  }
  if (code === undefined) {
    p.kill("SIGTERM");
    return 1;
  }
  return code;
}

/**
 * Runs upsd (as `nut upsd`).
 * @param args command-line arguments
 * @param io process I/O
 * @param prog program name
 * @returns the exit code (after a signal ends the server)
 */
export function run(args: string[], io: CliIo, prog = "upsd"): Promise<number> {
  return runUpsd(args, io, prog, () => selfArgv("upsd", [], { daemon: true }));
}

/**
 * Runs upsd.
 * @param args command-line arguments
 * @param io process I/O
 * @param prog program name
 * @param relaunch the command line (before upsd's arguments) that runs this
 *   same upsd again, for going to the background
 * @returns the exit code (after a signal ends the server)
 */
export async function runUpsd(
  args: string[],
  io: CliIo,
  prog: string,
  relaunch: () => string[],
): Promise<number> {
  const child = io.env(BACKGROUND_CHILD) === "1";
  if (!child) io.stdout(`Network UPS Tools ${prog} ${NUT_VERSION}\n`);
  const g = getopt(prog, args, "+h46p:qr:i:fu:Vc:P:DFB");
  for (const e of g.errors) io.stderr(e + "\n");
  let debug = 0;
  let foreground = -1;
  let cmd: "reload" | "stop" | undefined;
  let pidArg: number | undefined;
  let family: "ipv4" | "ipv6" | undefined;
  const help = () => {
    io.stdout(HELP);
    return 0;
  };
  for (const o of g.opts) {
    switch (o.opt) {
      case "p":
      case "i":
        io.stderr(
          "Specifying a listening addresses with '-i <address>' and '-p <port>'\n" +
            "is deprecated. Use 'LISTEN <address> [<port>]' in 'upsd.conf' instead.\n" +
            "See 'man 8 upsd.conf' for more information.\n",
        );
        return 1;
      case "V":
        return 0;
      case "c": {
        const a = o.arg ?? "";
        if (a !== "" && "reload".startsWith(a)) cmd = "reload";
        else if (a !== "" && "stop".startsWith(a)) cmd = "stop";
        else return help();
        break;
      }
      case "P":
        pidArg = parseInt(o.arg ?? "", 10);
        if (!(pidArg > 0)) return help();
        break;
      case "D":
        debug++;
        break;
      case "F":
        foreground = foreground > 0 ? 2 : 1;
        break;
      case "B":
        foreground = 0;
        break;
      case "4":
        family = "ipv4";
        break;
      case "6":
        family = "ipv6";
        break;
      case "q":
      case "r":
      case "u":
      case "f":
        break;
      default:
        return help();
    }
  }
  if (foreground < 0) foreground = debug > 0 ? 1 : 0;
  const paths = resolvePaths((k) => io.env(k));
  const pidfn = `${paths.altPidPath}/upsd.pid`;
  if (cmd) {
    const r = pidArg === undefined ? signalPidFile(pidfn, cmd, io) : signalPid(pidArg, cmd);
    return r === 0 ? 0 : 1;
  }
  const prior = child
    ? -1
    : pidArg === undefined
    ? signalPidFile(pidfn, "check", io)
    : signalPid(pidArg, "check");
  if (prior === 0) {
    io.stdout("Fatal error: A previous upsd instance is already running!\n");
    io.stdout("Either stop the previous instance first, or use the 'reload' command.\n");
    return 1;
  }
  if (g.rest.length !== 0) return help();
  const log = lineLogger((l) => logWrite(io, l), debug);
  if (prior === -3 || prior === -2) {
    log.warn(
      `Could not ${
        prior === -3 ? "find" : "parse"
      } PID file '${pidfn}' to see if previous upsd instance is already running!\n`,
    );
  }
  if (foreground === 0 && !child) return await background(relaunch(), args, pidfn);
  let daemon;
  try {
    daemon = await startDaemon({
      paths,
      // synchronous reads: no blocking-pool threads (and their memory) for a few small files
      readTextFile: (p) => Promise.resolve(latin1(Deno.readFileSync(p))),
      statMode: (p) => Promise.resolve(Deno.statSync(p).mode ?? 0),
      listen: listenTcp,
      connect: connectUnix,
      log,
      clock: realClock,
      env: (k) => io.env(k),
      family,
      defaultMaxConn: openFilesLimit(),
    });
  } catch (e) {
    if (e instanceof FatalError) {
      io.stderr(e.message + "\n");
      return 1;
    }
    throw e;
  }
  const writePid = foreground !== 1;
  if (foreground === 2) log.warn("Running as foreground process, but saving a PID file anyway");
  if (foreground === 1) log.warn("Running as foreground process, not saving a PID file");
  if (writePid) Deno.writeTextFileSync(pidfn, `${Deno.pid}\n`, { mode: 0o644 });
  daemon.upsd.start();
  const { promise: stopped, resolve: stop } = Promise.withResolvers<number>();
  const handlers: [Deno.Signal, () => void][] = [
    ["SIGTERM", () => stop(15)],
    ["SIGINT", () => stop(2)],
    ["SIGQUIT", () => stop(3)],
    ["SIGHUP", () => void daemon.reload()],
  ];
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  const signal = await stopped;
  for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  await daemon.upsd.shutdown();
  // upsd 2.8.0 logs the signal's interruption of its poll() first
  log.error("mainloop: Interrupted system call");
  log.info(`Signal ${signal}: exiting`);
  if (writePid) {
    try {
      Deno.removeSync(pidfn);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return 0;
}
