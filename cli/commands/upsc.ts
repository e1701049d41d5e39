/**
 * `nut upsc`: NUT's upsc, byte for byte (Debian 2.8.0 build, including its
 * NSS notice on stderr), plus `-j`/`--json` as in NUT 2.8.5.
 *
 * Keep this file's import graph small: it is the one-shot command scripts
 * call in loops.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { NutClient } from "../../core/client/client.ts";
import { clientErrorText, UpsClientError } from "../../core/client/errors.ts";
import { NutError } from "../../core/errors.ts";
import { splitAddr, splitName } from "../../core/client/ups_name.ts";
import { jsonEscape } from "../../core/client/json_text.ts";

/** One line for `nut help`. */
export const summary = "show UPS variables (NUT's upsc)";

function usage(prog: string): string {
  return `Network UPS Tools upsc ${NUT_VERSION}

usage: ${prog} -l | -L [<hostname>[:port]]
       ${prog} <ups> [<variable>]
       ${prog} -c <ups>

Demo program to display UPS variables.

First form (lists UPSes):
  -l         - lists each UPS on <hostname>, one per line.
  -L         - lists each UPS followed by its description (from ups.conf).
               Default hostname: localhost

Second form (lists variables and values):
  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form
  <variable> - optional, display this variable only.
               Default: list all variables for <host>

Third form (lists clients connected to a device):
  -c         - lists each client connected on <ups>, one per line.
  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form
`;
}

/** Thrown to end the program with NUT's `fatalx()` semantics. */
class Fatal extends Error {
  constructor(readonly text: string) {
    super(text);
    this.name = "Fatal";
  }
}

/** Error text for a failed query (old-upsd special case, else libupsclient's). */
function queryError(e: unknown, old: string): { msg: string; simple: boolean } {
  if (e instanceof NutError && e.code.startsWith("UNKNOWN-COMMAND")) {
    return { msg: old, simple: true };
  }
  if (e instanceof NutError || e instanceof UpsClientError) {
    return { msg: clientErrorText(e), simple: false };
  }
  throw e;
}

/**
 * Runs upsc.
 * @param args arguments after the subcommand
 * @param io process I/O
 * @param prog program name for messages
 * @returns the exit code
 */
export async function run(args: string[], io: CliIo, prog = "upsc"): Promise<number> {
  let json = false;
  const jsonError = (msg: string) => {
    if (json) io.stdout(`{"error": "${jsonEscape(msg)}"}\n`);
    return new Fatal(`Error: ${msg}`);
  };
  const argv = [...args];
  for (let i = 0; i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "--"; i++) {
    if (argv[i] === "--json") argv[i] = "-j";
  }
  const parsed = getopt(prog, argv, "+hlLcVj");
  for (const e of parsed.errors) io.stderr(`${e}\n`);
  let varlist = false, clientlist = false, verbose = false;
  for (const { opt } of parsed.opts) {
    if (opt === "L") verbose = varlist = true;
    else if (opt === "l") varlist = true;
    else if (opt === "c") clientlist = true;
    else if (opt === "j") json = true;
    else if (opt === "V") {
      io.stderr(`Network UPS Tools upscmd ${NUT_VERSION}\n`);
      return 0;
    } else {
      io.stdout(usage(prog));
      return 0;
    }
  }
  const rest = parsed.rest;
  let client: NutClient | undefined;
  try {
    let ups = "", host: string, port: number;
    if (varlist) {
      const a = splitAddr(rest[0] ?? "localhost");
      if (!a.ok) {
        for (const d of a.diagnostics) io.stderr(`${d}\n`);
        throw jsonError("invalid hostname.\nRequired format: [hostname[:port]]");
      }
      ({ host, port } = a.value);
    } else {
      const n = splitName(rest[0]);
      if (!n.ok) {
        for (const d of n.diagnostics) io.stderr(`${d}\n`);
        throw jsonError("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]");
      }
      ({ ups, host, port } = n.value);
    }
    try {
      client = await NutClient.connect({
        host,
        port,
        tryTls: true,
        onNotice: (m) => io.stderr(`${m}\n`),
      });
    } catch (e) {
      throw jsonError(queryError(e, "").msg);
    }
    if (varlist) await listUpses(client, io, verbose, json, jsonError);
    else if (clientlist) await listClients(client, io, ups, json, jsonError);
    else if (rest.length > 1) await printVar(client, io, ups, rest[1]!, json, jsonError);
    else await listVars(client, io, ups, json);
    return 0;
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    io.stderr(`${e.text}\n`);
    return 1;
  } finally {
    if (client) await client[Symbol.asyncDispose]();
  }
}

