/**
 * `nut`: Network UPS Tools as one command. `nut <sub> ...` runs a
 * subcommand; invoked under a NUT program name (`upsc`, `upsdrvctl`,
 * `dummy-ups`, ...) or given one as first word, it behaves as that program
 * with NUT's own option syntax.
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import { runAsProcess } from "./exit.ts";
import { COMMANDS, findCommand, programName } from "./commands/mod.ts";
import { NUT_TS_VERSION, NUT_VERSION } from "../core/version.ts";

function basename(p: string): string {
  const i = p.lastIndexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/**
 * Runs `nut`.
 * @param args command-line arguments (without the executable)
 * @param io process I/O
 * @param argv0 the name the program was invoked under, for argv[0] dispatch
 * @returns the process exit code
 */
export async function main(args: string[], io: CliIo, argv0 = "nut"): Promise<number> {
  const asProgram = findCommand(basename(argv0));
  if (asProgram && basename(argv0) !== "nut") {
    const mod = await asProgram.entry.load();
    return mod.run(args, io, basename(argv0));
  }
  const first = args[0];
  if (first !== undefined && !first.startsWith("-") && first !== "help") {
    const found = findCommand(first);
    if (found) {
      const mod = await found.entry.load();
      const prog = found.entry.programs.includes(first) ? first : programName(found.name);
      return mod.run(args.slice(1), io, prog);
    }
  }
  return await topLevel(args, io);
}

async function topLevel(args: string[], io: CliIo): Promise<number> {
  const { Command, CommanderError } = await import("@commander-js/extra-typings");
  const program = new Command("nut")
    .description("Network UPS Tools, one command: nut <subcommand> [options]")
    .version(`nut ${NUT_TS_VERSION} (Network UPS Tools ${NUT_VERSION} compatible)`, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError(false);
  program.addHelpText(
    "after",
    "\nEvery subcommand takes the options of the NUT program it replaces; `nut help <sub>`\n" +
      "shows them. Invoked through a link named like a NUT program (see `nut links`), nut\n" +
      "behaves as that program.\n",
  );
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const alias = entry.programs.find((p) => p !== name);
    const sub = program.command(name).description(entry.summary).helpOption(false)
      .allowUnknownOption().allowExcessArguments().argument("[args...]");
    if (alias) sub.alias(alias);
  }
  program.command("help").argument("[sub]").description("show help for a subcommand");
  let result = 0;
  try {
    await program.parseAsync(args, { from: "user" });
    const [name, ...rest] = program.args;
    if (name === "help") {
      const target = rest[0];
      if (target === undefined) {
        program.outputHelp();
        return 0;
      }
      const found = findCommand(target);
      if (!found) {
        io.stderr(`nut: unknown subcommand '${target}' (see 'nut help')\n`);
        return 2;
      }
      io.stdout(`nut ${found.name}: ${found.entry.summary}\n\n`);
      const mod = await found.entry.load();
      result = await mod.run(["-h"], io, programName(found.name));
    } else if (name === undefined) {
      program.outputHelp();
    } else {
      io.stderr(`nut: unknown subcommand '${name}' (see 'nut help')\n`);
      result = 2;
    }
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return result;
}

if (import.meta.main) {
  const argv0 = Deno.env.get("NUT_ARGV0") ?? "nut";
  await runAsProcess((io) => main(Deno.args, io, argv0));
}
