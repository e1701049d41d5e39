/**
 * A scripted driver for upsd tests: listens on a driver socket, answers
 * DUMPALL with a fixed dump (ENUM, RANGE, flags, aux — things dummy-ups
 * never sends), PONG to PING, applies SET and reports TRACKING results.
 * Both Debian's upsd and ours can connect to it at once.
 * @module
 */

import { tokenize } from "../../core/protocol/tokenize.ts";

/** A dump exercising every variable kind. */
export const FAKE_DUMP = [
  'SETINFO battery.charge "87"',
  'SETINFO device.model "Fake \\"Model\\" \\#1 \\\\ x"',
  'SETINFO driver.name "fake"',
  'SETINFO input.transfer.low "170"',
  'ADDENUM input.transfer.low "160"',
  'ADDENUM input.transfer.low "170"',
  'ADDENUM input.transfer.low "180"',
  "SETFLAGS input.transfer.low RW NUMBER",
  'SETINFO input.transfer.high "280"',
  "ADDRANGE input.transfer.high 250 290",
  "ADDRANGE input.transfer.high 300 310",
  "SETFLAGS input.transfer.high RW NUMBER",
  'SETINFO ups.id "box"',
  "SETAUX ups.id 8",
  "SETFLAGS ups.id RW STRING",
  'SETINFO ups.badaux "x"',
  "SETFLAGS ups.badaux RW STRING",
  'SETINFO Ups.Mixed "MiXeD"',
  'SETINFO ups.status "OL CHRG"',
  'SETINFO ups.delay.shutdown "20"',
  "SETFLAGS ups.delay.shutdown RW",
  'SETINFO ups.long "' + "v".repeat(250) + '"',
  "ADDCMD test.battery.start",
  "ADDCMD load.off",
  "ADDCMD Beeper.Toggle",
  "DATAOK",
  "DUMPDONE",
];

/** A running fake driver. */
export interface FakeDriver extends AsyncDisposable {
  /** Lines upsd sent it. */
  readonly received: string[];
}

/**
 * Starts the fake driver on a socket path.
 * @param path the socket path (`STATEPATH/<driver>-<ups>`)
 * @returns the driver; dispose closes it
 */
export function startFakeDriver(path: string): FakeDriver {
  const listener = Deno.listen({ transport: "unix", path });
  const received: string[] = [];
  const conns = new Set<Deno.Conn>();
  const enc = new TextEncoder();
  const serve = async (c: Deno.Conn) => {
    conns.add(c);
    const buf = new Uint8Array(4096);
    let pending = "";
    // upsd may hang up while we answer: that ends this connection, nothing more
    const send = (l: string) =>
      c.write(enc.encode(l + "\n")).catch((e) => {
        if (e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset) {
          return 0;
        }
        throw e;
      });
    try {
      while (true) {
        const n = await c.read(buf);
        if (n === null) break;
        pending += new TextDecoder("latin1").decode(buf.subarray(0, n));
        let nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          received.push(line);
          const w = tokenize(line + "\n")[0]?.words ?? [];
          const cmd = w[0]?.toUpperCase();
          if (cmd === "DUMPALL") await send(FAKE_DUMP.join("\n"));
          else if (cmd === "PING") await send("PONG");
          else if (cmd === "SET" || cmd === "INSTCMD") {
            const t = w.indexOf("TRACKING");
            if (t > 0 && w[t + 1]) await send(`TRACKING ${w[t + 1]} ${cmd === "SET" ? 0 : 3}`);
          }
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource || e instanceof Deno.errors.ConnectionReset)) {
        throw e;
      }
    } finally {
      conns.delete(c);
    }
  };
  const loop = (async () => {
    try {
      for await (const c of listener) void serve(c);
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
  })();
  return {
    received,
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch (e) {
          if (!(e instanceof Deno.errors.BadResource)) throw e;
        }
      }
      await loop;
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    },
  };
}
