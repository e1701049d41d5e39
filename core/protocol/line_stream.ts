/**
 * Framing: bytes → lines with a maximum line length, separate from any
 * transport. Feed arbitrary chunks; each complete line comes out once, as a
 * byte-valued (latin1) string without its `\n` (a `\r` before the `\n` is
 * dropped: NUT treats it as whitespace). A line longer than the limit is cut
 * off: the splitter reports it once, as soon as the limit is crossed, and
 * discards its bytes up to the next `\n` — memory per connection stays
 * bounded whatever a peer sends.
 *
 * @module
 */

/** Default maximum line length (bytes, without the newline). */
export const MAX_LINE = 4096;

/** What {@linkcode LineSplitter.push} produces: a line or an over-long line. */
export type LineEvent =
  | { readonly kind: "line"; readonly text: string }
  | { readonly kind: "tooLong"; readonly length: number };

const NL = 10;
const CR = 13;

/**
 * Bytes as a string of chars 0–255, one per byte (NUT's files and wire are
 * bytes; TextDecoder's "latin1" is windows-1252 and would turn 0x80–0x9F
 * into other characters).
 * @param bytes the bytes
 * @param start first byte
 * @param end end (exclusive)
 * @returns the string
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latin1 } from "./line_stream.ts";
 * assert.equal(latin1(new Uint8Array([0x41, 0x80, 0xff])), "A\x80\xff");
 * ```
 */
export function latin1(bytes: Uint8Array, start = 0, end: number = bytes.length): string {
  let s = "";
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(
      null,
      bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[],
    );
  }
  return s;
}

/**
 * Incremental line splitter with a maximum line length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineSplitter } from "./line_stream.ts";
 * const s = new LineSplitter(8);
 * const enc = new TextEncoder();
 * assert.deepEqual(s.push(enc.encode("VER\r\nHE")), [{ kind: "line", text: "VER" }]);
 * assert.deepEqual(s.push(enc.encode("LP\n")), [{ kind: "line", text: "HELP" }]);
 * assert.deepEqual(s.push(enc.encode("0123456789\nX\n")), [
 *   { kind: "tooLong", length: 10 },
 *   { kind: "line", text: "X" },
 * ]);
 * ```
 */
export class LineSplitter {
  readonly #max: number;
  #pending = "";
  #discarding = false;

  /** @param max maximum line length in bytes, newline excluded (default {@linkcode MAX_LINE}) */
  constructor(max: number = MAX_LINE) {
    if (!(max >= 1)) throw new RangeError(`Cannot split lines: bad maximum length ${max}`);
    this.#max = max;
  }

  /** Bytes of an incomplete line held so far. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Feeds a chunk.
   * @param chunk raw bytes from the peer
   * @returns the events this chunk completed, in order
   */
  push(chunk: Uint8Array): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      if (this.#discarding) {
        if (nl >= 0) this.#discarding = false;
      } else if (this.#pending.length + (end - start) > this.#max + 1) {
        // +1 leaves room for a CR that the newline will make harmless
        out.push({ kind: "tooLong", length: this.#pending.length + (end - start) });
        this.#pending = "";
        this.#discarding = nl < 0;
      } else {
        const piece = latin1(chunk, start, end);
        if (nl < 0) {
          this.#pending += piece;
        } else {
          let text = this.#pending + piece;
          this.#pending = "";
          if (text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
          if (text.length > this.#max) out.push({ kind: "tooLong", length: text.length });
          else out.push({ kind: "line", text });
        }
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return out;
  }

  /** Whether no partial or over-long line is held: the next byte starts a line. */
  get idle(): boolean {
    return this.#pending === "" && !this.#discarding;
  }

  /**
   * The allocation-free common case of {@linkcode push}: when nothing is
   * held and the first `n` bytes of `buf` are exactly one line of at most the
   * limit, returns its text (as `push` would, and with the same effect on the
   * splitter: none); otherwise returns undefined and consumes nothing — feed
   * the same bytes to `push` then.
   * @param buf read buffer
   * @param n bytes of `buf` that were read
   * @returns the line's text, or undefined
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LineSplitter } from "./line_stream.ts";
   * const s = new LineSplitter(8);
   * const b = new TextEncoder().encode("VER\r\nX\n");
   * assert.equal(s.onlyLine(b, 5), "VER");
   * assert.equal(s.onlyLine(b, 7), undefined);
   * ```
   */
  onlyLine(buf: Uint8Array, n: number): string | undefined {
    if (
      n < 1 || n > buf.length || n - 1 > this.#max || buf[n - 1] !== NL ||
      this.#discarding || this.#pending !== "" || buf.indexOf(NL) !== n - 1
    ) return undefined;
    const end = n >= 2 && buf[n - 2] === CR ? n - 2 : n - 1;
    return latin1(buf, 0, end);
  }

  /** Forgets any partial line (e.g. when the connection ends). */
  reset(): void {
    this.#pending = "";
    this.#discarding = false;
  }
}

/**
 * A `TransformStream` of bytes → {@linkcode LineEvent}s over a
 * {@linkcode LineSplitter}; a partial line at the end of input is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineStream } from "./line_stream.ts";
 * const events = await Array.fromAsync(
 *   ReadableStream.from([new TextEncoder().encode("A\nB\n")]).pipeThrough(new LineStream()),
 * );
 * assert.deepEqual(events.map((e) => e.kind === "line" ? e.text : "!"), ["A", "B"]);
 * ```
 */
export class LineStream extends TransformStream<Uint8Array, LineEvent> {
  /** @param max maximum line length (default {@linkcode MAX_LINE}) */
  constructor(max: number = MAX_LINE) {
    const splitter = new LineSplitter(max);
    super({
      transform(chunk, controller) {
        for (const e of splitter.push(chunk)) controller.enqueue(e);
      },
    });
  }
}
