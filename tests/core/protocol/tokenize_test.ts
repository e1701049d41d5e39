import assert from "node:assert/strict";
import {
  quoteValue,
  tokenize,
  Tokenizer,
  UNBALANCED_HASH,
} from "../../../core/protocol/tokenize.ts";

const words = (text: string) => tokenize(text).map((l) => l.words);

Deno.test(
  "tokenize() splits words, quotes and = as NUT's parseconf",
  { permissions: "none" },
  () => {
    assert.deepEqual(words('driver = usbhid-ups\nport="auto"\n'), [
      ["driver", "=", "usbhid-ups"],
      ["port", "=", "auto"],
    ]);
    assert.deepEqual(words('a\\\nb "x y" ""\n'), [["ab", "x y", ""]]);
  },
);

Deno.test(
  "tokenize() reports # inside quotes and resumes after it",
  { permissions: "none" },
  () => {
    const lines = tokenize('desc = "a # b"\nport = x\n');
    assert.equal(lines[0]?.error, UNBALANCED_HASH);
    assert.deepEqual(lines[0]?.words, ["desc", "=", "a "]);
    // parsing resumes right after the '#': ` b"` is a bare word (a quote mid-word is literal)
    assert.deepEqual(lines[1]?.words, ['b"']);
    assert.deepEqual(lines.at(-1)?.words, ["port", "=", "x"]);
  },
);

Deno.test("Tokenizer gives the same lines byte by byte as whole", { permissions: "none" }, () => {
  const text = 'a \\\n  b "c\\"d" e=f # x\n"unterminated\nline"\nlast';
  const whole = tokenize(text);
  const t = new Tokenizer();
  const bytewise = [...text].flatMap((c) => t.push(c)).concat(t.end());
  assert.deepEqual(bytewise, whole);
  assert.deepEqual(whole[0]?.words, ["a", "", "b", 'c"d', "e", "=", "f"]);
});

Deno.test('quoteValue() escapes # \\ and "', { permissions: "none" }, () => {
  assert.equal(quoteValue('a#b\\c"d'), '"a\\#b\\\\c\\"d"');
});

// ---------------------------------------------------------------------------
// One row per rule of ../shared/spec/config.md §2 (expected words written
// from the spec and NUT's parseconf.c, not from this tokenizer's output).
// Each row is fed whole, byte by byte, and split at every position.

interface Row {
  /** The rule, as the spec words it. */
  rule: string;
  input: string;
  /** Words of every logical line, empty lines included. */
  lines: string[][];
  /** Index of the line NUT reports as a parse error. */
  errorAt?: number;
  /** Discarded bytes NUT warns about, in order. */
  discarded?: number[];
  /** Physical start line of each logical line, when checked. */
  starts?: number[];
}

