/**
 * `nut upslog`: NUT's upslog (2.8.0 options, plus 2.8.1's repeatable
 * `-m ups,logfile`), appending one line per sample; foreground or
 * background, pid file, SIGHUP reopens the logs, SIGUSR1 logs a line now.
 * Beyond NUT: `--once` (cron: one line per UPS, then exit) and
 * `--format csv|json`.
 *
 * @module
 */

import { selfArgv, USR1_ALIAS } from "../self.ts";
import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { resolvePaths } from "../../core/paths.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { lineLogger, type Logger, nullLogger } from "../../core/runtime/logger.ts";
import { NutClient } from "../../core/client/client.ts";
import { splitName } from "../../core/client/ups_name.ts";
import { clientErrorText, UpsClientError } from "../../core/client/errors.ts";
import { compileFormat, DEFAULT_LOGFORMAT } from "../../core/upslog/format.ts";
import type { RecordStyle } from "../../core/upslog/records.ts";
import { type LogSink, type LogTarget, UpsLogRunner } from "../../core/upslog/runner.ts";
import { atoi } from "../../core/client/rw_info.ts";

/** One line for `nut help`. */
export const summary = "log UPS status periodically (NUT's upslog)";

/** Set in the environment of the re-spawned background copy. */
const BACKGROUND_ENV = "NUT_UPSLOG_BACKGROUND";

function help(prog: string): string {
  return `UPS status logger.

usage: ${prog} [OPTIONS]

  -f <format>\t- Log format.  See below for details.
\t\t- Use -f "<format>" so your shell doesn't break it up.
  -i <interval>\t- Time between updates, in seconds
  -l <logfile>\t- Log file name, or - for stdout (foreground by default)
  -F\t\t- stay foregrounded even if logging into a file
  -B\t\t- stay backgrounded even if logging to stdout
  -p <pidbase>  - Base name for PID file (defaults to "${prog}")
  -s <ups>\t- Monitor UPS <ups> - <upsname>@<host>[:<port>]
        \t- Example: -s myups@server
  -u <user>\t- Switch to <user> if started as root

Some valid format string escapes:
\t%% insert a single %
\t%TIME format% insert the time with strftime formatting
\t%HOST% insert the local hostname
\t%UPSHOST% insert the host of the ups being monitored
\t%PID% insert the pid of upslog
\t%VAR varname% insert the value of ups variable varname

format string defaults to:
${DEFAULT_LOGFORMAT}

See the upslog(8) man page for more information.
`;
}

class Fatal extends Error {}

/** Splits our long options (`--once`, `--format X`) off the option part. */
function takeLongOptions(args: string[]): { args: string[]; once: boolean; style: string } {
  const out: string[] = [];
  let once = false, style = "text", inOptions = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (inOptions && a === "--once") once = true;
    else if (inOptions && a === "--format") style = args[++i] ?? "";
    else if (inOptions && a.startsWith("--format=")) style = a.slice(9);
    else {
      if (inOptions && (!a.startsWith("-") || a === "-" || a === "--")) inOptions = false;
      // an option's argument is not an operand
      if (inOptions && /^-[^-]*[slifupm]$/.test(a) && i + 1 < args.length) {
        out.push(a, args[++i]!);
        continue;
      }
      out.push(a);
    }
  }
  return { args: out, once, style };
}

