/**
 * The connection half of NUT's client library (libupsclient): one request
 * at a time over an injected {@linkcode Transport}, replies read and checked
 * the way libupsclient checks them (ERR mapping, echo verification →
 * `Protocol error`), `STARTTLS` offered in try-TLS mode, `LOGOUT` on close.
 * {@linkcode NutClient} adds the protocol's verbs on top.
 *
 * @module
 */

import { NutError } from "../errors.ts";
import { replyWords, ResponseParseError } from "../protocol/response.ts";
import { escapeValue } from "../protocol/tokenize.ts";
import { UpsClientError } from "./errors.ts";
import { LineReader } from "./line_reader.ts";
import { strerrorOf, type Transport } from "./transport.ts";
import { DEFAULT_PORT } from "./ups_name.ts";

/** libupsclient's default per-line read timeout (DEFAULT_NETWORK_TIMEOUT). */
export const DEFAULT_READ_TIMEOUT_MS = 5000;

/** The notice Debian's NSS-based libupsclient prints when it starts TLS without a cert db. */
export const NSS_INIT_NOTICE = "Init SSL without certificate database";

const encoder = new TextEncoder();

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * libupsclient's `build_cmd()`: arguments with a space are quoted, all escaped.
 * @param verb `GET`, `LIST`, `INSTCMD` …
 * @param args the arguments
 * @returns the request line
 */
export function buildCmd(verb: string, args: readonly string[]): string {
  let line = verb;
  for (const a of args) line += a.includes(" ") ? ` "${escapeValue(a)}"` : ` ${escapeValue(a)}`;
  return line;
}

function sameWords(q: readonly string[], a: readonly string[]): boolean {
  return q.every((w, i) => w.toLowerCase() === (a[i] ?? "").toLowerCase());
}

/**
 * A connection to upsd with libupsclient's request/reply discipline.
 */
export class UpsConnection implements AsyncDisposable {
  #transport: Transport;
  readonly #reader: LineReader;
  readonly #readTimeoutMs: number;
  #connected = true;
  #queue: Promise<unknown> = Promise.resolve();
  #saidGoodbye = false;
  /** The host this client connected to (for messages). */
  readonly host: string;
  /** The port this client connected to. */
  readonly port: number;

  /**
   * Wraps an open transport.
   * @param transport the connected transport
   * @param options host/port labels and read timeout
   */
  constructor(
    transport: Transport,
    options: { host?: string; port?: number; readTimeoutMs?: number } = {},
  ) {
    this.#transport = transport;
    this.#reader = new LineReader(transport);
    this.#readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.host = options.host ?? "";
    this.port = options.port ?? DEFAULT_PORT;
  }

  /**
   * libupsclient's try-SSL step: `STARTTLS`, and TLS when upsd agrees;
   * otherwise the connection goes on in clear text.
   * @param onNotice receives NUT's notice-level lines
   * @throws UpsClientError when the exchange or the TLS handshake fails
   */
  async offerTls(onNotice: ((m: string) => void) | undefined): Promise<void> {
    onNotice?.(NSS_INIT_NOTICE);
    const reply = await this.request("STARTTLS");
    if (!reply.startsWith("OK STARTTLS")) return;
    onNotice?.(`Connecting in SSL to '${this.host}' (no certificate name specified)`);
    const upgrade = this.#transport.startTls;
    if (!upgrade) throw new UpsClientError("SSLFAIL", "SSL is not available");
    try {
      this.#transport = await upgrade.call(this.#transport, this.host);
      this.#reader.transport = this.#transport;
    } catch (e) {
      this.#drop();
      // NUT's NSS path fails here without setting an error code: "Unknown error"
      throw new UpsClientError("UNKNOWN", "Unknown error", { cause: e });
    }
  }

  /** Whether the connection is still usable. */
  get connected(): boolean {
    return this.#connected;
  }

