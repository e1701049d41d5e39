import assert from "node:assert/strict";
import {
  atoi,
  type DriverMessage,
  formatDriverMessage,
  formatServerMessage,
  LinkReader,
  parseDriverMessage,
  parseServerMessage,
  type ServerMessage,
} from "../../../core/protocol/driver_link.ts";
import { tokenize } from "../../../core/protocol/tokenize.ts";
import { UpsState } from "../../../core/state/ups_state.ts";

const FIXTURES = new URL("../../fixtures/drivers/", import.meta.url);
const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);
const words = (line: string) => tokenize(line)[0]?.words ?? [];

const DRIVER_MESSAGES: DriverMessage[] = [
  { kind: "setinfo", name: "ups.status", value: "OL CHRG" },
  { kind: "setinfo", name: "ups.alarm", value: 'a "quoted" \\ # value' },
  { kind: "setinfo", name: "x", value: "" },
  { kind: "setinfo", name: "weird name=", value: "v" },
  { kind: "delinfo", name: "battery.charge" },
  { kind: "addenum", name: "input.sensitivity", value: "high" },
  { kind: "delenum", name: "input.sensitivity", value: "a b" },
  { kind: "addrange", name: "input.transfer.low", min: -5, max: 180 },
  { kind: "delrange", name: "input.transfer.low", min: 160, max: 180 },
  { kind: "setaux", name: "ups.id", aux: 16 },
  { kind: "setflags", name: "ups.id", flags: ["RW", "STRING"] },
  { kind: "addcmd", name: "load.off" },
  { kind: "delcmd", name: "load.on" },
  { kind: "dataok" },
  { kind: "datastale" },
  { kind: "dumpdone" },
  { kind: "pong" },
  { kind: "tracking", id: "0a1b-2c3d", result: 3 },
  { kind: "pid", pid: 4242 },
  { kind: "goodbye" },
];

const SERVER_MESSAGES: ServerMessage[] = [
  { kind: "dumpall" },
  { kind: "ping" },
  { kind: "instcmd", cmd: "load.off" },
  { kind: "instcmd", cmd: "load.off.delay", param: "10" },
  { kind: "instcmd", cmd: "load.off", tracking: "id-1" },
  { kind: "instcmd", cmd: "load.off.delay", param: "a b", tracking: "id-2" },
  { kind: "set", name: "ups.id", value: 'my "ups" #1' },
  { kind: "set", name: "ups.id", value: "", tracking: "id-3" },
  { kind: "nobroadcast" },
  { kind: "broadcast" },
  { kind: "broadcast", level: 0 },
  { kind: "getpid" },
  { kind: "dumpvalue", name: "ups.status" },
  { kind: "dumpstatus" },
  { kind: "logout" },
];

Deno.test(
  "parseDriverMessage(formatDriverMessage(x)) gives back x",
  { permissions: "none" },
  async (t) => {
    for (const m of DRIVER_MESSAGES) {
      await t.step(formatDriverMessage(m).trimEnd(), () => {
        const line = formatDriverMessage(m);
        assert.ok(line.endsWith("\n"));
        assert.equal(tokenize(line).length, 1, "one line per message");
        assert.deepEqual(parseDriverMessage(words(line)), m);
      });
    }
  },
);

Deno.test(
  "parseServerMessage(formatServerMessage(x)) gives back x",
  { permissions: "none" },
  async (t) => {
    for (const m of SERVER_MESSAGES) {
      await t.step(formatServerMessage(m).trimEnd(), () => {
        assert.deepEqual(parseServerMessage(words(formatServerMessage(m))), m);
      });
    }
  },
);

Deno.test(
  "parseDriverMessage() follows upsd's word counts and case rules",
  { permissions: "none" },
  () => {
    assert.deepEqual(parseDriverMessage(["setinfo", "a", "b", "extra"]), {
      kind: "setinfo",
      name: "a",
      value: "b",
    });
    assert.equal(parseDriverMessage(["SETINFO", "a"]), undefined);
    assert.equal(parseDriverMessage(["ADDRANGE", "a", "1"]), undefined);
    assert.equal(parseDriverMessage(["DELINFO"]), undefined);
    assert.equal(parseDriverMessage(["BOGUS", "x", "y"]), undefined);
    assert.equal(parseDriverMessage([]), undefined);
    assert.equal(parseDriverMessage(["OK"]), undefined);
    // NUT sends a bare `SETFLAGS <var>` for an override-only variable; upsd ignores it
    assert.equal(
      parseDriverMessage(words(formatDriverMessage({ kind: "setflags", name: "v", flags: [] }))),
      undefined,
    );
    assert.deepEqual(parseDriverMessage(["ok", "goodbye"]), { kind: "goodbye" });
    assert.deepEqual(parseDriverMessage(["SETAUX", "v", "12abc"]), {
      kind: "setaux",
      name: "v",
      aux: 12,
    });
  },
);