class FileSink implements LogSink {
  #file: Deno.FsFile;
  readonly startedEmpty: boolean;
  constructor(readonly path: string) {
    this.#file = FileSink.#open(path);
    this.startedEmpty = this.#file.statSync().size === 0;
  }
  static #open(path: string): Deno.FsFile {
    return Deno.openSync(path, { append: true, create: true });
  }
  async write(line: string): Promise<void> {
    let buf = new TextEncoder().encode(line);
    while (buf.length > 0) buf = buf.subarray(await this.#file.write(buf));
  }
  reopen(): Promise<boolean> {
    this.#file.close();
    try {
      this.#file = FileSink.#open(this.path);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // NUT: fatal_with_errno(EXIT_FAILURE, "could not reopen logfile %s", logfn)
      const why = e.message.replace(/\s*\(os error \d+\).*$/s, "");
      throw new Fatal(`could not reopen logfile ${this.path}: ${why}`);
    }
    return Promise.resolve(this.#file.statSync().size === 0);
  }
  close(): void {
    try {
      this.#file.close();
    } catch (e) {
      // already closed by a failed reopen
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  }
}

function stdoutSink(io: CliIo, log: () => Logger): LogSink {
  return {
    startedEmpty: true,
    write: (line) => Promise.resolve(io.stdout(line)),
    reopen: () => {
      log().info("logging to stdout");
      return Promise.resolve(false);
    },
  };
}

function background(relaunch: readonly string[], rawArgs: string[]): void {
  const cmd = [...relaunch, ...rawArgs];
  let argv = cmd;
  try {
    if (Deno.statSync("/usr/bin/setsid").isFile) argv = ["/usr/bin/setsid", ...cmd];
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env: { [BACKGROUND_ENV]: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
}

/**
 * Runs upslog from the checkout (`nut upslog`).
 * @param rawArgs arguments after the subcommand
 * @param io process I/O
 * @param prog program name for messages
 * @returns the exit code
 */
export function run(rawArgs: string[], io: CliIo, prog = "upslog"): Promise<number> {
  return runUpslog(rawArgs, io, prog, () => selfArgv("upslog", [], { daemon: true }));
}

/**
 * Runs upslog.
 * @param rawArgs arguments after the subcommand
 * @param io process I/O
 * @param prog program name for messages
 * @param relaunch the command line that runs this program again (going to the background)
 * @returns the exit code
 */
export async function runUpslog(
  rawArgs: string[],
  io: CliIo,
  prog: string,
  relaunch: () => string[],
): Promise<number> {
  const isChild = io.env(BACKGROUND_ENV) === "1";
  const { args, once, style } = takeLongOptions(rawArgs);
  const quiet = once || isChild;
  if (!quiet) io.stdout(`Network UPS Tools ${prog} ${NUT_VERSION}\n`);
  const parsed = getopt(prog, args, "+hs:l:i:f:u:Vp:FBm:");
  for (const e of parsed.errors) io.stderr(`${e}\n`);
  let monhost: string | undefined, logfn: string | undefined;
  let interval = 30, logformat = DEFAULT_LOGFORMAT, pidbase = prog;
  let foreground: boolean | undefined;
  const multi: { monhost: string; logfn: string }[] = [];
  try {
    for (const { opt, arg = "" } of parsed.opts) {
      if (opt === "h") {
        io.stdout(help(prog));
        return 0;
      } else if (opt === "s") monhost = arg;
      else if (opt === "l") logfn = arg;
      else if (opt === "i") interval = atoi(arg);
      else if (opt === "f") logformat = arg;
      else if (opt === "V") return 0;
      else if (opt === "p") pidbase = arg;
      else if (opt === "F") foreground = true;
      else if (opt === "B") foreground = false;
      else if (opt === "m") {
        const parts = arg.split(",");
        if (parts.length !== 2) {
          throw new Fatal(
            "Argument '-m upsspec,logfile' requires exactly 2 components in the tuple",
          );
        }
        if (!splitName(parts[0]).ok) {
          throw new Fatal(
            "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n",
          );
        }
        multi.push({ monhost: parts[0]!, logfn: parts[1]! });
      }
      // -u <user>: Deno cannot switch users; accepted and ignored
    }
    if (style !== "text" && style !== "csv" && style !== "json") {
      throw new Fatal(`Unknown --format '${style}' (expected text, csv or json)`);
    }
    const rest = parsed.rest;
    if (rest.length === 1 || rest.length === 2) {
      io.stdout(help(prog));
      return 0;
    }
    if (rest.length >= 3) {
      monhost = rest[0];
      logfn = rest[1];
      interval = atoi(rest[2]!);
    }
    if (rest.length >= 4) logformat = rest.slice(3).map((w) => `${w} `).join("").slice(0, 1023);
    if (multi.length === 0) {
      if (monhost === undefined) throw new Fatal("No UPS defined for monitoring - use -s <system>");
      if (logfn === undefined) throw new Fatal("No filename defined for logging - use -l <file>");
      multi.push({ monhost, logfn });
    }
    return await logLoop(io, rawArgs, relaunch, {
      entries: multi,
      interval,
      logformat,
      pidbase,
      foreground,
      once,
      quiet,
      isChild,
      style: style as RecordStyle,
    });
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    io.stderr(`${e.message}\n`);
    return 1;
  }
}

interface LoopConfig {
  entries: { monhost: string; logfn: string }[];
  interval: number;
  logformat: string;
  pidbase: string;
  foreground: boolean | undefined;
  once: boolean;
  quiet: boolean;
  isChild: boolean;
  style: RecordStyle;
}

async function logLoop(
  io: CliIo,
  rawArgs: string[],
  relaunch: () => string[],
  cfg: LoopConfig,
): Promise<number> {
  const logger: Logger = cfg.isChild ? nullLogger : lineLogger((l) => io.stderr(l));
  let noticed = false;
  const connect = (host: string, port: number, tryTls: boolean) =>
    NutClient.connect({
      host,
      port,
      tryTls,
      onNotice: (m) => {
        // libupsclient initialises TLS once per process
        if (cfg.quiet || (noticed && m.startsWith("Init SSL"))) return;
        noticed = true;
        io.stderr(`${m}\n`);
      },
    });
  const targets: LogTarget[] = [];
  const files: FileSink[] = [];
  try {
    for (const e of cfg.entries) {
      if (!cfg.quiet) {
        io.stdout(`logging status of ${e.monhost} to ${e.logfn} (${cfg.interval}s intervals)\n`);
      }
      const n = splitName(e.monhost);
      if (!n.ok) {
        for (const d of n.diagnostics) io.stderr(`${d}\n`);
        throw new Fatal(
          "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n",
        );
      }
      const target: { client?: NutClient; lastError?: string } = {};
      if (!cfg.once) {
        try {
          target.client = await connect(n.value.host, n.value.port, true);
        } catch (err) {
          if (!(err instanceof UpsClientError)) throw err;
          target.lastError = clientErrorText(err);
          if (!cfg.isChild) io.stderr(`Warning: initial connect failed: ${target.lastError}\n`);
        }
      }
      let sink: LogSink;
      if (e.logfn === "-") sink = stdoutSink(io, () => logger);
      else {
        try {
          const f = new FileSink(e.logfn);
          files.push(f);
          sink = f;
        } catch (err) {
          if (!(err instanceof Error)) throw err;
          const why = err.message.replace(/\s*\(os error \d+\).*$/s, "");
          throw new Fatal(`could not open logfile ${e.logfn}: ${why}`);
        }
      }
      targets.push({ monhost: e.monhost, ...n.value, sink, ...target });
    }
    const runner = new UpsLogRunner({
      targets,
      segments: compileFormat(cfg.logformat),
      interval: Math.max(1, cfg.interval),
      style: cfg.style,
      clock: realClock,
      connect,
      logger,
      hostname: Deno.hostname(),
      pid: Deno.pid,
    });
    if (cfg.once) {
      await runner.sampleOnce();
      for (const t of targets) await t.client?.[Symbol.asyncDispose]();
      return 0;
    }
    const toStdout = cfg.entries[0]!.logfn === "-";
    const foreground = cfg.isChild || (cfg.foreground ?? toStdout);
    if (!foreground) {
      for (const t of targets) t.client?.close();
      background(relaunch(), rawArgs);
      return 0;
    }
    return await foregroundLoop(io, runner, cfg.pidbase);
  } finally {
    for (const f of files) f.close();
  }
}

async function foregroundLoop(io: CliIo, runner: UpsLogRunner, pidbase: string): Promise<number> {
  const pidPath = resolvePaths(io.env).pidPath;
  const pidFile = pidbase.startsWith("/") ? pidbase : `${pidPath}/${pidbase}.pid`;
  const signals = ["SIGHUP", "SIGUSR1", "SIGINT", "SIGQUIT", "SIGTERM"] as const;
  const handlers = signals.map((s) => [s, () => runner.signal(s)] as const);
  // SIGUSR2 stands in for SIGUSR1, which makes Deno open its debugger (cli/self.ts)
  const alias = () => runner.signal("SIGUSR1");
  Deno.addSignalListener(USR1_ALIAS, alias);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  let wrotePid = false;
  try {
    try {
      Deno.writeTextFileSync(pidFile, `${Deno.pid}\n`, { mode: 0o644 });
      wrotePid = true;
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      io.stderr(`writepid: fopen ${pidFile}: ${e.message.replace(/ \(os error \d+\)$/, "")}\n`);
    }
    await runner.run();
    return 0;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    Deno.removeSignalListener(USR1_ALIAS, alias);
    if (wrotePid) removePidFile(pidFile);
  }
}

function removePidFile(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
