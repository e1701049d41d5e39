/**
 * Fuzz: 100,000 random and mutated config files through every parser of
 * core/config. No parser may crash or hang; anything it refuses must be a
 * ConfigSyntaxError with a line number, and every problem must point at a
 * line that exists. Seeded, so a failure is reproducible.
 */

import assert from "node:assert/strict";
import { ConfigSyntaxError } from "../../core/errors.ts";
import { type ConfigProblem, firstError } from "../../core/config/problem.ts";
import { parseUpsConf } from "../../core/config/ups_conf.ts";
import { driverTable } from "../../core/config/driver_table.ts";
import { parseUpsdConf } from "../../core/config/upsd_conf.ts";
import { parseUpsdUsers } from "../../core/config/upsd_users.ts";
import { parseUpsmonConf } from "../../core/config/upsmon_conf.ts";
import { parseUpsschedConf } from "../../core/config/upssched_conf.ts";
import { parseNutConf } from "../../core/config/nut_conf.ts";
import { parseHostsConf } from "../../core/config/hosts_conf.ts";
import { parseUpssetConf } from "../../core/config/upsset_conf.ts";
import { tokenize, Tokenizer } from "../../core/protocol/tokenize.ts";

const FILES = 100_000;
const SEED = 0x6e757421;

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CORPUS = [
  'maxretry = 3\n[ups]\n\tdriver = usbhid-ups\n\tport = auto\n\tdesc = "Rack # 1"\n',
  'LISTEN 127.0.0.1 3493\nMAXAGE 15\nCERTIDENT "a b" pw\nDEBUG_MIN 2\n',
  '[admin]\n password = "p w"\n actions = SET FSD\n instcmds = all\n upsmon = master\n',
  "MONITOR ups@localhost:3493 1 mon pw primary\nNOTIFYFLAG ONBATT SYSLOG+WALL+EXEC\n" +
  'NOTIFYMSG LOWBATT "low %s"\nSHUTDOWNCMD "/sbin/shutdown -h +0"\nMINSUPPLIES 1\n',
  "CMDSCRIPT /bin/cmd\nPIPEFN /run/p\nLOCKFN /run/l\nAT ONBATT * START-TIMER t 30\nAT ONLINE * CANCEL-TIMER t\n",
  "MODE=netserver\nUPSD_OPTIONS='-D'\nexport POWEROFF_WAIT=\"15m\"\n",
  'MONITOR ups@h "desc"\nI_HAVE_SECURED_MY_CGI_DIRECTORY\n',
];

const WORDS = [
  "[ups]",
  "[",
  "]",
  "driver",
  "port",
  "=",
  "desc",
  "sdorder",
  "-1",
  "MONITOR",
  "LISTEN",
  "AT",
  "upsmon",
  "master",
  "slave",
  "primary",
  "password",
  "actions",
  "instcmds",
  "__proto__",
  "constructor",
  "MODE",
  "MODE=",
  "NOTIFYFLAG",
  "SYSLOG+",
  "+",
  "CMDSCRIPT",
  "START-TIMER",
  "EXECUTE",
  "MAXAGE",
  "DEBUG_MIN",
  "pollinterval",
  "0",
  "99999999999999999999",
  "@",
  ":",
  "[::1]",
];
const CHARS = [
  '"',
  "\\",
  "#",
  "=",
  " ",
  "\t",
  "\n",
  "\r",
  "[",
  "]",
  "'",
  "$",
  "\x00",
  "\xe9",
  "\xff",
  "a",
  "1",
];

function randomText(r: () => number): string {
  let s = "";
  const n = Math.floor(r() * 24);
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.5) s += WORDS[Math.floor(r() * WORDS.length)]!;
    else s += CHARS[Math.floor(r() * CHARS.length)]!;
    if (r() < 0.4) s += r() < 0.7 ? " " : "\n";
  }
  return s;
}

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.3) s = s.slice(0, at) + CHARS[Math.floor(r() * CHARS.length)]! + s.slice(at);
    else if (k < 0.5) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 4));
    else if (k < 0.7) s = s.slice(0, at) + WORDS[Math.floor(r() * WORDS.length)]! + s.slice(at);
    else if (k < 0.85) s = s.slice(0, at) + "\n" + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

