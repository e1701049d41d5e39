/**
 * `nut upscmd`: NUT 2.8.0's upscmd byte for byte — list instant commands
 * (`-l`, also `--json`), or run one with credentials, optional value and
 * `-w`/`-t` tracking.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { NutClient } from "../../core/client/client.ts";
import { clientErrorText, UpsClientError } from "../../core/client/errors.ts";
import { NutError } from "../../core/errors.ts";
import { splitName } from "../../core/client/ups_name.ts";
import {
  AdminFatal,
  enableTracking,
  loginName,
  runTracked,
  sendCredentials,
} from "../../core/client/admin.ts";

/** One line for `nut help`. */
export const summary = "list and run instant commands (NUT's upscmd)";

/** NUT's DEFAULT_TRACKING_TIMEOUT. */
const DEFAULT_TRACKING_TIMEOUT = 10;

function usage(prog: string): string {
  return `Network UPS Tools upscmd ${NUT_VERSION}

usage: ${prog} [-h]
       ${prog} [-l <ups>]
       ${prog} [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups> <command> [<value>]

Administration program to initiate instant commands on UPS hardware.

  -h\t\tdisplay this help text
  -l <ups>\tshow available commands on UPS <ups>
  -u <username>\tset username for command authentication
  -p <password>\tset password for command authentication
  -w            wait for the completion of command by the driver
                and return its actual result from the device
  -t <timeout>\tset a timeout when using -w (in seconds, default: ${DEFAULT_TRACKING_TIMEOUT})

  <ups>\t\tUPS identifier - <upsname>[@<hostname>[:<port>]]
  <command>\tValid instant command - test.panel.start, etc.
  [<value>]\tAdditional data for command - number of seconds, etc.
`;
}

/**
 * Removes `--json` from the option part of the arguments.
 * @param args arguments
 * @returns the rest and whether `--json` was there
 */
export function takeJsonFlag(args: string[]): { args: string[]; json: boolean } {
  const out: string[] = [];
  let json = false;
  let inOptions = true;
  for (const a of args) {
    if (inOptions && a === "--json") {
      json = true;
      continue;
    }
    if (inOptions && (!a.startsWith("-") || a === "--" || a === "-")) inOptions = false;
    out.push(a);
  }
  return { args: out, json };
}

/**
 * NUT's `str_to_uint()` for `-t`: decimal digits only.
 * @param s text
 * @returns the number, or undefined
 */
export function parseUint(s: string): number | undefined {
  return /^\s*\+?[0-9]+$/.test(s) && Number(s) <= 0xffffffff ? Number(s) : undefined;
}

/**
 * Asks for the user name like NUT (`Username (<login>): ` on stdout).
 * @param io process I/O
 * @param fatalOnEof upscmd dies on EOF; upsrw falls back to the login name
 * @returns the user name
 */
export async function promptUsername(io: CliIo, fatalOnEof: boolean): Promise<string> {
  let login: string | undefined;
  try {
    login = loginName(await io.readTextFile("/etc/passwd"), Deno.uid() ?? -1);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied)) throw e;
  }
  io.stdout(login === undefined ? "Username: " : `Username (${login}): `);
  const line = await io.readLine();
  if (line === null && fatalOnEof) throw new AdminFatal("Error reading from stdin!");
  if (line !== null && line.length > 0) return line;
  if (login === undefined) throw new AdminFatal("No username available - even tried getpwuid");
  return login;
}

/**
 * Asks for the password without echo (`Password: ` like getpass()).
 * @param io process I/O
 * @returns the password
 */
export async function promptPassword(io: CliIo): Promise<string> {
  io.stderr("Password: ");
  const pw = await io.readSecret();
  if (pw === null) return "";
  return pw;
}

/**
 * Connects without TLS (2.8.0's upscmd/upsrw), mapping failure to `Error: <text>`.
 * @param host host
 * @param port port
 * @returns the client
 */
export async function connectPlain(host: string, port: number): Promise<NutClient> {
  try {
    return await NutClient.connect({ host, port });
  } catch (e) {
    if (e instanceof UpsClientError) throw new AdminFatal(`Error: ${clientErrorText(e)}`);
    throw e;
  }
}

