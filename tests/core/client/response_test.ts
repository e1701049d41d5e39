import assert from "node:assert/strict";
import {
  formatResponse,
  parseResponse,
  replyWords,
  type Response,
  ResponseParseError,
} from "../../../core/protocol/response.ts";
import { NutError } from "../../../core/errors.ts";
import { LineReader } from "../../../core/client/line_reader.ts";
import { memoryPair } from "../../../core/client/memory.ts";
import { REPO } from "../../_helpers/process.ts";

const TRANSCRIPT = `${REPO}/tests/fixtures/client/real_upsd_session.txt`;

function serverLines(): string[] {
  return Deno.readTextFileSync(TRANSCRIPT).split("\n").filter((l) => l.startsWith("S: "))
    .map((l) => l.slice(3));
}

Deno.test("parseResponse() types every reply line of a real upsd 2.8.0 session", {
  permissions: { read: true },
}, () => {
  const kinds = serverLines().map((l) => parseResponse(l).kind);
  for (
    const k of [
      "ok",
      "err",
      "var",
      "rw",
      "type",
      "desc",
      "cmddesc",
      "upsdesc",
      "numlogins",
      "ups",
      "cmd",
      "beginList",
      "endList",
      "tracking",
    ]
  ) {
    assert.ok(kinds.includes(k as Response["kind"]), `no ${k} reply in the transcript`);
  }
  // only the banner-like replies (VER, NETVER, HELP) stay untyped
  assert.deepEqual(kinds.filter((k) => k === "other").length, 3);
});

Deno.test("formatResponse(parseResponse(line)) gives back every real upsd line", {
  permissions: { read: true },
}, async (t) => {
  for (const line of serverLines()) {
    await t.step(line, () => assert.deepEqual(formatResponse(parseResponse(line)), line));
  }
});

const SAMPLES: Response[] = [
  { kind: "ok", text: undefined },
  { kind: "ok", text: "TRACKING 1BD31808-CB49-4AEC-9D75-D056E6F018D2" },
  { kind: "err", error: new NutError("DATA-STALE") },
  { kind: "err", error: new NutError("ACCESS-DENIED", { extra: "SSL trust failed" }) },
  { kind: "var", ups: "su700", name: "ups.mfr", value: 'A "quoted" \\ # value' },
  { kind: "var", ups: "su700", name: "ups.status", value: "" },
  { kind: "rw", ups: "su700", name: "input.transfer.low", value: "160" },
  { kind: "type", ups: "su700", name: "input.transfer.low", types: ["RW", "ENUM", "NUMBER"] },
  { kind: "type", ups: "su700", name: "x.y", types: [] },
  { kind: "desc", ups: "su700", name: "ups.mfr", desc: "UPS manufacturer" },
  { kind: "cmddesc", ups: "su700", name: "load.off", desc: "Turn off the load" },
  { kind: "upsdesc", ups: "su700", desc: 'Rack #1 "main"' },
  { kind: "numlogins", ups: "su700", count: 3 },
  { kind: "ups", ups: "su700", desc: "Description unavailable" },
  { kind: "cmd", ups: "su700", name: "test.battery.start" },
  { kind: "enum", ups: "su700", name: "input.transfer.low", value: "103" },
  { kind: "range", ups: "su700", name: "battery.charge.low", min: "10", max: "90" },
  { kind: "client", ups: "su700", address: "::1" },
  { kind: "beginList", query: ["VAR", "su700"] },
  { kind: "endList", query: ["RANGE", "su700", "battery.charge.low"] },
  { kind: "tracking", status: "PENDING" },
  { kind: "other", words: ["Network", "UPS", "Tools", "upsd", "2.8.0"] },
  { kind: "other", words: ["a b", "=", 'q"'] },
];

Deno.test("parseResponse(formatResponse(x)) equals x for every reply kind", async (t) => {
  for (const r of SAMPLES) {
    await t.step(formatResponse(r), () => assert.deepEqual(parseResponse(formatResponse(r)), r));
  }
});

Deno.test("formatResponse() can send descriptions unescaped like upsd does", () => {
  const r: Response = { kind: "desc", ups: "u", name: "x.y", desc: "50% #1" };
  assert.deepEqual(formatResponse(r, { escapeDescriptions: false }), 'DESC u x.y "50% #1"');
  assert.deepEqual(formatResponse(r), 'DESC u x.y "50% \\#1"');
});

Deno.test("replyWords() rejects an unescaped # inside quotes like pconf_line()", () => {
  assert.throws(() => replyWords('VAR u x "a # b"'), (e) => {
    assert.ok(e instanceof ResponseParseError);
    assert.equal(e.message, "Unbalanced word due to unescaped # in quotes");
    return true;
  });
  assert.deepEqual(replyWords("VAR u x y # comment"), ["VAR", "u", "x", "y"]);
});

async function readAll(bytes: Uint8Array, chunk: number): Promise<string[]> {
  const [a, b] = memoryPair();
  const reader = new LineReader(a);
  const writing = (async () => {
    for (let i = 0; i < bytes.length; i += chunk) await b.write(bytes.subarray(i, i + chunk));
    b.close();
  })();
  const out: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    try {
      out.push(await reader.readLine(2000));
    } catch (e) {
      if (e instanceof Error && e.message === "Server disconnected") break;
      throw e;
    }
  }
  await writing;
  return out;
}

Deno.test("the real session's reply stream gives the same lines byte by byte and whole", {
  permissions: { read: true },
}, async () => {
  const lines = serverLines();
  const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(""));
  const whole = await readAll(bytes, bytes.length);
  const bytewise = await readAll(bytes, 1);
  const odd = await readAll(bytes, 7);
  assert.deepEqual(whole, lines);
  assert.deepEqual(bytewise, lines);
  assert.deepEqual(odd, lines);
  assert.deepEqual(bytewise.map(parseResponse), lines.map(parseResponse));
});

Deno.test("LineReader cuts lines at 511 bytes like upscli_readline()", async () => {
  const long = "x".repeat(600);
  const got = await readAll(new TextEncoder().encode(`${long}\nOK\n`), 64);
  assert.deepEqual(got, ["x".repeat(511), "x".repeat(89), "OK"]);
});
