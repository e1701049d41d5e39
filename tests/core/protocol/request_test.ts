import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  formatRequest,
  formatWord,
  parseRequest,
  type Request,
  type ValidRequest,
} from "../../../core/protocol/request.ts";
import { tokenize } from "../../../core/protocol/tokenize.ts";

const words = (line: string) => tokenize(line + "\n")[0]?.words ?? [];

const PARSE: [string, Request][] = [
  ["VER", { kind: "ver" }],
  ["ver x", { kind: "invalid", verb: "VER" }],
  ["NETVER", { kind: "netver", verb: "NETVER" }],
  ["protver", { kind: "netver", verb: "PROTVER" }],
  ["HELP me", { kind: "invalid", verb: "HELP" }],
  ["STARTTLS whatever", { kind: "starttls" }],
  ["", { kind: "unknown" }],
  ["FOO", { kind: "unknown" }],
  ["GET", { kind: "invalid", verb: "GET" }],
  ["GET FOO", { kind: "invalid", verb: "GET" }],
  ["GET VAR u", { kind: "invalid", verb: "GET" }],
  ["GET VAR u x extra", { kind: "getVar", ups: "u", name: "x" }],
  ["get type u x", { kind: "getType", ups: "u", name: "x" }],
  ["GET DESC u x", { kind: "getDesc", ups: "u", name: "x" }],
  ["GET CMDDESC u c", { kind: "getCmdDesc", ups: "u", name: "c" }],
  ["GET UPSDESC u", { kind: "getUpsDesc", ups: "u" }],
  ["GET NUMLOGINS U", { kind: "getNumLogins", ups: "U" }],
  ["GET TRACKING", { kind: "getTracking" }],
  ["GET TRACKING abc", { kind: "getTracking", id: "abc" }],
  ["LIST", { kind: "invalid", verb: "LIST" }],
  ["LIST UPS", { kind: "listUps" }],
  ["LIST VAR", { kind: "invalid", verb: "LIST" }],
  ["list var UPS1", { kind: "listVar", ups: "UPS1" }],
  ["LIST RW u", { kind: "listRw", ups: "u" }],
  ["LIST CMD u", { kind: "listCmd", ups: "u" }],
  ["LIST CLIENT u", { kind: "listClient", ups: "u" }],
  ["LIST ENUM u", { kind: "invalid", verb: "LIST" }],
  ["LIST ENUM u v", { kind: "listEnum", ups: "u", name: "v" }],
  ["LIST RANGE u v", { kind: "listRange", ups: "u", name: "v" }],
  ["USERNAME", { kind: "invalid", verb: "USERNAME" }],
  ["USERNAME a b", { kind: "invalid", verb: "USERNAME" }],
  ["USERNAME a", { kind: "username", name: "a" }],
  ['PASSWORD "p w"', { kind: "password", password: "p w" }],
  ["LOGIN", { kind: "invalid", verb: "LOGIN" }],
  ["LOGIN u", { kind: "login", ups: "u" }],
  ["LOGOUT", { kind: "logout" }],
  ["PRIMARY u", { kind: "primary", ups: "u", verb: "PRIMARY" }],
  ["master u", { kind: "primary", ups: "u", verb: "MASTER" }],
  ["FSD u", { kind: "fsd", ups: "u" }],
  ["SET", { kind: "invalid", verb: "SET" }],
  ["SET VAR u x", { kind: "invalid", verb: "SET" }],
  ["SET VAR u x 1", { kind: "setVar", ups: "u", name: "x", value: "1" }],
  ['SET VAR u x "a b" extra', { kind: "setVar", ups: "u", name: "x", value: "a b" }],
  ["SET TRACKING on", { kind: "setTracking", on: true }],
  ["SET TRACKING OFF", { kind: "setTracking", on: false }],
  ["SET TRACKING maybe", { kind: "invalid", verb: "SET" }],
  ["INSTCMD u", { kind: "invalid", verb: "INSTCMD" }],
  ["INSTCMD u c", { kind: "instcmd", ups: "u", cmd: "c" }],
  ["INSTCMD u c 5", { kind: "instcmd", ups: "u", cmd: "c", param: "5" }],
  ["INSTCMD u c 5 6", { kind: "instcmd", ups: "u", cmd: "c" }],
];

Deno.test("parseRequest() follows upsd 2.8.0's word counts", { permissions: "none" }, async (t) => {
  for (const [line, want] of PARSE) {
    await t.step(JSON.stringify(line), () => assertEquals(parseRequest(words(line)), want));
  }
});

Deno.test("parseRequest(formatRequest(x)) gives back x", { permissions: "none" }, async (t) => {
  const odd = ["a b", 'q"uote', "back\\slash", "hash#", "eq=ual", "", "x"];
  const valid: ValidRequest[] = PARSE.map(([, r]) => r).filter(
    (r): r is ValidRequest => r.kind !== "invalid" && r.kind !== "unknown",
  );
  for (const o of odd) {
    valid.push({ kind: "setVar", ups: "u", name: o || "n", value: o });
    valid.push({ kind: "instcmd", ups: o || "u", cmd: "c", param: o });
    valid.push({ kind: "username", name: o });
  }
  for (const r of valid) {
    if (r.kind === "starttls") continue;
    await t.step(formatRequest(r), () => assertEquals(parseRequest(words(formatRequest(r))), r));
  }
});

Deno.test(
  "formatWord() leaves plain words bare and quotes the rest",
  { permissions: "none" },
  () => {
    assertEquals(formatWord("battery.charge"), "battery.charge");
    assertEquals(formatWord("a#b"), '"a\\#b"');
    assertEquals(formatWord("x=y"), '"x=y"');
    assertEquals(formatWord("x\x7f"), '"x\x7f"');
  },
);
