/**
 * From a driver command line to resolved options: processes `-a` (reading
 * ups.conf through engineer A's parser), `-s`, `-x`, `-u`, `-i` in order with
 * NUT 2.8.0's rules and fatal texts.
 *
 * @module
 */

import { parseUpsConf } from "../../core/config/ups_conf.ts";
import type { NutPaths } from "../../core/paths.ts";
import type { DriverCommandLine } from "./args.ts";
import { DriverFatal, type DriverInfo } from "./driver.ts";
import { type DriverOptions, OptionsBuilder } from "./options.ts";

/** What {@linkcode configureDriver} resolves. */
export interface DriverConfig {
  /** Section name. */
  readonly upsName: string;
  /** Resolved options. */
  readonly options: DriverOptions;
}

/**
 * Resolves the configuration.
 * @param info the driver's table
 * @param cmd the parsed command line
 * @param paths NUT locations
 * @param readTextFile reads ups.conf
 * @returns the configuration
 * @throws DriverFatal with NUT's text for every fatal case
 */
export async function configureDriver(
  info: DriverInfo,
  cmd: DriverCommandLine,
  paths: NutPaths,
  readTextFile: (path: string) => Promise<string>,
): Promise<DriverConfig> {
  const b = new OptionsBuilder(info);
  let upsName: string | undefined;
  for (const o of cmd.ordered) {
    if (o.opt === "u") b.commandLineUser(o.value);
  }
  for (const o of cmd.ordered) {
    switch (o.opt) {
      case "a": {
        upsName = o.id;
        b.upsName = o.id;
        const fn = `${paths.confPath}/ups.conf`;
        let text: string;
        try {
          text = await readTextFile(fn);
        } catch (e) {
          if (e instanceof Deno.errors.NotFound) {
            throw new DriverFatal(`Can't open ${fn}: Can't open ${fn}: No such file or directory`);
          }
          if (e instanceof Deno.errors.PermissionDenied) {
            throw new DriverFatal(`Can't open ${fn}: Can't open ${fn}: Permission denied`);
          }
          throw e;
        }
        const conf = parseUpsConf(text, { file: fn });
        for (const e of conf.global.entries) {
          b.global({ name: e.key, value: e.kind === "value" ? e.value : undefined });
        }
        let found = false;
        for (const d of conf.devices) {
          if (d.name !== o.id) continue;
          found = true;
          for (const e of d.entries) {
            b.section({ name: e.key, value: e.kind === "value" ? e.value : undefined });
          }
        }
        if (!found) throw new DriverFatal(`Error: Section ${o.id} not found in ups.conf`);
        break;
      }
      case "s":
        upsName = o.id;
        b.upsName = o.id;
        break;
      case "x":
        b.cmdline(o.arg);
        break;
      case "i":
        b.commandLinePollInterval(o.value);
        break;
      case "u":
      case "g":
      case "r":
        break;
    }
  }
  if (upsName === undefined) {
    throw new DriverFatal(
      "Error: specifying '-a id' or '-s id' is now mandatory. Try -h for help.",
    );
  }
  const options = b.build();
  if (options.port === undefined) {
    throw new DriverFatal(
      "Error: you must specify a port name in ups.conf or in '-x port=...' argument.\nTry -h for help.",
    );
  }
  return { upsName, options };
}