Deno.test(
  "parseServerMessage() accepts NUT's INSTCMD and SET shapes only",
  { permissions: "none" },
  () => {
    assert.deepEqual(parseServerMessage(["instcmd", "x", "p", "tracking", "7"]), {
      kind: "instcmd",
      cmd: "x",
      param: "p",
      tracking: "7",
    });
    // 4 words without TRACKING and 6 words are malformed
    assert.deepEqual(parseServerMessage(["INSTCMD", "x", "a", "b"]), {
      kind: "error",
      reason: "malformed-instcmd",
    });
    assert.deepEqual(parseServerMessage(["INSTCMD", "x", "a", "b", "c", "d"]), {
      kind: "error",
      reason: "malformed-instcmd",
    });
    assert.deepEqual(parseServerMessage(["SET", "v", "1", "NOTTRACKING", "7"]), {
      kind: "error",
      reason: "malformed-set",
    });
    assert.deepEqual(parseServerMessage(["SET", "v"]), { kind: "error", reason: "unknown" });
    assert.deepEqual(parseServerMessage(["HELLO"]), { kind: "error", reason: "unknown" });
  },
);

Deno.test("atoi() reads a C integer prefix", { permissions: "none" }, () => {
  assert.equal(atoi("42"), 42);
  assert.equal(atoi("-7x"), -7);
  assert.equal(atoi("  +3"), 3);
  assert.equal(atoi(""), 0);
  assert.equal(atoi("99999999999"), 2147483647);
});

function readAll(bytes: Uint8Array, chunk: number) {
  const r = new LinkReader(parseDriverMessage);
  const out = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...r.push(bytes.subarray(i, i + chunk)));
  return out;
}

Deno.test("a real dummy-ups DUMPALL reply parses the same byte by byte and whole", async () => {
  const bytes = await Deno.readFile(new URL("dummy_ups_dumpall.txt", FIXTURES));
  const whole = readAll(bytes, bytes.length);
  assert.deepEqual(readAll(bytes, 1), whole);
  assert.deepEqual(readAll(bytes, 7), whole);
  assert.ok(whole.length > 100);
  for (const l of whole) {
    assert.notEqual(l.message, undefined, `unrecognized: ${l.words.join(" ")}`);
  }
  assert.deepEqual(whole.at(-1)?.message, { kind: "dumpdone" });
});

Deno.test("UpsState fed a real DUMPALL reply dumps it back byte for byte", async () => {
  const bytes = await Deno.readFile(new URL("dummy_ups_dumpall.txt", FIXTURES));
  const state = new UpsState();
  for (const l of readAll(bytes, 1)) if (l.message) state.apply(l.message);
  assert.equal(state.dumpMessages().map(formatDriverMessage).join(""), latin1(bytes));
});

Deno.test("unescaped broadcasts from a real driver are read as NUT reads them", async () => {
  const bytes = await Deno.readFile(new URL("dummy_ups_broadcast.txt", FIXTURES));
  const lines = readAll(bytes, 1);
  assert.deepEqual(lines, readAll(bytes, bytes.length));
  // `SETINFO ups.id "a "quoted" \ value"`: the quoted word ends at the second quote
  assert.deepEqual(lines[0]?.message, { kind: "setinfo", name: "ups.id", value: "a " });
  assert.deepEqual(lines.at(-1)?.message, { kind: "setinfo", name: "ups.id", value: "z" });
  assert.deepEqual(lines.map((l) => l.message?.kind), [
    "setinfo",
    "setinfo",
    "setflags",
    "setaux",
    "setinfo",
    "setinfo",
  ]);
});

Deno.test(
  "LinkReader reports # inside quotes as NUT's parse error",
  { permissions: "none" },
  () => {
    const r = new LinkReader(parseServerMessage);
    const lines = r.push('SET ups.id "a # b"\nPING\n');
    assert.equal(lines[0]?.error, "Unbalanced word due to unescaped # in quotes");
    assert.deepEqual(lines.at(-1)?.message, { kind: "ping" });
  },
);
