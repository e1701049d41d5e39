/**
 * Pulls configuration snippets out of the seed documents (Markdown with
 * ``` fences or indented blocks) and guesses which NUT file each is.
 */

import { UPSD_CONF_KEYWORDS } from "../../../core/config/upsd_conf.ts";
import { UPSMON_DIRECTIVES } from "../../../core/config/upsmon_conf.ts";
import { UPSSCHED_DIRECTIVES } from "../../../core/config/upssched_conf.ts";
import type { ConfigFileName } from "../../../core/config/check.ts";

/** A snippet and where it starts in its document. */
export interface SeedBlock {
  readonly seed: string;
  /** 1-based line in the seed of the snippet's first line. */
  readonly start: number;
  readonly text: string;
  readonly kind: ConfigFileName | undefined;
}

function blocks(doc: string): { start: number; lines: string[] }[] {
  const lines = doc.split("\n");
  const out: { start: number; lines: string[] }[] = [];
  let fence: { start: number; lines: string[] } | undefined;
  let indented: { start: number; lines: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*```/.test(l)) {
      if (indented) (out.push(indented), indented = undefined);
      if (fence) (out.push(fence), fence = undefined);
      else fence = { start: i + 2, lines: [] };
      continue;
    }
    if (fence) {
      fence.lines.push(l);
      continue;
    }
    if (/^( {4}|\t)/.test(l) && (indented || i === 0 || lines[i - 1]!.trim() === "")) {
      indented ??= { start: i + 1, lines: [] };
      indented.lines.push(l.replace(/^( {4}|\t)/, ""));
    } else if (indented && l.trim() !== "") {
      out.push(indented);
      indented = undefined;
    }
  }
  if (fence) out.push(fence);
  if (indented) out.push(indented);
  return out;
}

const first = (l: string) => l.trim().split(/\s+/)[0] ?? "";

function classify(lines: string[]): ConfigFileName | undefined {
  const body = lines.map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (body.length === 0) return undefined;
  if (body.includes("I_HAVE_SECURED_MY_CGI_DIRECTORY")) return "upsset.conf";
  if (/^MODE=/.test(body[0]!)) return "nut.conf";
  const all = (keys: Iterable<string>) => {
    const set = new Set(keys);
    return body.every((l) => set.has(first(l)));
  };
  if (all(UPSSCHED_DIRECTIVES)) return "upssched.conf";
  if (body.every((l) => first(l) === "MONITOR" && l.includes('"'))) return "hosts.conf";
  if (all(UPSMON_DIRECTIVES.keys())) return "upsmon.conf";
  const section = body.some((l) => /^\[[^\]]+\]$/.test(l));
  if (section && body.some((l) => /^password\b/i.test(l))) return "upsd.users";
  if (section && body.some((l) => /^(driver|port)\s*=/.test(l))) return "ups.conf";
  if (!section && body.some((l) => UPSD_CONF_KEYWORDS.includes(first(l)))) {
    return body.some((l) => /^(sudo|apt|systemctl|service|cd|chmod)\b/.test(l))
      ? undefined
      : "upsd.conf";
  }
  return undefined;
}

/**
 * Every snippet of one seed document, classified.
 * @param seed file name (for messages)
 * @param doc the document
 * @returns the snippets
 */
export function seedBlocks(seed: string, doc: string): SeedBlock[] {
  return blocks(doc).map((b) => ({
    seed,
    start: b.start,
    text: b.lines.join("\n") + "\n",
    kind: classify(b.lines),
  }));
}