const ROWS: Row[] = [
  // between words
  { rule: "between words: newline ends the logical line", input: "a\nb\n", lines: [["a"], ["b"]] },
  { rule: "between words: # starts a comment", input: "a # b c\nd\n", lines: [["a"], ["d"]] },
  { rule: "between words: # at line start", input: "# x y\na\n", lines: [[], ["a"]] },
  {
    rule: "between words: space TAB CR VT FF are skipped",
    input: " \ta\r\v\fb \r\n",
    lines: [["a", "b"]],
  },
  {
    rule: "between words: \\ makes the next char literal and starts a word",
    input: '\\#a \\"b\n',
    lines: [["#a", '"b']],
  },
  {
    rule: "between words: \\ + newline continues the line",
    input: "a \\\nb\n",
    lines: [["a", "b"]],
  },
  { rule: 'between words: " starts a quoted word', input: '"a b" c\n', lines: [["a b", "c"]] },
  { rule: "between words: = is a one-character word", input: "= a =\n", lines: [["=", "a", "="]] },
  { rule: "between words: == gives two words", input: "==\n", lines: [["=", "="]] },
  {
    rule: "between words: other chars start a bare word",
    input: "x-y.z@h:1\n",
    lines: [["x-y.z@h:1"]],
  },
  // bare word
  {
    rule: "bare word: # ends the word and starts a comment",
    input: "ab#c d\ne\n",
    lines: [["ab"], ["e"]],
  },
  { rule: "bare word: newline ends word and line", input: "ab\ncd\n", lines: [["ab"], ["cd"]] },
  { rule: "bare word: whitespace ends the word", input: "ab\tcd\n", lines: [["ab", "cd"]] },
  { rule: "bare word: = ends the word and is a word", input: "k=v\n", lines: [["k", "=", "v"]] },
  { rule: "bare word: = at the end", input: "k=\n", lines: [["k", "="]] },
  { rule: "bare word: == inside a word", input: "a==b\n", lines: [["a", "=", "=", "b"]] },
  {
    rule: "bare word: \\ makes the next char literal",
    input: "a\\ b a\\=b a\\#b\n",
    lines: [["a b", "a=b", "a#b"]],
  },
  {
    rule: "bare word: \\ + newline joins physical lines",
    input: "a\\\nb c\n",
    lines: [["ab", "c"]],
  },
  { rule: 'bare word: " is literal mid-word', input: 'a"b c"\n', lines: [['a"b', 'c"']] },
  // quoted word
  { rule: 'quoted word: " ends the word', input: '"a"b\n', lines: [["a", "b"]] },
  { rule: 'quoted word: "" is an empty word', input: 'x "" y\n', lines: [["x", "", "y"]] },
  {
    rule: "quoted word: adjacent quoted words are separate",
    input: '"a""b"\n',
    lines: [["a", "b"]],
  },
  {
    rule: "quoted word: \\ makes the next char literal",
    input: '"a\\"b" "c\\\\d" "e\\#f"\n',
    lines: [['a"b', "c\\d", "e#f"]],
  },
  {
    rule: "quoted word: \\ + newline continues, newline not stored",
    input: '"a\\\nb"\n',
    lines: [["ab"]],
  },
  { rule: "quoted word: = is stored", input: 'k "a=b"\n', lines: [["k", "a=b"]] },
  { rule: "quoted word: whitespace is stored", input: '"a  b"\n', lines: [["a  b"]] },
  {
    rule: "quoted word: # is a parse error, parsing resumes after it",
    input: 'x "a#b c"\nd\n',
    lines: [["x", "a"], ["b", 'c"'], ["d"]],
    errorAt: 0,
  },
  {
    rule: "quoted word: # right after the quote; the rest reopens a quote that eats the newline",
    input: '"#"\n',
    lines: [[""]],
    errorAt: 0,
    discarded: [0x0a],
  },
  {
    rule: "quoted word: newline is dropped with a warning and the word continues",
    input: '"a\nb" c\n',
    lines: [["ab", "c"]],
    discarded: [0x0a],
    starts: [1],
  },
  { rule: "quoted word: # after the closing quote is a comment", input: '"a"#b\n', lines: [["a"]] },
  // character filter and limits
  {
    rule: "filter: non-ASCII bytes are dropped with a warning",
    input: "a\xc3\xa9b\n",
    lines: [["ab"]],
    discarded: [0xc3, 0xa9],
  },
  {
    rule: "filter: TAB inside quotes is dropped",
    input: '"a\tb"\n',
    lines: [["ab"]],
    discarded: [0x09],
  },
  {
    rule: "filter: CR inside quotes is dropped",
    input: '"a\rb"\n',
    lines: [["ab"]],
    discarded: [0x0d],
  },
  { rule: "filter: NUL is dropped", input: "a\x00b\n", lines: [["ab"]], discarded: [0x00] },
  { rule: "filter: DEL (0x7f) is kept", input: "a\x7fb\n", lines: [["a\x7fb"]] },
  {
    rule: "filter: a word of only dropped bytes is an empty word",
    input: "\xff x\n",
    lines: [["", "x"]],
    discarded: [0xff],
  },
  {
    rule: "limit: 512 characters per word",
    input: "x".repeat(600) + " y\n",
    lines: [["x".repeat(512), "y"]],
  },
  {
    rule: "limit: 32 words per line",
    input: Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ") + "\n",
    lines: [Array.from({ length: 32 }, (_, i) => `w${i}`)],
  },
  // continuation quirks
  {
    rule: "continuation: a \\⏎  b gives an empty word",
    input: "a \\\n  b\n",
    lines: [["a", "", "b"]],
  },
  {
    rule: "continuation: line numbers follow physical lines",
    input: "a \\\nb\nc\n",
    lines: [["a", "b"], ["c"]],
    starts: [1, 3],
  },
  // end of file
  { rule: "EOF: last line without newline is kept", input: "a b", lines: [["a", "b"]] },
  { rule: "EOF: key = value without newline", input: "k = v", lines: [["k", "=", "v"]] },
  {
    rule: "EOF: a lone unterminated first word is dropped (NUT quirk)",
    input: "x\nab",
    lines: [["x"]],
  },
  { rule: "EOF: unterminated quote keeps complete words", input: 'a "b c', lines: [["a", "b c"]] },
  { rule: "EOF: trailing backslash", input: "a \\", lines: [["a"]] },
  { rule: "EOF: comment without newline", input: "a # c", lines: [["a"]] },
  { rule: "empty logical lines have zero words", input: "\n\n  \na\n", lines: [[], [], [], ["a"]] },
  // the = forms
  {
    rule: "= forms: k=v, k =v, k= v, k = v all give k = v",
    input: "k=v\nk =v\nk= v\nk = v\n",
    lines: [["k", "=", "v"], ["k", "=", "v"], ["k", "=", "v"], ["k", "=", "v"]],
  },
  {
    rule: "= forms: \\= and quotes keep = in a value",
    input: 'k = a\\=b "c=d"\n',
    lines: [["k", "=", "a=b", "c=d"]],
  },
  { rule: "= forms: a quoted key=value is one word", input: '"k=v"\n', lines: [["k=v"]] },
];

