/**
 * Typed client → upsd requests (protocol 1.3): {@linkcode parseRequest}
 * turns the words of one request line into a {@linkcode Request};
 * {@linkcode formatRequest} writes a request line that parses back to the
 * same value. Word counts follow NUT 2.8.0's `netcmds` handlers exactly
 * (extra words are ignored where NUT ignores them).
 *
 * @module
 */

import { formatWord, quoteValue } from "./tokenize.ts";

/** First words upsd knows, in NUT's `netcmds` order. */
export const VERBS = [
  "VER",
  "NETVER",
  "PROTVER",
  "HELP",
  "STARTTLS",
  "GET",
  "LIST",
  "USERNAME",
  "PASSWORD",
  "LOGIN",
  "LOGOUT",
  "PRIMARY",
  "MASTER",
  "FSD",
  "SET",
  "INSTCMD",
] as const;

/** A known first word. */
export type Verb = typeof VERBS[number];

/** Verbs that need USERNAME and PASSWORD first (NUT's FLAG_USER). */
export const AUTH_VERBS: ReadonlySet<Verb> = new Set<Verb>([
  "LOGIN",
  "PRIMARY",
  "MASTER",
  "FSD",
  "SET",
  "INSTCMD",
]);

/** A well-formed request. */
export type ValidRequest =
  | { readonly kind: "ver" }
  | { readonly kind: "netver"; readonly verb: "NETVER" | "PROTVER" }
  | { readonly kind: "help" }
  | { readonly kind: "starttls" }
  | { readonly kind: "username"; readonly name: string }
  | { readonly kind: "password"; readonly password: string }
  | { readonly kind: "login"; readonly ups: string }
  | { readonly kind: "logout" }
  | { readonly kind: "primary"; readonly ups: string; readonly verb: "PRIMARY" | "MASTER" }
  | { readonly kind: "fsd"; readonly ups: string }
  | { readonly kind: "getNumLogins"; readonly ups: string }
  | { readonly kind: "getUpsDesc"; readonly ups: string }
  | { readonly kind: "getVar"; readonly ups: string; readonly name: string }
  | { readonly kind: "getType"; readonly ups: string; readonly name: string }
  | { readonly kind: "getDesc"; readonly ups: string; readonly name: string }
  | { readonly kind: "getCmdDesc"; readonly ups: string; readonly name: string }
  | { readonly kind: "getTracking"; readonly id?: string }
  | { readonly kind: "listUps" }
  | { readonly kind: "listVar"; readonly ups: string }
  | { readonly kind: "listRw"; readonly ups: string }
  | { readonly kind: "listCmd"; readonly ups: string }
  | { readonly kind: "listClient"; readonly ups: string }
  | { readonly kind: "listEnum"; readonly ups: string; readonly name: string }
  | { readonly kind: "listRange"; readonly ups: string; readonly name: string }
  | { readonly kind: "setVar"; readonly ups: string; readonly name: string; readonly value: string }
  | { readonly kind: "setTracking"; readonly on: boolean }
  | {
    readonly kind: "instcmd";
    readonly ups: string;
    readonly cmd: string;
    readonly param?: string;
  };

/** Any request line: a valid one, a known verb with bad arguments, or an unknown verb. */
export type Request =
  | ValidRequest
  | { readonly kind: "invalid"; readonly verb: Verb }
  | { readonly kind: "unknown" };

const VERB_SET: ReadonlySet<string> = new Set(VERBS);

/**
 * Finds the verb of a request, case-insensitively.
 * @param word the first word
 * @returns the verb, or undefined when upsd does not know it
 */
export function verbOf(word: string | undefined): Verb | undefined {
  if (word === undefined) return undefined;
  const up = word.toUpperCase();
  return VERB_SET.has(up) ? up as Verb : undefined;
}

function getRequest(a: readonly string[]): Request {
  const sub = a[0]?.toUpperCase();
  if (sub === undefined) return { kind: "invalid", verb: "GET" };
  if (sub === "TRACKING") {
    return a.length < 2 ? { kind: "getTracking" } : { kind: "getTracking", id: a[1]! };
  }
  if (a.length < 2) return { kind: "invalid", verb: "GET" };
  const ups = a[1]!;
  if (sub === "NUMLOGINS") return { kind: "getNumLogins", ups };
  if (sub === "UPSDESC") return { kind: "getUpsDesc", ups };
  if (a.length < 3) return { kind: "invalid", verb: "GET" };
  const name = a[2]!;
  switch (sub) {
    case "VAR":
      return { kind: "getVar", ups, name };
    case "TYPE":
      return { kind: "getType", ups, name };
    case "DESC":
      return { kind: "getDesc", ups, name };
    case "CMDDESC":
      return { kind: "getCmdDesc", ups, name };
  }
  return { kind: "invalid", verb: "GET" };
}

function listRequest(a: readonly string[]): Request {
  const sub = a[0]?.toUpperCase();
  if (sub === undefined) return { kind: "invalid", verb: "LIST" };
  if (sub === "UPS") return { kind: "listUps" };
  if (a.length < 2) return { kind: "invalid", verb: "LIST" };
  const ups = a[1]!;
  switch (sub) {
    case "VAR":
      return { kind: "listVar", ups };
    case "RW":
      return { kind: "listRw", ups };
    case "CMD":
      return { kind: "listCmd", ups };
    case "CLIENT":
      return { kind: "listClient", ups };
  }
  if (a.length < 3) return { kind: "invalid", verb: "LIST" };
  if (sub === "ENUM") return { kind: "listEnum", ups, name: a[2]! };
  if (sub === "RANGE") return { kind: "listRange", ups, name: a[2]! };
  return { kind: "invalid", verb: "LIST" };
}

