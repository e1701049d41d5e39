/**
 * NUT's word tokenizer ("parseconf"): one state machine that splits config
 * files, driver-socket lines and network-protocol lines into words, with
 * NUT's exact quoting, escaping, comment and continuation rules.
 *
 * It works on bytes (char codes 0–255). Feed it a whole file, a line, or
 * arbitrary chunks: the result is the same.
 *
 * @module
 */

/** Maximum stored characters per word (NUT's PCONF_DEFAULT_WORDLEN_LIMIT). */
export const WORD_LIMIT = 512;
/** Maximum words per logical line (NUT's PCONF_DEFAULT_ARG_LIMIT). */
export const ARG_LIMIT = 32;

/** The text of NUT's only tokenizer parse error. */
export const UNBALANCED_HASH = "Unbalanced word due to unescaped # in quotes";

/** One logical line of words. */
export interface TokenLine {
  /** The words, unquoted and unescaped. */
  readonly words: string[];
  /** Physical line (1-based) where this logical line started. */
  readonly line: number;
  /** NUT's own counter: logical lines read so far, this one included. */
  readonly logical: number;
  /** Set when NUT would report a parse error for this line (and skip it). */
  readonly error?: string;
}

/** A discarded-character warning, as NUT prints it on stderr. */
export interface TokenWarning {
  readonly line: number;
  readonly message: string;
}

/** Options for {@linkcode Tokenizer}. */
export interface TokenizerOptions {
  /** Called for each character NUT would discard with a warning. */
  onWarning?: (warning: TokenWarning) => void;
  /** Word length limit; 0 = unlimited. Default {@linkcode WORD_LIMIT}. */
  wordLimit?: number;
  /** Words per line limit; 0 = unlimited. Default {@linkcode ARG_LIMIT}. */
  argLimit?: number;
}

const State = {
  FindWordStart: 1,
  FindEol: 2,
  QuoteCollect: 3,
  QcLiteral: 4,
  Collect: 5,
  CollectLiteral: 6,
} as const;
type State = typeof State[keyof typeof State];

