/**
 * hosts.conf of the CGI programs (upsstats, upsimage, upsset), as NUT 2.8.0
 * reads it.
 *
 * @module
 */

import { type ConfigProblem, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";

/** `MONITOR system "description"` of hosts.conf. */
export interface HostsMonitor {
  /** `ups[@host[:port]]`, matched exactly (strcmp) by the CGI programs. */
  readonly system: string;
  /** Description shown on the web page. */
  readonly description: string;
  /** Line of the directive. */
  readonly line: number;
}

/** A parsed hosts.conf. */
export interface HostsConf {
  /** MONITOR lines in file order. */
  readonly monitors: readonly HostsMonitor[];
  /** `CUSTOM_TEMPLATE_LIST` (newer upsstats). */
  readonly customTemplateList: string | undefined;
  /** `CUSTOM_TEMPLATE_SINGLE` (newer upsstats). */
  readonly customTemplateSingle: string | undefined;
  /** Problems found. */
  readonly problems: readonly ConfigProblem[];
}

const HOSTS_DIRECTIVES = ["MONITOR", "CUSTOM_TEMPLATE_LIST", "CUSTOM_TEMPLATE_SINGLE"];

/**
 * Parses hosts.conf text: `MONITOR` lines need 3 words; anything else is
 * ignored by the CGI programs (reported here).
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns the monitors and problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostsConf } from "./hosts_conf.ts";
 * const c = parseHostsConf('MONITOR ups@localhost "Main UPS"\n', { file: "hosts.conf" });
 * assert.deepEqual(c.monitors, [{ system: "ups@localhost", description: "Main UPS", line: 1 }]);
 * ```
 */
export function parseHostsConf(text: string, opts: { file: string }): HostsConf {
  const p = new ProblemList(opts.file);
  const monitors: HostsMonitor[] = [];
  let list: string | undefined;
  let single: string | undefined;
  for (const l of tokenizeConfig(text, p)) {
    const w = l.words;
    const k = w[0]!;
    if (k === "MONITOR" && w.length >= 3) {
      monitors.push({ system: w[1]!, description: w[2]!, line: l.line });
      if (w.length > 3) {
        p.warn(l.line, `ignored words after the description: ${w.slice(3).join(" ")}`);
      }
    } else if (k === "CUSTOM_TEMPLATE_LIST" && w.length >= 2) {
      list = w[1];
      if (!w[1]!.includes(".htm")) p.error(l.line, `template "${w[1]}" must be an .htm(l) file`);
    } else if (k === "CUSTOM_TEMPLATE_SINGLE" && w.length >= 2) {
      single = w[1];
      if (!w[1]!.includes(".htm")) p.error(l.line, `template "${w[1]}" must be an .htm(l) file`);
    } else if (k === "MONITOR") {
      p.error(l.line, `MONITOR needs a UPS and a description: ${w.join(" ")}`, {
        hint: 'write MONITOR ups@host "description"',
      });
    } else {
      p.error(l.line, `line ignored by the CGI programs: ${w.join(" ")}`, {
        hint: lazyHint(k, HOSTS_DIRECTIVES),
      });
    }
  }
  return {
    monitors,
    customTemplateList: list,
    customTemplateSingle: single,
    problems: p.items,
  };
}
