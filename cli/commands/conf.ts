/**
 * `nut conf check [-c DIR] [--json] [--strict]`: the configuration check NUT
 * never had. Parses every NUT config file present in DIR (default CONFPATH)
 * with the same parsers the daemons use, prints `file:line: message` for
 * each problem, and exits 0 (clean), 1 (warnings, with --strict) or 2
 * (errors).
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { resolvePaths } from "../../core/paths.ts";
import { checkConfigDir, type CheckResult } from "../../core/config/check.ts";
import type { ConfigProblem } from "../../core/config/problem.ts";

/** One line for `nut help`. */
export const summary = "check NUT configuration files (conf check [-c DIR] [--json] [--strict])";

/** Exit code for a command-line mistake (sysexits EX_USAGE; 1 and 2 mean warnings/errors). */
export const USAGE_EXIT = 64;

/** Strips NUT's own `file: ` / `file line N: ` prefix, which the location already says. */
function bare(p: ConfigProblem): string {
  const m = p.message;
  if (m.startsWith(`${p.file}: `)) return m.slice(p.file.length + 2);
  const lm = /^(\S+) line \d+: /.exec(m);
  if (lm && lm[1] === p.file) return m.slice(lm[0].length);
  return m;
}

/**
 * Formats one problem as `path:line: severity: message (hint)`.
 * @param p the problem
 * @param dir the directory checked
 * @returns the line, without newline
 */
export function formatProblem(p: ConfigProblem, dir: string): string {
  const where = p.line > 0 ? `${dir}/${p.file}:${p.line}` : `${dir}/${p.file}`;
  const hint = p.hint === undefined ? "" : ` (${p.hint})`;
  return `${where}: ${p.severity}: ${bare(p)}${hint}`;
}

function report(r: CheckResult, dir: string, json: boolean, io: CliIo): void {
  if (json) {
    const rows = r.problems.map((p) => ({
      file: p.file,
      path: `${dir}/${p.file}`,
      line: p.line,
      severity: p.severity,
      message: p.message,
      ...(p.hint === undefined ? {} : { hint: p.hint }),
      ...(p.fatal ? { fatal: true } : {}),
    }));
    io.stdout(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  for (const p of r.problems) io.stdout(formatProblem(p, dir) + "\n");
  const present = r.files.filter((f) => f.present).map((f) => f.name);
  const errors = r.problems.filter((p) => p.severity === "error").length;
  const warnings = r.problems.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  io.stdout(
    `checked ${present.join(", ")} in ${dir}: ${plural(errors, "error")}, ${
      plural(warnings, "warning")
    }\n`,
  );
}

async function check(
  opts: { confdir?: string | undefined; json?: boolean | undefined; strict?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  const paths = resolvePaths((k) => io.env(k));
  const dir = (opts.confdir ?? paths.confPath).replace(/(.)\/+$/, "$1");
  const { DRIVERS } = await import("../../drivers/mod.ts");
  const r = await checkConfigDir(dir, {
    readTextFile: (p) => io.readTextFile(p),
    stat: (p) => Deno.stat(p),
    pathEnv: io.env("PATH"),
    readDir: async (p) => (await Array.fromAsync(Deno.readDir(p))).map((e) => e.name),
    builtinDrivers: Object.keys(DRIVERS),
    driverPath: paths.driverPath,
  });
  if (!r.files.some((f) => f.present)) {
    io.stderr(`nut conf check: no NUT configuration files in ${dir}\n`);
    return 2;
  }
  report(r, dir, opts.json === true, io);
  if (r.problems.some((p) => p.severity === "error")) return 2;
  if (opts.strict === true && r.problems.length > 0) return 1;
  return 0;
}

/**
 * Runs `nut conf <action>`.
 * @param args arguments after `conf`
 * @param io process I/O
 * @returns 0 clean, 1 warnings with --strict, 2 errors, 64 usage error
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { Command, CommanderError } = await import("@commander-js/extra-typings");
  let code = 0;
  const program = new Command("nut conf")
    .description("Check NUT configuration files")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  program
    .command("check")
    .description(
      "parse every NUT config file present in DIR and report problems as file:line: message",
    )
    .option("-c, --confdir <DIR>", "directory to check (default: NUT_CONFPATH or /etc/nut)")
    .option("--json", "print the problems as a JSON array")
    .option("--strict", "exit 1 when there are warnings (errors always exit 2)")
    .addHelpText(
      "after",
      "\nExit status: 0 no problems, 1 warnings only (with --strict), 2 errors.\n",
    )
    .action(async (opts) => {
      code = await check(opts, io);
    });
  try {
    if (args.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : USAGE_EXIT;
    throw e;
  }
  return code;
}
