/**
 * `nut upsrw`: NUT 2.8.0's upsrw byte for byte — list writable variables in
 * NUT's block format (or `--json`), or set one (`-s var[=value]`) with
 * credentials and `-w`/`-t` tracking.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { realClock } from "../../core/runtime/clock.ts";
import type { NutClient } from "../../core/client/client.ts";
import { clientErrorText, UpsClientError } from "../../core/client/errors.ts";
import { NutError } from "../../core/errors.ts";
import { splitName } from "../../core/client/ups_name.ts";
import { escapeValue } from "../../core/protocol/tokenize.ts";
import {
  AdminFatal,
  enableTracking,
  runTracked,
  sendCredentials,
} from "../../core/client/admin.ts";
import { describeRw, renderRwBlock, type RwInfo } from "../../core/client/rw_info.ts";
import { connectPlain, parseUint, promptPassword, promptUsername, takeJsonFlag } from "./upscmd.ts";

/** One line for `nut help`. */
export const summary = "list and set writable variables (NUT's upsrw)";

const DEFAULT_TRACKING_TIMEOUT = 10;

function usage(prog: string): string {
  return `Network UPS Tools ${prog} ${NUT_VERSION}

usage: ${prog} [-h]
       ${prog} [-s <variable>] [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups>

Demo program to set variables within UPS hardware.

  -h            display this help text
  -s <variable>\tspecify variable to be changed
\t\tuse -s VAR=VALUE to avoid prompting for value
  -l            show all possible read/write variables.
  -u <username> set username for command authentication
  -p <password> set password for command authentication
  -w            wait for the completion of setting by the driver
                and return its actual result from the device
  -t <timeout>\tset a timeout when using -w (in seconds, default: ${DEFAULT_TRACKING_TIMEOUT})

  <ups>         UPS identifier - <upsname>[@<hostname>[:<port>]]

Call without -s to show all possible read/write variables (same as -l).
`;
}

async function listRw(c: NutClient, io: CliIo, ups: string, json: boolean): Promise<void> {
  let rows: string[][];
  try {
    rows = (await c.listLenient(["RW", ups])).rows;
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
    if (w.length < 4) {
      throw new AdminFatal(`Error: insufficient data (got ${w.length} args, need at least 4)`);
    }
    names.push(w[2]!);
  }
  const infos: RwInfo[] = [];
  for (const name of names) {
    const info = await describeRw(c, ups, name);
    if (!json) {
      // NUT prints each block as soon as it has it; a fatal stops mid-block
      const { text, fatal } = renderRwBlock(info);
      io.stdout(text);
      if (fatal !== undefined) throw new AdminFatal(fatal);
    } else if (info.fatal !== undefined) {
      throw new AdminFatal(info.fatal);
    }
    infos.push(info);
  }
  if (json) {
    const variables = infos.map((i) => {
      const v: Record<string, unknown> = {
        name: i.name,
        description: i.description,
        type: i.type,
      };
      if (i.maxLength !== undefined) v.maxLength = i.maxLength;
      if (i.value !== undefined) v.value = i.value;
      if (i.options !== undefined) v.options = i.options;
      if (i.ranges !== undefined) v.ranges = i.ranges;
      return v;
    });
    io.stdout(`${JSON.stringify({ ups, variables }, null, 2)}\n`);
  }
}

/**
 * Runs upsrw.
 * @param rawArgs arguments after the subcommand
 * @param io process I/O
 * @param prog program name for messages
 * @returns the exit code
 */
export async function run(rawArgs: string[], io: CliIo, prog = "upsrw"): Promise<number> {
  const { args, json } = takeJsonFlag(rawArgs);
  const parsed = getopt(prog, args, "+hls:p:t:u:wV");
  for (const e of parsed.errors) io.stderr(`${e}\n`);
  let setvar: string | undefined, user: string | undefined, pass: string | undefined;
  let tracking = false;
  let timeout = DEFAULT_TRACKING_TIMEOUT;
  for (const { opt, arg } of parsed.opts) {
    if (opt === "s") setvar = arg ?? "";
    else if (opt === "l") {
      if (setvar !== undefined) {
        io.stderr("Listing mode requested, overriding setvar specified earlier!\n");
        setvar = undefined;
      }
    } else if (opt === "p") pass = arg ?? "";
    else if (opt === "u") user = arg ?? "";
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
      io.stdout(`Network UPS Tools ${prog} ${NUT_VERSION}\n`);
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
    if (setvar === undefined) {
      await listRw(client, io, ups, json);
      return 0;
    }
    if (user === undefined) user = await promptUsername(io, false);
    if (pass === undefined) pass = await promptPassword(io);
    let varname = setvar, value: string;
    const eq = setvar.indexOf("=");
    if (eq >= 0) {
      varname = setvar.slice(0, eq);
      value = setvar.slice(eq + 1);
    } else {
      io.stdout(`Enter new value for ${varname}: `);
      value = (await io.readLine()) ?? "";
    }
    await sendCredentials(client, user, pass);
    if (!varname.includes(".")) throw new AdminFatal("Error: old variable names are not supported");
    if (tracking) await enableTracking(client, "upsrw");
    const result = await runTracked(
      client,
      `SET VAR ${ups} ${varname} "${escapeValue(value)}"`,
      { flavor: "upsrw", tracking, timeoutSec: timeout, clock: realClock },
    );
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
