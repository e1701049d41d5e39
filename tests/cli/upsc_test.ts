/**
 * `nut upsc` paths a real upsd 2.8.0 never takes (old upsd, short rows,
 * hang-ups, protocol errors), against a scripted server, in-process.
 * @module
 */

import assert from "node:assert/strict";
import { memoryIo } from "../../cli/io.ts";
import { run } from "../../cli/commands/upsc.ts";
import { type Handler, simpleUpsd, tcpUpsd } from "../core/client/_fake_upsd.ts";
import { waitFor } from "../_helpers/wait.ts";

async function upsc(handler: Handler, args: (h: string) => string[], logout = true) {
  await using srv = tcpUpsd(handler);
  const io = memoryIo();
  const code = await run(args(`127.0.0.1:${srv.port}`), io, "upsc");
  // the client says LOGOUT without waiting for an answer
  if (logout) await waitFor(() => srv.lines.at(-1) === "LOGOUT", { what: "LOGOUT" });
  return { code, stdout: io.out.join(""), stderr: io.err.join(""), lines: [...srv.lines] };
}

const NOTICE = "Init SSL without certificate database\n";

Deno.test("upsc explains UNKNOWN-COMMAND as an old upsd, for GET and for LIST", async () => {
  const old: Handler = () => "ERR UNKNOWN-COMMAND";
  assert.deepEqual(await upsc(old, (h) => [`ups@${h}`, "ups.status"]), {
    code: 1,
    stdout: "",
    stderr: `${NOTICE}Error: variable unknown (old upsd detected)\n`,
    lines: ["STARTTLS", "GET VAR ups ups.status", "LOGOUT"],
  });
  for (
    const args of [
      (h: string) => [`ups@${h}`],
      (h: string) => ["-l", h],
      (h: string) => ["-c", `ups@${h}`],
    ]
  ) {
    const r = await upsc(old, args);
    assert.equal(r.stderr, `${NOTICE}Error: upsd is too old to support this query\n`);
    assert.equal(r.code, 1);
  }
});

Deno.test("upsc reports short rows as insufficient data, after the rows before them", async () => {
  const short: Handler = (l) =>
    l === "LIST VAR ups"
      ? ["BEGIN LIST VAR ups", 'VAR ups a.b "1"', "VAR ups c.d", "END LIST VAR ups"]
      : l === "LIST UPS"
      ? ["BEGIN LIST UPS", "UPS ups", "END LIST UPS"]
      : "ERR FEATURE-NOT-CONFIGURED";
  assert.deepEqual(await upsc(short, (h) => [`ups@${h}`]), {
    code: 1,
    stdout: "a.b: 1\n",
    stderr: `${NOTICE}Error: insufficient data (got 3 args, need at least 4)\n`,
    lines: ["STARTTLS", "LIST VAR ups", "LOGOUT"],
  });
  const json = await upsc(short, (h) => ["-j", `ups@${h}`]);
  assert.equal(
    json.stdout,
    '{\n  "a.b": "1"  "error": "insufficient data (got 3 args, need at least 4)"\n}\n',
  );
  const l = await upsc(short, (h) => ["-l", h]);
  assert.equal(l.stderr, `${NOTICE}Error: insufficient data (got 2 args, need at least 3)\n`);
});

Deno.test("upsc treats a hang-up or ERR in the middle of a list as its end (exit 0), like NUT", async () => {
  const cut: Handler = (l) =>
    l === "LIST VAR ups" ? ["BEGIN LIST VAR ups", 'VAR ups a.b "1"', "ERR DATA-STALE"] : "ERR X";
  assert.deepEqual((await upsc(cut, (h) => [`ups@${h}`])).stdout, "a.b: 1\n");
  const gone: Handler = (l) => (l === "LIST VAR ups" ? "close" : "ERR X");
  const r = await upsc(gone, (h) => [`ups@${h}`], false);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `${NOTICE}Error: Server disconnected\n`);
});

Deno.test("upsc reports a reply that does not echo the query as Protocol error", async () => {
  const wrong: Handler = (l) => (l.startsWith("GET") ? 'VAR other x.y "1"' : "ERR X");
  const r = await upsc(wrong, (h) => [`ups@${h}`, "x.y"]);
  assert.equal(r.stderr, `${NOTICE}Error: Protocol error\n`);
  const parse: Handler = (l) => (l.startsWith("GET") ? 'VAR ups x.y "a # b"' : "ERR X");
  assert.equal(
    (await upsc(parse, (h) => [`ups@${h}`, "x.y"])).stderr,
    `${NOTICE}Error: Parse error: Unbalanced word due to unescaped # in quotes\n`,
  );
});

Deno.test("upsc --json and -j are the same; JSON strings escaped as NUT 2.8.5 does", async () => {
  const vars = { "ups.mfr": 'A "b"\\c', "ups.status": "OL" };
  const a = await upsc(simpleUpsd(vars), (h) => ["--json", `ups@${h}`]);
  const b = await upsc(simpleUpsd(vars), (h) => ["-j", `ups@${h}`]);
  assert.deepEqual(a, b);
  assert.equal(a.stdout, '{\n  "ups.mfr": "A \\"b\\"\\\\c",\n  "ups.status": "OL"\n}\n');
  assert.deepEqual(JSON.parse(a.stdout), vars);
});

Deno.test("upsc sends its LOGOUT as soon as a list begins (no 40 ms delayed-ACK stall)", async () => {
  // the rest of the list only comes once the client has said something after BEGIN,
  // as with upsd 2.8.0's line-per-write replies held back by Nagle
  const held: Handler = (l) => {
    if (l === "LIST VAR ups") return ["BEGIN LIST VAR ups"];
    if (l === "LOGOUT") return ['VAR ups a.b "1"', "END LIST VAR ups", "OK Goodbye"];
    return "ERR FEATURE-NOT-CONFIGURED";
  };
  const r = await upsc(held, (h) => [`ups@${h}`]);
  assert.deepEqual(r, {
    code: 0,
    stdout: "a.b: 1\n",
    stderr: NOTICE,
    lines: ["STARTTLS", "LIST VAR ups", "LOGOUT"],
  });
});
