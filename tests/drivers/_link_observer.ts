/**
 * Watches a driver through its socket the way upsd does: `DUMPALL`, then
 * every broadcast applied to a mirror {@linkcode UpsState}.
 * @module
 */

import { LinkReader, parseDriverMessage } from "../../core/protocol/driver_link.ts";
import { UpsState } from "../../core/state/ups_state.ts";
import { waitFor } from "../_helpers/wait.ts";

/** A live mirror of one driver's data. */
export interface Observer extends AsyncDisposable {
  /** The mirror. */
  readonly state: UpsState;
  /** Whether the first DUMPDONE arrived. */
  dumped(): boolean;
  /** Sends a raw line to the driver. */
  send(line: string): Promise<void>;
  /** Lines received so far (words joined by spaces). */
  readonly lines: string[];
  /** `var: value` lines of the mirror, sorted as upsc shows them. */
  snapshot(): string;
}

/**
 * Connects to a driver socket and mirrors it.
 * @param path socket path
 * @returns the observer (dispose to disconnect)
 */
export async function observe(path: string): Promise<Observer> {
  const conn = await Deno.connect({ transport: "unix", path });
  const state = new UpsState();
  const reader = new LinkReader(parseDriverMessage);
  const lines: string[] = [];
  let dumped = false;
  const pump = (async () => {
    const buf = new Uint8Array(65536);
    try {
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        for (const l of reader.push(buf.subarray(0, n))) {
          lines.push(l.words.join(" "));
          if (l.message?.kind === "dumpdone") dumped = true;
          if (l.message) state.apply(l.message);
        }
      }
    } catch (e) {
      if (
        !(e instanceof Deno.errors.BadResource || e instanceof Deno.errors.ConnectionReset ||
          e instanceof Deno.errors.Interrupted)
      ) {
        throw e;
      }
    }
  })();
  const send = async (line: string) => {
    await conn.write(new TextEncoder().encode(line));
  };
  await send("DUMPALL\n");
  await waitFor(() => dumped, { timeout: 15_000, what: `DUMPDONE from ${path}` });
  return {
    state,
    dumped: () => dumped,
    send,
    lines,
    snapshot: () => state.list().map((v) => `${v.name}: ${v.value}\n`).join(""),
    async [Symbol.asyncDispose]() {
      conn.close();
      await pump;
    },
  };
}
