/**
 * upsd.users: user sections with password, actions, instcmds and the
 * upsmon role, exactly as NUT 2.8.0's upsd (`server/user.c`) reads them.
 *
 * @module
 */

import { type ConfigProblem, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";

/** upsmon role of a user. */
export type UpsmonRole = "primary" | "secondary";

/** One `[username]` section. */
export interface UpsdUser {
  /** User name (compared case-sensitively). */
  readonly name: string;
  /** Line of the `[name]` header. */
  readonly line: number;
  /** Password (first one wins); undefined = the user can never authenticate. */
  readonly password: string | undefined;
  /**
   * Actions in order, as written (compared case-insensitively): `SET`, `FSD`,
   * and from `upsmon primary`: `login`, `master`, `fsd`; `upsmon secondary`: `login`.
   */
  readonly actions: readonly string[];
  /** Instant commands as written (case-insensitive; `all` grants every one). */
  readonly instcmds: readonly string[];
  /** Last upsmon role set, if any. */
  readonly upsmon: UpsmonRole | undefined;
}

/** A parsed upsd.users. */
export interface UpsdUsers {
  /** Users by name, in file order. */
  readonly users: ReadonlyMap<string, UpsdUser>;
  /** Problems found, NUT's wording (`Unrecognized user setting %s`, ...). */
  readonly problems: readonly ConfigProblem[];
}

/** Keys upsd.users accepts (case-insensitive). */
export const UPSD_USERS_KEYS: readonly string[] = [
  "password",
  "instcmds",
  "actions",
  "allowfrom",
  "upsmon",
];

/** Action names upsd checks. */
export const UPSD_ACTIONS: readonly string[] = ["SET", "FSD", "LOGIN", "MASTER", "PRIMARY"];

interface MutableUser {
  name: string;
  line: number;
  password: string | undefined;
  actions: string[];
  instcmds: string[];
  upsmon: UpsmonRole | undefined;
}

class Reader {
  readonly users = new Map<string, MutableUser>();
  current: MutableUser | undefined;
  constructor(readonly p: ProblemList) {}

  addUser(name: string, line: number): void {
    if (this.users.has(name)) {
      // NUT keeps adding the following lines to the user before (curr_user is unchanged)
      this.p.error(line, `Ignoring duplicate user ${name}`, { logged: true });
      return;
    }
    const u: MutableUser = {
      name,
      line,
      password: undefined,
      actions: [],
      instcmds: [],
      upsmon: undefined,
    };
    this.users.set(name, u);
    this.current = u;
  }

  action(act: string, line: number): void {
    if (!this.current) {
      this.p.warn(line, "Ignoring action definition outside user section", { logged: true });
      return;
    }
    this.current.actions.push(act);
  }

  upsmonType(type: string, line: number): void {
    const t = type.toLowerCase();
    if (t === "master" || t === "primary") {
      this.action("login", line);
      this.action("master", line);
      this.action("fsd", line);
      if (this.current) this.current.upsmon = "primary";
      return;
    }
    if (t === "slave" || t === "secondary") {
      this.action("login", line);
      if (this.current) this.current.upsmon = "secondary";
      return;
    }
    if (type === "=") {
      // `upsmon = master`: NUT first tries "=" as the type (and logs it), then applies "master"
      this.p.warn(line, `Unknown upsmon type ${type}`, {
        logged: true,
        hint: 'write "upsmon primary"',
      });
      return;
    }
    this.p.error(line, `Unknown upsmon type ${type}`, {
      logged: true,
      hint: lazyHint(type, ["primary", "secondary", "master", "slave"]),
    });
  }

  variable(key: string, val: string, line: number): void {
    const u = this.current!;
    switch (key.toLowerCase()) {
      case "password":
        if (u.password !== undefined) {
          this.p.warn(line, `Ignoring duplicate password for ${u.name}`, { logged: true });
        } else u.password = val;
        return;
      case "instcmds":
        if (!u.instcmds.some((c) => c.toLowerCase() === val.toLowerCase())) u.instcmds.push(val);
        return;
      case "actions":
        this.action(val, line);
        if (!UPSD_ACTIONS.includes(val.toUpperCase())) {
          this.p.warn(line, `unknown action "${val}" (upsd checks SET and FSD)`, {
            hint: lazyHint(val, ["SET", "FSD"]),
          });
        }
        return;
      case "allowfrom":
        this.p.warn(line, "allowfrom in upsd.users is no longer used", { logged: true });
        return;
      case "upsmon":
        this.upsmonType(val, line);
        return;
    }
    this.p.error(line, `Unrecognized user setting ${key}`, {
      logged: true,
      hint: lazyHint(key, UPSD_USERS_KEYS),
    });
  }

  rest(key: string, values: readonly string[], line: number): void {
    if (!this.current) {
      this.p.error(line, `setting "${key}" outside any [user] section is ignored`);
      return;
    }
    for (const v of values) this.variable(key, v, line);
  }

  line(w: string[], line: number): void {
    const first = w[0]!;
    if (first.toLowerCase() === "user") {
      this.p.warn(line, 'old-style "user" line ignored');
      return;
    }
    const eq = first.indexOf("=");
    if (eq >= 0) {
      this.rest(first.slice(0, eq), [first.slice(eq + 1), ...w.slice(1)], line);
      return;
    }
    if (first.length >= 2 && first.startsWith("[") && first.endsWith("]")) {
      this.addUser(first.slice(1, -1), line);
      return;
    }
    let handled = false;
    if (w.length >= 2 && first.toLowerCase() === "upsmon") {
      this.upsmonType(w[1]!, line);
      handled = true;
    }
    if (w.length >= 3 && w[1] === "=") {
      this.rest(first, w.slice(2), line);
      return;
    }
    if (!handled) {
      this.p.error(line, `line ignored (expected "key = value"): ${w.join(" ")}`, {
        hint: lazyHint(first, UPSD_USERS_KEYS),
      });
    }
  }
}

/**
 * Parses upsd.users text as upsd 2.8.0 does.
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns the users and the problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsdUsers } from "./upsd_users.ts";
 * const u = parseUpsdUsers("[mon]\n password = pw\n upsmon master\n", { file: "upsd.users" });
 * const mon = u.users.get("mon");
 * assert.equal(mon?.password, "pw");
 * assert.equal(mon?.upsmon, "primary");
 * assert.deepEqual(mon?.actions, ["login", "master", "fsd"]);
 * ```
 */
export function parseUpsdUsers(text: string, opts: { file: string }): UpsdUsers {
  const p = new ProblemList(opts.file);
  const r = new Reader(p);
  for (const l of tokenizeConfig(text, p)) r.line(l.words, l.line);
  return { users: r.users, problems: p.items };
}

/**
 * Whether a user may do an action (`SET`, `FSD`, `LOGIN`, `MASTER`),
 * NUT-style: the password must match and the action is compared
 * case-insensitively.
 * @param users parsed upsd.users
 * @param name user name
 * @param password password given
 * @param action the action
 * @returns true when granted
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsdUsers, userCanAction } from "./upsd_users.ts";
 * const u = parseUpsdUsers("[a]\npassword=p\nactions=set\n", { file: "upsd.users" });
 * assert.equal(userCanAction(u, "a", "p", "SET"), true);
 * assert.equal(userCanAction(u, "a", "x", "SET"), false);
 * ```
 */
export function userCanAction(
  users: UpsdUsers,
  name: string,
  password: string,
  action: string,
): boolean {
  const u = users.users.get(name);
  if (!u || u.password === undefined || u.password !== password) return false;
  const a = action.toLowerCase();
  return u.actions.some((x) => x.toLowerCase() === a);
}

/**
 * Whether a user may run an instant command (`all` grants every one).
 * @param users parsed upsd.users
 * @param name user name
 * @param password password given
 * @param cmd command name
 * @returns true when granted
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsdUsers, userCanInstcmd } from "./upsd_users.ts";
 * const u = parseUpsdUsers("[a]\npassword=p\ninstcmds=ALL\n", { file: "upsd.users" });
 * assert.equal(userCanInstcmd(u, "a", "p", "test.battery.start"), true);
 * ```
 */
export function userCanInstcmd(
  users: UpsdUsers,
  name: string,
  password: string,
  cmd: string,
): boolean {
  const u = users.users.get(name);
  if (!u || u.password === undefined || u.password !== password) return false;
  const c = cmd.toLowerCase();
  return u.instcmds.some((x) => x.toLowerCase() === c || x.toLowerCase() === "all");
}
