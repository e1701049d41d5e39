/**
 * The upsmon.conf model: its typed shape, the directive table and NUT's
 * defaults. Parsing lives in `upsmon_conf.ts`.
 *
 * @module
 */

import { NOTIFY_TYPES, type NotifyFlag } from "./notify_types.ts";
import type { ConfigProblem } from "./problem.ts";

/** One MONITOR line. */
export interface UpsmonMonitor {
  /** The `system` word as written (`ups@host:port`); `%s` of notify messages. */
  readonly system: string;
  /** UPS name part. */
  readonly upsname: string;
  /** Host part (`localhost` when omitted). */
  readonly host: string;
  /** Port (3493 when omitted). */
  readonly port: number;
  /** Power value (0 = monitoring only). */
  readonly powerValue: number;
  /** Login user. */
  readonly username: string;
  /** Password. */
  readonly password: string;
  /** `primary` (also legacy `master`) or `secondary` (anything else, e.g. `slave`). */
  readonly role: "primary" | "secondary";
  /** The type word as written. */
  readonly typeWord: string;
  /** Line of the directive. */
  readonly line: number;
}

/** `CERTHOST host certname verify forcessl`. */
export interface UpsmonCertHost {
  readonly host: string;
  readonly certName: string;
  readonly verify: number;
  readonly forceSsl: number;
  readonly line: number;
}

/** A parsed upsmon.conf, with NUT's defaults. */
export interface UpsmonConf {
  /** MONITOR lines (duplicates of a `system` dropped, as NUT does). */
  readonly monitors: readonly UpsmonMonitor[];
  /** `MINSUPPLIES`; default 1. */
  readonly minSupplies: number;
  /** `SHUTDOWNCMD`. */
  readonly shutdownCmd: string | undefined;
  /** `NOTIFYCMD`. */
  readonly notifyCmd: string | undefined;
  /** `POWERDOWNFLAG`. */
  readonly powerDownFlag: string | undefined;
  /** Message per notify type (upper-case name): NOTIFYMSG override or the stock text. */
  readonly notifyMessages: ReadonlyMap<string, string>;
  /** Flags per notify type (upper-case name): NOTIFYFLAG or the default. */
  readonly notifyFlags: ReadonlyMap<string, ReadonlySet<NotifyFlag>>;
  /** Notify types given by NOTIFYMSG or NOTIFYFLAG, upper-case. */
  readonly notifyConfigured: ReadonlySet<string>;
  /** `POLLFREQ`; default 5. */
  readonly pollFreq: number;
  /** `POLLFREQALERT`; default 5. */
  readonly pollFreqAlert: number;
  /** `HOSTSYNC`; default 15. */
  readonly hostSync: number;
  /** `DEADTIME`; default 15. */
  readonly deadTime: number;
  /** `RBWARNTIME`; default 43200. */
  readonly rbWarnTime: number;
  /** `NOCOMMWARNTIME`; default 300. */
  readonly noCommWarnTime: number;
  /** `FINALDELAY`; default 5. */
  readonly finalDelay: number;
  /** `RUN_AS_USER`. */
  readonly runAsUser: string | undefined;
  /** `CERTPATH`. */
  readonly certPath: string | undefined;
  /** `CERTIDENT name password`. */
  readonly certIdent: { readonly name: string; readonly password: string } | undefined;
  /** `CERTHOST` lines. */
  readonly certHosts: readonly UpsmonCertHost[];
  /** `CERTVERIFY`; default 0. */
  readonly certVerify: number;
  /** `FORCESSL`; default 0. */
  readonly forceSsl: number;
  /** `DEBUG_MIN` (any case). */
  readonly debugMin: number | undefined;
  /** `OFFDURATION` (≥ 2.8.1); default 30. */
  readonly offDuration: number;
  /** `SHUTDOWNEXIT` (≥ 2.8.1) as written; default `yes`. */
  readonly shutdownExit: string;
  /** `POLLFAIL_LOG_THROTTLE_MAX` (≥ 2.8.1); default -1. */
  readonly pollFailLogThrottleMax: number;
  /** `OBLBDURATION` (≥ 2.8.3); default 0. */
  readonly oblbDuration: number;
  /** `OVERDURATION` (≥ 2.8.3); default -1. */
  readonly overDuration: number;
  /** `ALARMCRITICAL` (≥ 2.8.3); default true. */
  readonly alarmCritical: boolean;
  /** Line of the last occurrence of each directive given (e.g. `SHUTDOWNCMD`). */
  readonly lines: ReadonlyMap<string, number>;
  /** Problems found (NUT's wording where upsmon logs something). */
  readonly problems: readonly ConfigProblem[];
}

