import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type LineEvent, LineSplitter, LineStream } from "../../../core/protocol/line_stream.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function feed(chunks: Uint8Array[], max?: number): LineEvent[] {
  const s = new LineSplitter(max);
  return chunks.flatMap((c) => s.push(c));
}

function byteByByte(text: string): Uint8Array[] {
  return [...enc(text)].map((b) => Uint8Array.of(b));
}

const CASES: { name: string; input: string; max?: number; want: LineEvent[] }[] = [
  { name: "plain lines", input: "VER\nHELP\n", want: [line("VER"), line("HELP")] },
  { name: "CR before LF", input: "VER\r\nHELP\r\n", want: [line("VER"), line("HELP")] },
  { name: "lone CR stays", input: "A\rB\n", want: [line("A\rB")] },
  { name: "empty lines", input: "\n\n", want: [line(""), line("")] },
  { name: "partial last line held", input: "VER\nHEL", want: [line("VER")] },
  {
    name: "over-long line reported once then skipped",
    input: "0123456789ABCDEF\nok\n",
    max: 8,
    want: [{ kind: "tooLong", length: 16 }, line("ok")],
  },
  { name: "exactly the limit passes", input: "12345678\n", max: 8, want: [line("12345678")] },
  { name: "limit plus CR passes", input: "12345678\r\n", max: 8, want: [line("12345678")] },
  { name: "high bytes kept as latin1", input: "\xff\x00\n", want: [line("\xff\x00")] },
];

function line(text: string): LineEvent {
  return { kind: "line", text };
}

Deno.test("LineSplitter splits transcripts the same whole and byte by byte", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const whole = feed([enc(c.input)], c.max);
      assertEquals(whole.map(normal), c.want.map(normal));
      const bytes = feed(byteByByte(c.input), c.max);
      assertEquals(bytes.map(normal), c.want.map(normal));
    });
  }
});

// the reported length of an over-long line depends on where the limit was crossed
function normal(e: LineEvent): string {
  return e.kind === "line" ? `L:${e.text}` : "TOO-LONG";
}

Deno.test("LineSplitter keeps memory bounded on a megabyte without newline", () => {
  const s = new LineSplitter(4096);
  const chunk = new Uint8Array(65536).fill(0x41);
  const events: LineEvent[] = [];
  for (let i = 0; i < 16; i++) {
    events.push(...s.push(chunk));
    assertEquals(s.pending <= 4097, true);
  }
  events.push(...s.push(enc("\nVER\n")));
  assertEquals(events.map(normal), ["TOO-LONG", "L:VER"]);
});

Deno.test("LineStream transforms a byte stream into lines", async () => {
  const events = await Array.fromAsync(
    ReadableStream.from([enc("GET VAR u x\r"), enc("\nLIST"), enc(" UPS\nrest")])
      .pipeThrough(new LineStream()),
  );
  assertEquals(events.map(normal), ["L:GET VAR u x", "L:LIST UPS"]);
});

Deno.test("LineSplitter.onlyLine() agrees with push() or declines", () => {
  const enc = new TextEncoder();
  const cases = [
    "VER\n",
    "VER\r\n",
    "\n",
    "\r\n",
    "12345678\n",
    "12345678\r\n",
    "123456789\n",
    "A\nB\n",
    "A",
    "",
    "\xe9t\xe9\n",
  ];
  let taken = 0;
  for (const text of cases) {
    const bytes = Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const buf = new Uint8Array(16).fill(10);
    buf.set(bytes);
    const fast = new LineSplitter(8);
    const slow = new LineSplitter(8);
    const one = fast.onlyLine(buf, bytes.length);
    const events = slow.push(bytes);
    if (one === undefined) {
      // declined: the same bytes through push() give what the slow splitter gave
      assertEquals(fast.push(bytes), events, JSON.stringify(text));
    } else {
      taken++;
      assertEquals([{ kind: "line", text: one }], events, JSON.stringify(text));
      assertEquals(fast.pending, 0);
    }
    // both splitters are left in the same state
    const next = enc.encode("AFTER\n");
    assertEquals(fast.push(next), slow.push(next), JSON.stringify(text));
  }
  assertEquals(taken, 6);
  // a held partial line turns the fast path off
  const s = new LineSplitter(8);
  assertEquals(s.push(enc.encode("HE")), []);
  assertEquals(s.onlyLine(enc.encode("LP\n"), 3), undefined);
  assertEquals(s.push(enc.encode("LP\n")), [{ kind: "line", text: "HELP" }]);
});
