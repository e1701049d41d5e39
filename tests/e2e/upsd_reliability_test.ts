/**
 * `nut upsd` as a process, fed by the scripted driver: the behaviours the
 * torture tool checks at scale, each in a fast, bounded form.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dialog, startPair } from "../compat/upsd_harness.ts";
import { waitFor } from "../_helpers/wait.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");
const opts = { sanitizeResources: false, sanitizeOps: false };

async function readUntil(
  conn: Deno.Conn,
  done: (s: string) => boolean,
  ms = 5000,
): Promise<string> {
  let out = "";
  const buf = new Uint8Array(65536);
  const deadline = Date.now() + ms;
  while (!done(out) && Date.now() < deadline) {
    const n = await conn.read(buf);
    if (n === null) break;
    out += dec.decode(buf.subarray(0, n));
  }
  return out;
}

Deno.test("nut upsd keeps answering others while a client never reads", opts, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], { real: false });
  const hog = await Deno.connect({ hostname: "127.0.0.1", port: pair.ourPort });
  const burst = enc.encode("LIST VAR fake\n".repeat(20_000));
  // the server stops reading the hog; closing it fails this write, as intended
  const writing = hog.write(burst).catch((e) => {
    if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.BrokenPipe) return 0;
    throw e;
  });
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const [r] = await dialog(pair.ourPort, ["GET VAR fake battery.charge"], 2000);
    assertEquals(r, 'VAR fake battery.charge "87"');
    ok(Date.now() - t0 < 2000, "answered within 2 s (a stalled server never answers)");
  }
  hog.close();
  await writing;
});

Deno.test("nut upsd answers bad bytes with one well-formed ERR line each", opts, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], { real: false });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: pair.ourPort });
  const lines = [
    "\x00\x01\x02",
    "GET VAR fake \xff\xfe",
    'GET VAR fake "a#b"',
    "GET DESC fake " + "x".repeat(600),
    "GET DESC fake we\x7fird",
    'GET DESC fake "sp ace"',
    "A".repeat(5000),
    "VER",
  ];
  await conn.write(Uint8Array.from(lines.join("\n") + "\n", (c) => c.charCodeAt(0)));
  const out = await readUntil(conn, (s) => s.includes("Network UPS Tools"));
  conn.close();
  const replies = out.split("\n").slice(0, -1);
  assertEquals(replies.length, lines.length);
  for (const r of replies) {
    ok(r.length < 512, `short: ${r.slice(0, 40)}`);
    ok(/^[\x20-\x7e]*$/.test(r), `printable: ${JSON.stringify(r)}`);
  }
  assertEquals(replies, [
    "ERR UNKNOWN-COMMAND",
    "ERR VAR-NOT-SUPPORTED",
    "ERR INVALID-ARGUMENT",
    "ERR INVALID-ARGUMENT",
    'DESC fake weird "Description unavailable"',
    'DESC fake "sp ace" "Description unavailable"',
    "ERR TOO-LONG",
    "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/",
  ]);
});

Deno.test("nut upsd answers a half-closed request, then closes", opts, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], { real: false });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: pair.ourPort });
  await conn.write(enc.encode("GET VAR fake ups.status\nLIST CMD fake\n"));
  await conn.closeWrite();
  const out = await readUntil(conn, () => false, 3000);
  conn.close();
  assertEquals(
    out,
    'VAR fake ups.status "OL CHRG"\nBEGIN LIST CMD fake\nCMD fake Beeper.Toggle\nCMD fake load.off\n' +
      "CMD fake test.battery.start\nEND LIST CMD fake\n",
  );
});

Deno.test("nut upsd reloads on SIGHUP without dropping clients", opts, async () => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }], { real: false });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: pair.ourPort });
  await conn.write(enc.encode("USERNAME mon\nPASSWORD pw\nLOGIN fake\n"));
  assertEquals(await readUntil(conn, (s) => s.split("\n").length > 3), "OK\nOK\nOK\n");
  const dir = pair.sandbox.path("ours");
  Deno.writeTextFileSync(
    `${dir}/ups.conf`,
    Deno.readTextFileSync(`${dir}/ups.conf`) + "[later]\n  driver = fake\n  port = none\n",
  );
  pair.ours.kill("SIGHUP");
  await pair.ours.waitForOutput(/SIGHUP: reloading configuration/);
  await waitFor(async () => (await dialog(pair.ourPort, ["LIST UPS"]))[0]?.includes("UPS later"));
  await conn.write(enc.encode("GET NUMLOGINS fake\nLIST UPS\n"));
  const out = await readUntil(conn, (s) => s.includes("END LIST UPS"));
  conn.close();
  assertEquals(
    out,
    'NUMLOGINS fake 1\nBEGIN LIST UPS\nUPS later "Description unavailable"\n' +
      'UPS fake "Description unavailable"\nEND LIST UPS\n',
  );
});

Deno.test("nut upsd listens on several addresses, IPv6 included", opts, async () => {
  const v6 = Deno.listen({ hostname: "::1", port: 0 });
  const port6 = (v6.addr as Deno.NetAddr).port;
  v6.close();
  await using pair = await startPair([{ name: "fake", dev: "fake" }], {
    real: false,
    upsdConf: `LISTEN ::1 ${port6}\n`,
  });
  await pair.ours.waitForOutput(new RegExp(`listening on ::1 port ${port6}`));
  const conn = await Deno.connect({ hostname: "::1", port: port6 });
  await conn.write(enc.encode("USERNAME mon\nPASSWORD pw\nLOGIN fake\nLIST CLIENT fake\n"));
  const out = await readUntil(conn, (s) => s.includes("END LIST CLIENT"));
  conn.close();
  assertEquals(out, "OK\nOK\nOK\nBEGIN LIST CLIENT fake\nCLIENT fake ::1\nEND LIST CLIENT fake\n");
  const [v4] = await dialog(pair.ourPort, ["GET UPSDESC fake"]);
  assertEquals(v4, 'UPSDESC fake "Unavailable"');
});