/** Every directive upsmon knows, with the release that added it. */
export const UPSMON_DIRECTIVES: ReadonlyMap<string, string> = new Map([
  ...[
    "MONITOR",
    "MINSUPPLIES",
    "SHUTDOWNCMD",
    "NOTIFYCMD",
    "POWERDOWNFLAG",
    "NOTIFYMSG",
    "NOTIFYFLAG",
    "POLLFREQ",
    "POLLFREQALERT",
    "HOSTSYNC",
    "DEADTIME",
    "RBWARNTIME",
    "NOCOMMWARNTIME",
    "FINALDELAY",
    "RUN_AS_USER",
    "CERTPATH",
    "CERTIDENT",
    "CERTHOST",
    "CERTVERIFY",
    "FORCESSL",
    "DEBUG_MIN",
  ].map((k) => [k, "2.8.0"] as const),
  ["OFFDURATION", "2.8.1"],
  ["SHUTDOWNEXIT", "2.8.1"],
  ["POLLFAIL_LOG_THROTTLE_MAX", "2.8.1"],
  ["OBLBDURATION", "2.8.3"],
  ["OVERDURATION", "2.8.3"],
  ["ALARMCRITICAL", "2.8.3"],
]);

/** The keywords of {@linkcode UPSMON_DIRECTIVES}, for suggestions. */
export const UPSMON_KEYWORDS: readonly string[] = [...UPSMON_DIRECTIVES.keys()];

/** Default flag sets, shared and never mutated (NOTIFYFLAG puts a new Set in place). */
export const DEFAULT_FLAGS: ReadonlyMap<string, ReadonlySet<NotifyFlag>> = new Map(
  NOTIFY_TYPES.map((t) => [t.name, new Set(t.flags)]),
);

/** A writable {@linkcode UpsmonConf}, while parsing. */
export type MutableUpsmonConf = { -readonly [K in keyof UpsmonConf]: UpsmonConf[K] };

/**
 * A fresh upsmon.conf model holding NUT's defaults.
 * @returns the defaults (messages are filled in by the parser)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { upsmonDefaults } from "./upsmon_model.ts";
 * assert.equal(upsmonDefaults().pollFreq, 5);
 * ```
 */
export function upsmonDefaults(): MutableUpsmonConf {
  return {
    monitors: [],
    minSupplies: 1,
    shutdownCmd: undefined,
    notifyCmd: undefined,
    powerDownFlag: undefined,
    notifyMessages: new Map(),
    notifyFlags: DEFAULT_FLAGS,
    notifyConfigured: new Set(),
    pollFreq: 5,
    pollFreqAlert: 5,
    hostSync: 15,
    deadTime: 15,
    rbWarnTime: 43200,
    noCommWarnTime: 300,
    finalDelay: 5,
    runAsUser: undefined,
    certPath: undefined,
    certIdent: undefined,
    certHosts: [],
    certVerify: 0,
    forceSsl: 0,
    debugMin: undefined,
    offDuration: 30,
    shutdownExit: "yes",
    pollFailLogThrottleMax: -1,
    oblbDuration: 0,
    overDuration: -1,
    alarmCritical: true,
    lines: new Map(),
    problems: [],
  };
}
