/**
 * `nut upsrw` against a scripted server: the JSON listing, a fatal value
 * lookup, the value prompt.
 * @module
 */

import assert from "node:assert/strict";
import { memoryIo } from "../../cli/io.ts";
import { run } from "../../cli/commands/upsrw.ts";
import { type Handler, tcpUpsd } from "../core/client/_fake_upsd.ts";

const SERVER: Handler = (l) => {
  const t: Record<string, string | string[]> = {
    "LIST RW ups": ["BEGIN LIST RW ups", 'RW ups a.str "x"', 'RW ups b.num "5"', "END LIST RW ups"],
    "GET DESC ups a.str": 'DESC ups a.str "A string"',
    "GET TYPE ups a.str": "TYPE ups a.str RW STRING:12",
    "GET VAR ups a.str": 'VAR ups a.str "x"',
    "GET DESC ups b.num": 'DESC ups b.num "A number"',
    "GET TYPE ups b.num": "TYPE ups b.num RW NUMBER",
  };
  return t[l] ?? (l.startsWith("GET VAR") ? "ERR DATA-STALE" : "OK");
};

async function upsrw(args: (h: string) => string[], stdin: string[] = []) {
  await using srv = tcpUpsd(SERVER);
  const io = memoryIo({ stdin });
  const code = await run(args(`ups@127.0.0.1:${srv.port}`), io, "upsrw");
  return { code, stdout: io.out.join(""), stderr: io.err.join(""), lines: [...srv.lines] };
}

Deno.test("upsrw stops mid-listing with NUT's do_number text when a value cannot be read", async () => {
  const r = await upsrw((h) => [h]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stdout,
    "[a.str]\nA string\nType: STRING\nMaximum length: 12\nValue: x\n\n[b.num]\nA number\n",
  );
  assert.equal(r.stderr, "do_number: can't get current value of b.num\n");
});

Deno.test("upsrw --json fails the same way, and lists the readable part when all is well", async () => {
  const r = await upsrw((h) => ["--json", h]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "do_number: can't get current value of b.num\n");
});

Deno.test("upsrw -s without =value asks for it on stdout and quotes it on the wire", async () => {
  const r = await upsrw((h) => ["-u", "u", "-p", "p", "-s", "a.str", h], ['say "hi" #1']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "Enter new value for a.str: ");
  assert.equal(r.stderr, "OK\n");
  assert.ok(r.lines.includes('SET VAR ups a.str "say \\"hi\\" \\#1"'));
});