type Parser = (text: string) => readonly ConfigProblem[];
const o = (file: string) => ({ file });
const PARSERS: [string, Parser][] = [
  ["ups.conf", (t) => {
    const c = parseUpsConf(t, o("ups.conf"));
    driverTable(c);
    return c.problems;
  }],
  ["upsd.conf", (t) => parseUpsdConf(t, o("upsd.conf")).problems],
  ["upsd.users", (t) => parseUpsdUsers(t, o("upsd.users")).problems],
  ["upsmon.conf", (t) => parseUpsmonConf(t, o("upsmon.conf")).problems],
  ["upssched.conf", (t) => parseUpsschedConf(t, o("upssched.conf")).problems],
  ["nut.conf", (t) => parseNutConf(t, o("nut.conf")).problems],
  ["hosts.conf", (t) => parseHostsConf(t, o("hosts.conf")).problems],
  ["upsset.conf", (t) => parseUpssetConf(t, o("upsset.conf")).problems],
];

/** Runs the fuzz loop; returns the figures. */
function fuzz(r: () => number): { refusals: number; slowest: number } {
  let slowest = 0;
  let refusals = 0;
  for (let i = 0; i < FILES; i++) {
    const base = CORPUS[i % CORPUS.length]!;
    const text = r() < 0.3 ? randomText(r) : mutate(r() < 0.2 ? base + randomText(r) : base, r);
    const physical = text.split("\n").length;
    const t0 = performance.now();
    for (const [name, parse] of PARSERS) {
      let problems: readonly ConfigProblem[];
      try {
        problems = parse(text);
      } catch (e) {
        // a parser may only refuse with a positioned ConfigSyntaxError
        assert.ok(e instanceof ConfigSyntaxError, `${name} threw ${e} on ${JSON.stringify(text)}`);
        assert.ok(e.line >= 1 && e.line <= physical);
        refusals++;
        continue;
      }
      for (const p of problems) {
        if (!(Number.isInteger(p.line) && p.line >= 0 && p.line <= physical)) {
          assert.fail(`${name}: problem at line ${p.line} of ${physical}: ${JSON.stringify(text)}`);
        }
      }
      // building the exception for every refused file would cost more than the parse: one in four
      const err = i % 4 === 0 ? firstError(problems) : undefined;
      if (err) {
        assert.ok(err instanceof ConfigSyntaxError);
        assert.equal(err.file, name);
        refusals++;
      }
    }
    const dt = performance.now() - t0;
    if (dt > slowest) slowest = dt;
    if (i % 97 === 0) {
      // the tokenizer gives the same lines fed byte by byte
      const tk = new Tokenizer();
      const bytewise = [...text].flatMap((c) => tk.push(c)).concat(tk.end());
      assert.deepEqual(bytewise, tokenize(text));
    }
  }
  return { refusals, slowest };
}

Deno.test(
  `every config parser survives ${FILES.toLocaleString("en")} random and mutated files`,
  { permissions: "none" },
  () => {
    const started = performance.now();
    // ConfigSyntaxError is built for refused files: stack traces would cost more than parsing
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let figures: { refusals: number; slowest: number };
    try {
      figures = fuzz(prng(SEED));
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
    const seconds = (performance.now() - started) / 1000;
    // generous bound: a hang or a quadratic blow-up shows here, not machine load
    assert.ok(figures.slowest < 1000, `slowest file ${figures.slowest.toFixed(1)} ms`);
    assert.ok(figures.refusals > 0, "the fuzzer produced some invalid files");
    // deno-lint-ignore no-console -- the figure the report quotes
    console.log(
      `config fuzz: ${FILES} files x ${PARSERS.length} parsers in ${seconds.toFixed(1)} s, ` +
        `${figures.refusals} refusals checked, slowest file ${figures.slowest.toFixed(2)} ms`,
    );
  },
);
