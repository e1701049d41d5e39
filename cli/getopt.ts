/**
 * POSIX getopt as NUT's programs use it (glibc, optstring starting with `+`:
 * stop at the first non-option), with glibc's exact diagnostics.
 *
 * @module
 */

/** One parsed option. */
export interface Opt {
  readonly opt: string;
  readonly arg: string | undefined;
}

/** Result of {@linkcode getopt}. */
export interface GetoptResult {
  /** Options in command-line order (unknown ones as `?`). */
  readonly opts: Opt[];
  /** Operands after the options. */
  readonly rest: string[];
  /** glibc's diagnostics (`prog: invalid option -- 'z'`), in order. */
  readonly errors: string[];
}

/**
 * Parses `args` with a getopt optstring such as `"+hlLcV"` or `"+a:s:x:"`.
 * An unknown option or a missing argument yields `{ opt: "?" }` and a
 * diagnostic line, as glibc's getopt prints them.
 * @param prog program name used in diagnostics
 * @param args the arguments (without argv[0])
 * @param optstring getopt option string
 * @returns options, operands and diagnostics
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getopt } from "./getopt.ts";
 * const r = getopt("upsc", ["-L", "host:3493"], "+hlLcV");
 * assert.deepEqual(r.opts, [{ opt: "L", arg: undefined }]);
 * assert.deepEqual(r.rest, ["host:3493"]);
 * ```
 */
export function getopt(prog: string, args: string[], optstring: string): GetoptResult {
  const spec = optstring.replace(/^[+-]/, "").replace(/^:/, "");
  const takesArg = (c: string) => {
    const i = spec.indexOf(c);
    return i >= 0 && spec[i + 1] === ":";
  };
  const known = (c: string) => c !== ":" && spec.includes(c);
  const opts: Opt[] = [];
  const errors: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (!known(c)) {
        errors.push(`${prog}: invalid option -- '${c}'`);
        opts.push({ opt: "?", arg: c });
        continue;
      }
      if (takesArg(c)) {
        if (j + 1 < a.length) {
          opts.push({ opt: c, arg: a.slice(j + 1) });
        } else if (i + 1 < args.length) {
          opts.push({ opt: c, arg: args[++i] });
        } else {
          errors.push(`${prog}: option requires an argument -- '${c}'`);
          opts.push({ opt: "?", arg: c });
        }
        break;
      }
      opts.push({ opt: c, arg: undefined });
    }
  }
  return { opts, rest: args.slice(i), errors };
}