  #drop(): void {
    this.#connected = false;
    this.#transport.close();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.then(() => undefined, () => undefined);
    return next;
  }

  async #send(line: string): Promise<void> {
    if (!this.#connected) throw new UpsClientError("DRVNOTCONN", "Driver not connected");
    try {
      await this.#transport.write(latin1Bytes(`${line}\n`));
    } catch (e) {
      const err = new UpsClientError("WRITE", `Write error: ${strerrorOf(e)}`, { cause: e });
      throw await this.#dropAfter(err);
    }
  }

  async #read(timeoutMs = this.#readTimeoutMs): Promise<string> {
    if (!this.#connected) throw new UpsClientError("DRVNOTCONN", "Driver not connected");
    try {
      return await this.#reader.readLine(timeoutMs);
    } catch (e) {
      throw await this.#dropAfter(e);
    }
  }

  /**
   * A failed read makes libupsclient disconnect, which says LOGOUT first;
   * when that write fails too, its error replaces the read error (so a peer
   * that hung up usually shows as `Write error: Broken pipe`).
   */
  async #dropAfter(e: unknown): Promise<unknown> {
    this.#connected = false;
    const t = this.#transport;
    try {
      await t.write(encoder.encode("LOGOUT\n"));
    } catch (w) {
      if (!(w instanceof Error)) throw w;
      return new UpsClientError("WRITE", `Write error: ${strerrorOf(w)}`, { cause: e });
    } finally {
      t.close();
    }
    return e;
  }

  /**
   * Sends a raw line and returns the raw first reply line (no ERR check).
   * @param line the request without newline
   * @param timeoutMs read timeout for this reply
   * @returns the reply line without newline
   */
  request(line: string, timeoutMs?: number): Promise<string> {
    return this.#serial(async () => {
      await this.#send(line);
      return await this.#read(timeoutMs);
    });
  }

  /**
   * `upscli_sendline()`: sends one raw line. Raw: do not interleave with
   * other calls on the same client.
   * @param line the line without newline
   * @throws UpsClientError `Write error: …`, `Driver not connected`
   */
  sendLine(line: string): Promise<void> {
    return this.#serial(() => this.#send(line));
  }

  /**
   * `upscli_readline()`: reads one raw line.
   * @param timeoutMs read timeout (default the client's)
   * @returns the line without newline
   * @throws UpsClientError `Server disconnected`, `Read error: …`, `Write error: …`
   */
  readLine(timeoutMs?: number): Promise<string> {
    return this.#serial(() => this.#read(timeoutMs));
  }

  /**
   * Sends a raw line and reads a reply; `ERR` lines throw {@linkcode NutError}.
   * @param line the request
   * @returns the reply line
   */
  async command(line: string): Promise<string> {
    const reply = await this.request(line);
    const err = NutError.fromLine(reply);
    if (err) throw err;
    return reply;
  }

  #words(line: string): string[] {
    try {
      return replyWords(line);
    } catch (e) {
      if (e instanceof ResponseParseError) {
        throw new UpsClientError("PARSE", `Parse error: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }

  /**
   * `upscli_get()`: `GET <query…>`, reply words checked to echo the query.
   * @param query e.g. `["VAR", "ups", "ups.status"]`
   * @returns all reply words (`["VAR", "ups", "ups.status", "OL"]`)
   * @throws NutError on `ERR`; UpsClientError `Protocol error` on a mismatch
   */
  get(query: readonly string[]): Promise<string[]> {
    return this.#serial(async () => {
      await this.#send(buildCmd("GET", query));
      const line = await this.#read();
      const err = NutError.fromLine(line);
      if (err) throw err;
      const words = this.#words(line);
      if (words.length < query.length || !sameWords(query, words)) {
        throw new UpsClientError("PROTOCOL", "Protocol error");
      }
      return words;
    });
  }

  /**
   * `upscli_list_start()`+`upscli_list_next()`: `LIST <query…>` and its rows.
   * @param query e.g. `["VAR", "ups"]`
   * @returns every row's words (each echoing the query)
   * @throws NutError on `ERR`; UpsClientError `Protocol error` on a bad block
   */
  async list(query: readonly string[]): Promise<string[][]> {
    const { rows, error } = await this.listLenient(query);
    if (error !== undefined) throw error;
    return rows;
  }

  /**
   * Like {@linkcode NutClient.list}, but a failure after `BEGIN LIST` ends
   * the list instead of throwing (NUT's clients loop on `upscli_list_next()
   * == 1` and treat a mid-list error as the end): the rows so far and the
   * error are returned.
   * @param query e.g. `["VAR", "ups"]`
   * @returns the rows read and the error that ended them early, if any
   * @throws NutError / UpsClientError when the list does not even start
   */
  listLenient(
    query: readonly string[],
    options: { lastRequest?: boolean } = {},
  ): Promise<{ rows: string[][]; error?: Error }> {
    return this.#serial(async () => {
      await this.#send(buildCmd("LIST", query));
      const first = await this.#read();
      const err = NutError.fromLine(first);
      if (err) throw err;
      const head = this.#words(first);
      if (
        head.length < 2 || head[0]!.toUpperCase() !== "BEGIN" ||
        head[1]!.toUpperCase() !== "LIST" || !sameWords(query, head.slice(2))
      ) {
        throw new UpsClientError("PROTOCOL", "Protocol error");
      }
      if (options.lastRequest) await this.#logoutEarly();
      const rows: string[][] = [];
      try {
        for (let i = 0; i < 10_000_000; i++) {
          const line = await this.#read();
          const e = NutError.fromLine(line);
          if (e) throw e;
          const w = this.#words(line);
          if (w.length < 1) throw new UpsClientError("PROTOCOL", "Protocol error");
          if (w.length >= 2 && w[0] === "END" && w[1] === "LIST") return { rows };
          if (!sameWords(query, w)) throw new UpsClientError("PROTOCOL", "Protocol error");
          rows.push(w);
        }
        throw new UpsClientError("PROTOCOL", "Protocol error");
      } catch (e) {
        if (e instanceof NutError || e instanceof UpsClientError) return { rows, error: e };
        throw e;
      }
    });
  }

  /** Sends `LOGOUT`, reads `OK Goodbye`, closes. */
  async logout(): Promise<void> {
    try {
      await this.request("LOGOUT");
    } finally {
      this.#drop();
    }
  }

  /** Like `upscli_disconnect()`: sends `LOGOUT` without reading the reply, closes. */
  /**
   * Sends the closing `LOGOUT` as soon as a list has begun (one-shot
   * clients). upsd 2.8.0 writes a list line by line, so after `BEGIN LIST`
   * the rest waits in its kernel (Nagle) for our ACK, which Linux delays by
   * up to 40 ms; data from us carries the ACK at once. upsd still finishes
   * the list before it reads the LOGOUT.
   */
  async #logoutEarly(): Promise<void> {
    try {
      await this.#transport.write(encoder.encode("LOGOUT\n"));
      this.#saidGoodbye = true;
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // a failing write shows up on the next read, as libupsclient would see it
    }
  }

  close(): void {
    if (!this.#connected) return;
    this.#connected = false;
    const t = this.#transport;
    if (this.#saidGoodbye) {
      t.close();
      return;
    }
    t.write(encoder.encode("LOGOUT\n")).then(() => t.close(), () => t.close());
  }

  /** Closes (sends LOGOUT) when leaving an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    const t = this.#transport;
    try {
      if (!this.#saidGoodbye) await t.write(encoder.encode("LOGOUT\n"));
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // the peer is gone; nothing left to say goodbye to
    } finally {
      t.close();
    }
  }
}