function run(
  feed: (t: Tokenizer) => ReturnType<Tokenizer["push"]>,
  onWarning: (c: number) => void,
) {
  const t = new Tokenizer({
    onWarning: (w) => onWarning(Number.parseInt(/0x([0-9a-f]{2})/.exec(w.message)![1]!, 16)),
  });
  return [...feed(t), ...t.end()];
}

function checkRow(row: Row, lines: ReturnType<typeof tokenize>, discarded: number[]) {
  assert.deepEqual(lines.map((l) => l.words), row.lines);
  const errors = lines.flatMap((l, i) => (l.error === undefined ? [] : [i]));
  assert.deepEqual(errors, row.errorAt === undefined ? [] : [row.errorAt]);
  for (const i of errors) assert.equal(lines[i]?.error, UNBALANCED_HASH);
  assert.deepEqual(discarded, row.discarded ?? []);
  if (row.starts) assert.deepEqual(lines.map((l) => l.line), row.starts);
}

Deno.test(
  `tokenize() follows every parseconf rule, whole and byte by byte (${ROWS.length} rules)`,
  { permissions: "none" },
  async (t) => {
    for (const row of ROWS) {
      await t.step(row.rule, () => {
        const d1: number[] = [];
        checkRow(row, run((tk) => tk.push(row.input), (c) => d1.push(c)), d1);
        const d2: number[] = [];
        const bytewise = run(
          (tk) => [...row.input].flatMap((c) => tk.push(c)),
          (c) => d2.push(c),
        );
        checkRow(row, bytewise, d2);
        const bytes = Uint8Array.from([...row.input].map((c) => c.charCodeAt(0)));
        const d3: number[] = [];
        checkRow(row, run((tk) => tk.push(bytes), (c) => d3.push(c)), d3);
        for (let cut = 1; cut < row.input.length; cut++) {
          const d4: number[] = [];
          const split = run(
            (tk) => [...tk.push(row.input.slice(0, cut)), ...tk.push(row.input.slice(cut))],
            (c) => d4.push(c),
          );
          checkRow(row, split, d4);
        }
      });
    }
  },
);

Deno.test("tokenize() on the wire: one Tokenizer keeps state across chunks of many lines", {
  permissions: "none",
}, () => {
  const t = new Tokenizer();
  const got = [
    ...t.push('SET VAR ups x "a'),
    ...t.push(' b"\nGET '),
    ...t.push("VAR ups y\n"),
  ];
  assert.deepEqual(got.map((l) => l.words), [["SET", "VAR", "ups", "x", "a b"], [
    "GET",
    "VAR",
    "ups",
    "y",
  ]]);
  assert.deepEqual(got.map((l) => l.logical), [1, 2]);
});