type JsonError = (msg: string) => Fatal;

async function printVar(
  c: NutClient,
  io: CliIo,
  ups: string,
  name: string,
  json: boolean,
  jsonError: JsonError,
): Promise<void> {
  if (!name.includes(".")) throw jsonError("old-style variable names are not supported");
  let words: string[];
  try {
    words = await c.get(["VAR", ups, name]);
  } catch (e) {
    throw jsonError(queryError(e, "variable unknown (old upsd detected)").msg);
  }
  if (words.length < 4) {
    throw jsonError(`insufficient data (got ${words.length} args, need at least 3)`);
  }
  io.stdout(json ? `"${jsonEscape(words[3]!)}"\n` : `${words[3]}\n`);
}

async function listVars(c: NutClient, io: CliIo, ups: string, json: boolean): Promise<void> {
  let out = json ? "{\n" : "";
  let rows: string[][];
  try {
    rows = (await c.listLenient(["VAR", ups], { lastRequest: true })).rows;
  } catch (e) {
    const { msg } = queryError(e, "upsd is too old to support this query");
    if (json) io.stdout(`${out}  "error": "${jsonEscape(msg)}"\n}\n`);
    throw new Fatal(`Error: ${msg}`);
  }
  const items: string[] = [];
  for (const w of rows) {
    if (w.length < 4) {
      const msg = `insufficient data (got ${w.length} args, need at least 4)`;
      io.stdout(json ? `${out}${items.join(",\n")}  "error": "${msg}"\n}\n` : out);
      throw new Fatal(`Error: ${msg}`);
    }
    if (json) items.push(`  "${jsonEscape(w[2]!)}": "${jsonEscape(w[3]!)}"`);
    else out += `${w[2]}: ${w[3]}\n`;
  }
  io.stdout(json ? `${out}${items.join(",\n")}\n}\n` : out);
}

async function listUpses(
  c: NutClient,
  io: CliIo,
  verbose: boolean,
  json: boolean,
  jsonError: JsonError,
): Promise<void> {
  let rows: string[][];
  try {
    rows = (await c.listLenient(["UPS"], { lastRequest: true })).rows;
  } catch (e) {
    throw jsonError(queryError(e, "upsd is too old to support this query").msg);
  }
  const items: string[] = [];
  let out = "";
  for (const w of rows) {
    if (w.length < 3) {
      const msg = `insufficient data (got ${w.length} args, need at least 3)`;
      if (json) {
        io.stdout(
          `${verbose ? "{" : "["}\n${items.join(",\n")}  ${
            verbose ? "" : "{"
          }"error": "${msg}"\n}\n` +
            (verbose ? "" : "]\n"),
        );
      } else io.stdout(out);
      throw new Fatal(`Error: ${msg}`);
    }
    if (json) {
      items.push(
        verbose ? `  "${jsonEscape(w[1]!)}": "${jsonEscape(w[2]!)}"` : `  "${jsonEscape(w[1]!)}"`,
      );
    } else out += verbose ? `${w[1]}: ${w[2]}\n` : `${w[1]}\n`;
  }
  if (json) io.stdout(verbose ? `{\n${items.join(",\n")}\n}\n` : `[\n${items.join(",\n")}\n]\n`);
  else io.stdout(out);
}

async function listClients(
  c: NutClient,
  io: CliIo,
  ups: string,
  json: boolean,
  jsonError: JsonError,
): Promise<void> {
  let rows: string[][];
  try {
    rows = (await c.listLenient(["CLIENT", ups], { lastRequest: true })).rows;
  } catch (e) {
    throw jsonError(queryError(e, "upsd is too old to support this query").msg);
  }
  const items: string[] = [];
  let out = "";
  for (const w of rows) {
    if (w.length < 3) {
      const msg = `insufficient data (got ${w.length} args, need at least 3)`;
      io.stdout(json ? `[\n${items.join(",\n")}  {"error": "${msg}"\n}\n]\n` : out);
      throw new Fatal(`Error: ${msg}`);
    }
    if (json) items.push(`  "${jsonEscape(w[2]!)}"`);
    else out += `${w[2]}\n`;
  }
  io.stdout(json ? `[\n${items.join(",\n")}\n]\n` : out);
}