async function listCmds(c: NutClient, io: CliIo, ups: string, json: boolean): Promise<void> {
  let rows: string[][];
  try {
    rows = (await c.listLenient(["CMD", ups])).rows;
  } catch (e) {
    if (e instanceof NutError && e.code.startsWith("UNKNOWN-COMMAND")) {
      throw new AdminFatal("Error: upsd is too old to support this query");
    }
    if (e instanceof NutError || e instanceof UpsClientError) {
      throw new AdminFatal(`Error: ${clientErrorText(e)}`);
    }
    throw e;
  }
  const names: string[] = [];
  for (const w of rows) {
    if (w.length < 3) {
      throw new AdminFatal(`Error: insufficient data (got ${w.length} args, need at least 3)`);
    }
    names.push(w[2]!);
  }
  const cmds: { name: string; description: string | null }[] = [];
  for (const name of names) {
    let desc: string | null = null;
    try {
      const a = await c.get(["CMDDESC", ups, name]);
      desc = a[3] ?? null;
    } catch (e) {
      if (!(e instanceof NutError || e instanceof UpsClientError)) throw e;
    }
    cmds.push({ name, description: desc });
  }
  if (json) {
    io.stdout(`${JSON.stringify({ ups, commands: cmds }, null, 2)}\n`);
    return;
  }
  let out = `Instant commands supported on UPS [${ups}]:\n\n`;
  for (const { name, description } of cmds) {
    out += description === null ? `${name}\n` : `${name} - ${description}\n`;
  }
  io.stdout(out);
}

/**
 * Runs upscmd.
 * @param rawArgs arguments after the subcommand
 * @param io process I/O
 * @param prog program name for messages
 * @returns the exit code
 */
export async function run(rawArgs: string[], io: CliIo, prog = "upscmd"): Promise<number> {
  const { args, json } = takeJsonFlag(rawArgs);
  const parsed = getopt(prog, args, "+lhu:p:t:wV");
  for (const e of parsed.errors) io.stderr(`${e}\n`);
  let cmdlist = false, tracking = false;
  let user: string | undefined, pass: string | undefined;
  let timeout = DEFAULT_TRACKING_TIMEOUT;
  for (const { opt, arg } of parsed.opts) {
    if (opt === "l") cmdlist = true;
    else if (opt === "u") user = arg ?? "";
    else if (opt === "p") pass = arg ?? "";
    else if (opt === "w") tracking = true;
    else if (opt === "t") {
      const t = parseUint(arg ?? "");
      if (t === undefined) {
        io.stderr(
          "Could not convert the provided value for timeout ('-t' option) to unsigned int: Invalid argument\n",
        );
        return 1;
      }
      timeout = t;
    } else if (opt === "V") {
      io.stderr(`Network UPS Tools upscmd ${NUT_VERSION}\n`);
      return 0;
    } else {
      io.stdout(usage(prog));
      return 0;
    }
  }
  const rest = parsed.rest;
  if (rest.length < 1) {
    io.stdout(usage(prog));
    return 0;
  }
  let client: NutClient | undefined;
  try {
    const name = splitName(rest[0]);
    if (!name.ok) {
      for (const d of name.diagnostics) io.stderr(`${d}\n`);
      throw new AdminFatal(
        "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]",
      );
    }
    const { ups, host, port } = name.value;
    client = await connectPlain(host, port);
    if (cmdlist) {
      await listCmds(client, io, ups, json);
      return 0;
    }
    if (rest.length < 2) {
      io.stdout(usage(prog));
      return 0;
    }
    const cmd = rest[1]!;
    if (!cmd.includes(".")) throw new AdminFatal("Error: old command names are not supported");
    if (user === undefined) user = await promptUsername(io, true);
    if (pass === undefined) pass = await promptPassword(io);
    await sendCredentials(client, user, pass);
    if (tracking) await enableTracking(client, "upscmd");
    const line = rest.length > 2 ? `INSTCMD ${ups} ${cmd} ${rest[2]}` : `INSTCMD ${ups} ${cmd}`;
    const result = await runTracked(client, line, {
      flavor: "upscmd",
      tracking,
      timeoutSec: timeout,
      clock: realClock,
    });
    io.stderr(`${result}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof AdminFatal)) throw e;
    io.stderr(`${e.message}\n`);
    return 1;
  } finally {
    if (client) await client[Symbol.asyncDispose]();
  }
}
