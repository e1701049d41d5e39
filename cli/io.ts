/**
 * The CLI's window on the process: output streams, environment, stdin and
 * files. Commands receive a {@linkcode CliIo}; only {@linkcode denoIo} touches
 * `Deno.stdout`/`Deno.stderr`/`Deno.stdin`.
 *
 * @module
 */

/** Process I/O handed to every command. */
import { latin1 } from "../core/protocol/line_stream.ts";
export interface CliIo {
  /** Writes text to standard output, unbuffered and in order. */
  stdout(text: string): void;
  /** Writes text to standard error, unbuffered and in order. */
  stderr(text: string): void;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Reads one line from standard input (without newline); null at EOF. */
  readLine(): Promise<string | null>;
  /** Reads a line from the terminal without echo (passwords); null at EOF. */
  readSecret(): Promise<string | null>;
  /** Whether standard input is a terminal. */
  isTerminal(): boolean;
  /** Reads a whole text file (bytes as latin1 chars, NUT-style). */
  readTextFile(path: string): Promise<string>;
}

const encoder = new TextEncoder();

function writeAll(w: { writeSync(p: Uint8Array): number }, text: string): void {
  let buf = encoder.encode(text);
  while (buf.length > 0) {
    const n = w.writeSync(buf);
    buf = buf.subarray(n);
  }
}

/** Reads a file's bytes as a string of byte-valued chars (latin1). */
export async function readLatin1(path: string): Promise<string> {
  return latin1(await Deno.readFile(path));
}

/**
 * The real process I/O.
 * @returns a CliIo over Deno's stdio
 */
export function denoIo(): CliIo {
  let pending: Uint8Array = new Uint8Array(0);
  const readLine = async (): Promise<string | null> => {
    while (true) {
      const nl = pending.indexOf(10);
      if (nl >= 0) {
        const line = new TextDecoder().decode(pending.subarray(0, nl));
        pending = pending.subarray(nl + 1);
        return line.replace(/\r$/, "");
      }
      const buf = new Uint8Array(4096);
      const n = await Deno.stdin.read(buf);
      if (n === null) {
        if (pending.length === 0) return null;
        const line = new TextDecoder().decode(pending);
        pending = new Uint8Array(0);
        return line;
      }
      const merged = new Uint8Array(pending.length + n);
      merged.set(pending);
      merged.set(buf.subarray(0, n), pending.length);
      pending = merged;
    }
  };
  return {
    stdout: (t) => writeAll(Deno.stdout, t),
    stderr: (t) => writeAll(Deno.stderr, t),
    env: (k) => Deno.env.get(k),
    readLine,
    async readSecret() {
      const tty = Deno.stdin.isTerminal();
      if (tty) Deno.stdin.setRaw(true, { cbreak: true });
      try {
        if (!tty) return await readLine();
        let line = "";
        const buf = new Uint8Array(1);
        while (true) {
          const n = await Deno.stdin.read(buf);
          if (n === null) return line.length ? line : null;
          const c = buf[0]!;
          if (c === 10 || c === 13) return line;
          if (c === 3) throw new Error("Interrupted");
          if (c === 127 || c === 8) line = line.slice(0, -1);
          else line += String.fromCharCode(c);
        }
      } finally {
        if (tty) {
          Deno.stdin.setRaw(false);
          writeAll(Deno.stdout, "\n");
        }
      }
    },
    isTerminal: () => Deno.stdin.isTerminal(),
    readTextFile: readLatin1,
  };
}

/** Captured output of a {@linkcode memoryIo}. */
export interface MemoryIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

/**
 * An in-memory CliIo for tests.
 * @param options environment, stdin lines and files
 * @returns the io, with `out`/`err` collecting what was written
 */
export function memoryIo(
  options: { env?: Record<string, string>; stdin?: string[]; files?: Record<string, string> } = {},
): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = [...(options.stdin ?? [])];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: (k) => options.env?.[k],
    readLine: () => Promise.resolve(stdin.length ? stdin.shift()! : null),
    readSecret: () => Promise.resolve(stdin.length ? stdin.shift()! : null),
    isTerminal: () => false,
    readTextFile: (p) => {
      const f = options.files?.[p];
      if (f !== undefined) return Promise.resolve(f);
      return readLatin1(p);
    },
  };
}
