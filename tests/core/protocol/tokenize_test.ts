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