function setRequest(a: readonly string[]): Request {
  if (a.length < 2) return { kind: "invalid", verb: "SET" };
  const sub = a[0]!.toUpperCase();
  if (sub === "VAR") {
    if (a.length < 4) return { kind: "invalid", verb: "SET" };
    return { kind: "setVar", ups: a[1]!, name: a[2]!, value: a[3]! };
  }
  if (sub === "TRACKING") {
    const v = a[1]!.toUpperCase();
    if (v === "ON") return { kind: "setTracking", on: true };
    if (v === "OFF") return { kind: "setTracking", on: false };
  }
  return { kind: "invalid", verb: "SET" };
}

/**
 * Parses the words of one request line (as the tokenizer produced them).
 * @param words the words; an empty list is an unknown command, as in NUT
 * @returns the typed request
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRequest } from "./request.ts";
 * assert.deepEqual(parseRequest(["get", "var", "ups1", "ups.status"]), {
 *   kind: "getVar", ups: "ups1", name: "ups.status",
 * });
 * assert.deepEqual(parseRequest(["LOGIN"]), { kind: "invalid", verb: "LOGIN" });
 * ```
 */
export function parseRequest(words: readonly string[]): Request {
  const verb = verbOf(words[0]);
  if (verb === undefined) return { kind: "unknown" };
  const a = words.slice(1);
  const one = (make: (x: string) => ValidRequest): Request =>
    a.length === 1 ? make(a[0]!) : { kind: "invalid", verb };
  const none = (r: ValidRequest): Request => a.length === 0 ? r : { kind: "invalid", verb };
  switch (verb) {
    case "VER":
      return none({ kind: "ver" });
    case "NETVER":
    case "PROTVER":
      return none({ kind: "netver", verb });
    case "HELP":
      return none({ kind: "help" });
    case "STARTTLS":
      return { kind: "starttls" };
    case "GET":
      return getRequest(a);
    case "LIST":
      return listRequest(a);
    case "USERNAME":
      return one((name) => ({ kind: "username", name }));
    case "PASSWORD":
      return one((password) => ({ kind: "password", password }));
    case "LOGIN":
      return one((ups) => ({ kind: "login", ups }));
    case "LOGOUT":
      return none({ kind: "logout" });
    case "PRIMARY":
    case "MASTER":
      return one((ups) => ({ kind: "primary", ups, verb }));
    case "FSD":
      return one((ups) => ({ kind: "fsd", ups }));
    case "SET":
      return setRequest(a);
    case "INSTCMD":
      if (a.length < 2) return { kind: "invalid", verb };
      return a.length === 3
        ? { kind: "instcmd", ups: a[0]!, cmd: a[1]!, param: a[2]! }
        : { kind: "instcmd", ups: a[0]!, cmd: a[1]! };
  }
}

/** Formats one word (bare when plain, else quoted): see core/protocol/tokenize.ts. */
export { formatWord };

/**
 * Writes a request line (without newline) that {@linkcode parseRequest}
 * reads back as the same request. Values of `SET VAR` are always quoted,
 * as NUT's clients send them.
 * @param r the request
 * @returns the line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRequest } from "./request.ts";
 * assert.equal(
 *   formatRequest({ kind: "setVar", ups: "ups1", name: "ups.delay.shutdown", value: "20" }),
 *   'SET VAR ups1 ups.delay.shutdown "20"',
 * );
 * ```
 */
export function formatRequest(r: ValidRequest): string {
  const w = formatWord;
  switch (r.kind) {
    case "ver":
      return "VER";
    case "netver":
      return r.verb;
    case "help":
      return "HELP";
    case "starttls":
      return "STARTTLS";
    case "username":
      return `USERNAME ${w(r.name)}`;
    case "password":
      return `PASSWORD ${w(r.password)}`;
    case "login":
      return `LOGIN ${w(r.ups)}`;
    case "logout":
      return "LOGOUT";
    case "primary":
      return `${r.verb} ${w(r.ups)}`;
    case "fsd":
      return `FSD ${w(r.ups)}`;
    case "getNumLogins":
      return `GET NUMLOGINS ${w(r.ups)}`;
    case "getUpsDesc":
      return `GET UPSDESC ${w(r.ups)}`;
    case "getVar":
      return `GET VAR ${w(r.ups)} ${w(r.name)}`;
    case "getType":
      return `GET TYPE ${w(r.ups)} ${w(r.name)}`;
    case "getDesc":
      return `GET DESC ${w(r.ups)} ${w(r.name)}`;
    case "getCmdDesc":
      return `GET CMDDESC ${w(r.ups)} ${w(r.name)}`;
    case "getTracking":
      return r.id === undefined ? "GET TRACKING" : `GET TRACKING ${w(r.id)}`;
    case "listUps":
      return "LIST UPS";
    case "listVar":
      return `LIST VAR ${w(r.ups)}`;
    case "listRw":
      return `LIST RW ${w(r.ups)}`;
    case "listCmd":
      return `LIST CMD ${w(r.ups)}`;
    case "listClient":
      return `LIST CLIENT ${w(r.ups)}`;
    case "listEnum":
      return `LIST ENUM ${w(r.ups)} ${w(r.name)}`;
    case "listRange":
      return `LIST RANGE ${w(r.ups)} ${w(r.name)}`;
    case "setVar":
      return `SET VAR ${w(r.ups)} ${w(r.name)} ${quoteValue(r.value)}`;
    case "setTracking":
      return `SET TRACKING ${r.on ? "ON" : "OFF"}`;
    case "instcmd":
      return r.param === undefined
        ? `INSTCMD ${w(r.ups)} ${w(r.cmd)}`
        : `INSTCMD ${w(r.ups)} ${w(r.cmd)} ${w(r.param)}`;
  }
}