const NL = 10;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const EQUALS = 0x3d;

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Incremental tokenizer. `push()` returns the logical lines completed by the
 * chunk; `end()` flushes what a file without a final newline leaves behind,
 * exactly as NUT's `pconf_file_next()` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tokenizer } from "./tokenize.ts";
 * const t = new Tokenizer();
 * const lines = [...t.push('port = "/dev/ttyS0" # serial\n'), ...t.end()];
 * assert.deepEqual(lines[0]?.words, ["port", "=", "/dev/ttyS0"]);
 * ```
 */
export class Tokenizer {
  #state: State = State.FindWordStart;
  #words: string[] = [];
  #word: number[] = [];
  #physical = 1;
  #startLine = 1;
  #logical = 0;
  #inLine = false;
  readonly #onWarning: ((w: TokenWarning) => void) | undefined;
  readonly #wordLimit: number;
  readonly #argLimit: number;

  /** @param options limits and the warning callback */
  constructor(options: TokenizerOptions = {}) {
    this.#onWarning = options.onWarning;
    this.#wordLimit = options.wordLimit ?? WORD_LIMIT;
    this.#argLimit = options.argLimit ?? ARG_LIMIT;
  }

  /**
   * Feeds a chunk (string of byte-valued chars, or bytes).
   * @param chunk text or bytes
   * @returns the logical lines this chunk completed (empty ones included)
   */
  push(chunk: string | Uint8Array): TokenLine[] {
    const out: TokenLine[] = [];
    if (typeof chunk === "string") {
      for (let i = 0; i < chunk.length; i++) this.#char(chunk.charCodeAt(i), out);
    } else {
      for (let i = 0; i < chunk.length; i++) this.#char(chunk[i]!, out);
    }
    return out;
  }

  /**
   * Ends the input. NUT keeps a final unterminated line only if at least one
   * word of it was already complete (quirk of `pconf_file_next`).
   * @returns the last logical line, if NUT would produce one
   */
  end(): TokenLine[] {
    const out: TokenLine[] = [];
    if (this.#inLine && this.#words.length !== 0) {
      if (this.#word.length !== 0) this.#endOfWord();
      out.push(this.#emit());
    }
    this.#reset();
    return out;
  }

  #reset(): void {
    this.#state = State.FindWordStart;
    this.#words = [];
    this.#word = [];
    this.#inLine = false;
  }

  #emit(error?: string): TokenLine {
    const line: TokenLine = error === undefined
      ? { words: this.#words, line: this.#startLine, logical: this.#logical }
      : { words: this.#words, line: this.#startLine, logical: this.#logical, error };
    this.#words = [];
    this.#state = State.FindWordStart;
    this.#inLine = false;
    return line;
  }

  #addChar(c: number): void {
    if (c < 0x20 || c > 0x7f) {
      this.#onWarning?.({
        line: this.#physical,
        message: `addchar: discarding invalid character (0x${c.toString(16).padStart(2, "0")})!`,
      });
      return;
    }
    if (this.#wordLimit !== 0 && this.#word.length >= this.#wordLimit) return;
    this.#word.push(c);
  }

  #endOfWord(): void {
    if (this.#argLimit === 0 || this.#words.length < this.#argLimit) {
      this.#words.push(String.fromCharCode(...this.#word));
    }
    this.#word = [];
  }

  #findWordStart(c: number, out: TokenLine[]): void {
    if (c === NL) {
      out.push(this.#emit());
      return;
    }
    if (c === HASH) this.#state = State.FindEol;
    else if (isSpace(c)) this.#state = State.FindWordStart;
    else if (c === BACKSLASH) this.#state = State.CollectLiteral;
    else if (c === QUOTE) this.#state = State.QuoteCollect;
    else {
      this.#addChar(c);
      if (c === EQUALS) {
        this.#endOfWord();
        this.#state = State.FindWordStart;
      } else {
        this.#state = State.Collect;
      }
    }
  }

  #char(c: number, out: TokenLine[]): void {
    if (!this.#inLine) {
      this.#inLine = true;
      this.#logical++;
      this.#startLine = this.#physical;
    }
    switch (this.#state) {
      case State.FindWordStart:
        this.#findWordStart(c, out);
        break;
      case State.FindEol:
        if (c === NL) out.push(this.#emit());
        break;
      case State.QuoteCollect:
        if (c === HASH) {
          this.#endOfWord();
          out.push(this.#emit(UNBALANCED_HASH));
        } else if (c === QUOTE) {
          this.#endOfWord();
          this.#state = State.FindWordStart;
        } else if (c === BACKSLASH) {
          this.#state = State.QcLiteral;
        } else {
          this.#addChar(c);
        }
        break;
      case State.QcLiteral:
        if (c !== NL) this.#addChar(c);
        this.#state = State.QuoteCollect;
        break;
      case State.Collect:
        if (c === HASH) {
          this.#endOfWord();
          this.#state = State.FindEol;
        } else if (c === NL) {
          this.#endOfWord();
          out.push(this.#emit());
        } else if (isSpace(c)) {
          this.#endOfWord();
          this.#state = State.FindWordStart;
        } else if (c === EQUALS) {
          this.#endOfWord();
          this.#findWordStart(c, out);
          this.#state = State.FindWordStart;
        } else if (c === BACKSLASH) {
          this.#state = State.CollectLiteral;
        } else {
          this.#addChar(c);
        }
        break;
      case State.CollectLiteral:
        if (c !== NL) this.#addChar(c);
        this.#state = State.Collect;
        break;
    }
    if (c === NL) this.#physical++;
  }
}

/**
 * Tokenizes a whole text (file contents) the way NUT reads a config file.
 * @param text file contents (bytes or byte-valued string)
 * @param options limits and warning callback
 * @returns every logical line, empty ones included, in order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./tokenize.ts";
 * assert.deepEqual(tokenize("a \\\nb\n").map((l) => l.words), [["a", "b"]]);
 * ```
 */
export function tokenize(text: string | Uint8Array, options: TokenizerOptions = {}): TokenLine[] {
  const t = new Tokenizer(options);
  return [...t.push(text), ...t.end()];
}

/**
 * Escapes a value NUT-style (`#`, `\`, `"` get a backslash), unquoted.
 * @param value the raw value
 * @returns the escaped text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeValue } from "./tokenize.ts";
 * assert.equal(escapeValue('a"b'), 'a\\"b');
 * ```
 */
export function escapeValue(value: string): string {
  return value.replace(/[#\\"]/g, (c) => "\\" + c);
}

/**
 * Escapes and wraps a value in double quotes, as NUT sends values on the wire.
 * @param value the raw value
 * @returns `"escaped"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteValue } from "./tokenize.ts";
 * assert.equal(quoteValue("x#y"), '"x\\#y"');
 * ```
 */
export function quoteValue(value: string): string {
  return `"${escapeValue(value)}"`;
}

/** Characters a bare word may hold and still read back unchanged. */
const BARE_WORD = /^[\x21\x24-\x3c\x3e-\x5b\x5d-\x7e]+$/;

/**
 * Writes one word so this tokenizer reads it back unchanged: bare when it
 * is plain (printable, no `"`, `#`, `=` or `\`), otherwise escaped and quoted.
 * Used for request and driver-socket lines and for upsd's echoed words.
 * @param word the word
 * @returns the wire form
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatWord } from "./tokenize.ts";
 * assert.equal(formatWord("ups.status"), "ups.status");
 * assert.equal(formatWord("a b"), '"a b"');
 * assert.equal(formatWord(""), '""');
 * assert.equal(formatWord("a=b"), '"a=b"');
 * ```
 */
export function formatWord(word: string): string {
  return BARE_WORD.test(word) ? word : quoteValue(word);
}
