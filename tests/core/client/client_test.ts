import assert from "node:assert/strict";
import { NSS_INIT_NOTICE, NutClient } from "../../../core/client/client.ts";
import { clientErrorText, libupsclientText, UpsClientError } from "../../../core/client/errors.ts";
import { connectTcp } from "../../../core/client/transport.ts";
import { NutError } from "../../../core/errors.ts";
import { freePort } from "../../_helpers/ports.ts";
import { type Handler, memoryUpsd, simpleUpsd, tcpUpsd } from "./_fake_upsd.ts";

const VARS = { "battery.charge": "100", "ups.status": "OL", "ups.mfr": 'A "q" \\ #' };

function client(handler: Handler, byteByByte = false) {
  const { client: t, seen } = memoryUpsd(handler, { byteByByte });
  return { c: new NutClient(t, { host: "test", readTimeoutMs: 2000 }), seen };
}

for (const byteByByte of [false, true]) {
  const how = byteByByte ? "byte by byte" : "in one chunk";
  Deno.test(`NutClient reads GET and LIST replies delivered ${how}`, async () => {
    const { c, seen } = client(simpleUpsd(VARS), byteByByte);
    assert.equal(await c.getVar("ups", "ups.mfr"), 'A "q" \\ #');
    assert.deepEqual(
      await c.listVars("ups"),
      Object.entries(VARS).map(([name, value]) => ({ name, value })),
    );
    assert.deepEqual(await c.listUps(), [{ name: "ups", desc: "Test UPS" }]);
    await c[Symbol.asyncDispose]();
    await seen.closed;
    assert.deepEqual(seen.lines, [
      "GET VAR ups ups.mfr",
      "LIST VAR ups",
      "LIST UPS",
      "LOGOUT",
    ]);
  });
}

Deno.test("NutClient turns ERR replies into NutError with libupsclient's text", async () => {
  const { c } = client(simpleUpsd(VARS));
  await assert.rejects(c.getVar("nope", "ups.status"), (e) => {
    assert.ok(e instanceof NutError);
    assert.equal(e.code, "UNKNOWN-UPS");
    assert.equal(clientErrorText(e), "Unknown UPS");
    return true;
  });
  await assert.rejects(c.listVars("nope"), NutError);
  c.close();
});

Deno.test("NutClient reports a reply that does not echo the query as Protocol error", async () => {
  const { c } = client((line) => {
    if (line.startsWith("GET")) return 'VAR other ups.status "OL"';
    if (line === "LIST VAR ups") return ["BEGIN LIST VAR ups", 'VAR x y "z"', "END LIST VAR ups"];
    return "BEGIN LIST UPSX";
  });
  for (const p of [c.getVar("ups", "ups.status"), c.listVars("ups"), c.listUps()]) {
    await assert.rejects(p, (e) => e instanceof UpsClientError && e.message === "Protocol error");
  }
  c.close();
});

Deno.test("listLenient() returns the rows before a mid-list error, like upscli_list_next()", async () => {
  const { c } = client(() => ["BEGIN LIST VAR ups", 'VAR ups a.b "1"', "ERR DATA-STALE"]);
  const r = await c.listLenient(["VAR", "ups"]);
  assert.deepEqual(r.rows, [["VAR", "ups", "a.b", "1"]]);
  assert.ok(r.error instanceof NutError && r.error.code === "DATA-STALE");
  c.close();
});

Deno.test("NutClient: a hang-up fails the goodbye LOGOUT too, later calls 'Driver not connected'", async () => {
  const { c } = client(() => "close");
  // like libupsclient: the read sees EOF, disconnect writes LOGOUT, that error wins
  await assert.rejects(
    c.getVar("ups", "ups.status"),
    (e) => e instanceof UpsClientError && e.message === "Write error: Broken pipe",
  );
  assert.equal(c.connected, false);
  await assert.rejects(
    c.getVar("ups", "ups.status"),
    (e) => e instanceof UpsClientError && e.message === "Driver not connected",
  );
});

Deno.test("NutClient: a silent server times out as 'Server disconnected'", async () => {
  // a real socket: the deadline needs a pending I/O op to keep the event loop alive
  await using srv = tcpUpsd(() => undefined);
  const c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, readTimeoutMs: 100 });
  const t0 = performance.now();
  await assert.rejects(c.getVar("ups", "x.y"), { message: "Server disconnected" });
  assert.ok(performance.now() - t0 >= 90, "waited for the deadline");
});

Deno.test("NutClient sends PRIMARY and falls back to MASTER like upsmon", async () => {
  const { c, seen } = client((l) => {
    if (l.startsWith("PRIMARY")) return "ERR UNKNOWN-COMMAND";
    if (l.startsWith("MASTER")) return "OK MASTER-GRANTED";
    return "OK";
  });
  await c.username("mon");
  await c.password("pw");
  await c.login("ups");
  assert.equal(await c.primary("ups"), "MASTER");
  await c.fsd("ups");
  c.close();
  await seen.closed;
  assert.deepEqual(seen.lines, [
    "USERNAME mon",
    "PASSWORD pw",
    "LOGIN ups",
    "PRIMARY ups",
    "MASTER ups",
    "FSD ups",
    "LOGOUT",
  ]);
});

Deno.test("NutClient SET/INSTCMD return tracking ids and quote like libupsclient", async () => {
  const id = "1BD31808-CB49-4AEC-9D75-D056E6F018D2";
  const { c, seen } = client((l) => {
    if (l === "GET TRACKING") return "ON";
    if (l.startsWith("GET TRACKING ")) return "SUCCESS";
    return l.startsWith("SET TRACKING") ? "OK" : `OK TRACKING ${id}`;
  });
  await c.setTracking(true);
  assert.equal(await c.getTracking(), "ON");
  assert.equal(await c.setVar("ups", "ups.id", 'my "ups" #1'), id);
  assert.equal(await c.instCmd("ups", "test.battery.start", "10 s"), id);
  assert.equal(await c.getTracking(id), "SUCCESS");
  c.close();
  await seen.closed;
  assert.deepEqual(seen.lines.slice(2, 4), [
    'SET VAR ups ups.id "my \\"ups\\" \\#1"',
    'INSTCMD ups test.battery.start "10 s"',
  ]);
});

Deno.test("NutClient queries TYPE, DESC, CMDDESC, UPSDESC, NUMLOGINS, ENUM, RANGE, CLIENT, CMD, RW", async () => {
  const { c } = client((l) => {
    const map: Record<string, string | string[]> = {
      "GET TYPE ups x.y": "TYPE ups x.y RW ENUM STRING:10",
      "GET DESC ups x.y": 'DESC ups x.y "The x"',
      "GET CMDDESC ups a.b": 'CMDDESC ups a.b "Does a"',
      "GET UPSDESC ups": 'UPSDESC ups "Main"',
      "GET NUMLOGINS ups": "NUMLOGINS ups 2",
      "LIST ENUM ups x.y": ["BEGIN LIST ENUM ups x.y", 'ENUM ups x.y "a"', "END LIST ENUM ups x.y"],
      "LIST RANGE ups x.y": [
        "BEGIN LIST RANGE ups x.y",
        'RANGE ups x.y "1" "5"',
        "END LIST RANGE ups x.y",
      ],
      "LIST CLIENT ups": ["BEGIN LIST CLIENT ups", "CLIENT ups 127.0.0.1", "END LIST CLIENT ups"],
      "LIST CMD ups": ["BEGIN LIST CMD ups", "CMD ups a.b", "END LIST CMD ups"],
      "LIST RW ups": ["BEGIN LIST RW ups", 'RW ups x.y "a"', "END LIST RW ups"],
    };
    return map[l] ?? "ERR UNKNOWN-COMMAND";
  });
  assert.deepEqual(await c.getType("ups", "x.y"), ["RW", "ENUM", "STRING:10"]);
  assert.equal(await c.getDesc("ups", "x.y"), "The x");
  assert.equal(await c.getCmdDesc("ups", "a.b"), "Does a");
  assert.equal(await c.getUpsDesc("ups"), "Main");
  assert.equal(await c.getNumLogins("ups"), 2);
  assert.deepEqual(await c.listEnum("ups", "x.y"), ["a"]);
  assert.deepEqual(await c.listRange("ups", "x.y"), [{ min: "1", max: "5" }]);
  assert.deepEqual(await c.listClients("ups"), ["127.0.0.1"]);
  assert.deepEqual(await c.listCmds("ups"), ["a.b"]);
  assert.deepEqual(await c.listRw("ups"), [{ name: "x.y", value: "a" }]);
  c.close();
});

Deno.test("NutClient.connect() in try-TLS mode sends STARTTLS first, notices, falls back", async () => {
  await using srv = tcpUpsd(simpleUpsd(VARS));
  const notices: string[] = [];
  const c = await NutClient.connect({
    host: "127.0.0.1",
    port: srv.port,
    tryTls: true,
    onNotice: (m) => notices.push(m),
  });
  assert.equal(await c.getVar("ups", "ups.status"), "OL");
  await c[Symbol.asyncDispose]();
  assert.deepEqual(notices, [NSS_INIT_NOTICE]);
  const { waitFor } = await import("../../_helpers/wait.ts");
  await waitFor(() => srv.lines.length === 3, { what: "LOGOUT" });
  assert.deepEqual(srv.lines, ["STARTTLS", "GET VAR ups ups.status", "LOGOUT"]);
});

Deno.test("NutClient talks to an IPv6 literal host", async () => {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: "::1", port: 0 });
  } catch (e) {
    if (e instanceof Deno.errors.AddrNotAvailable) return; // no IPv6 loopback here
    throw e;
  }
  const port = (listener.addr as Deno.NetAddr).port;
  const serving = (async () => {
    const conn = await listener.accept();
    const buf = new Uint8Array(100);
    await conn.read(buf);
    await conn.write(new TextEncoder().encode('VAR ups ups.status "OL"\n'));
    await conn.read(buf);
    conn.close();
  })();
  const c = await NutClient.connect({ host: "::1", port });
  assert.equal(await c.getVar("ups", "ups.status"), "OL");
  await c[Symbol.asyncDispose]();
  await serving;
  listener.close();
});

Deno.test("connectTcp() failures carry libupsclient's texts", async () => {
  await assert.rejects(connectTcp({ host: "127.0.0.1", port: freePort() }), (e) => {
    assert.ok(e instanceof UpsClientError);
    assert.equal(e.message, "Connection failure: Connection refused");
    return true;
  });
  await assert.rejects(connectTcp({ host: "nonexistent.invalid", port: 3493 }), {
    message: "No such host",
  });
});

Deno.test("libupsclientText() maps every ERR code by prefix, unknown ones to 'Unknown error'", {
  permissions: "none",
}, () => {
  const table: [string, string][] = [
    ["ACCESS-DENIED", "Access denied"],
    ["UNKNOWN-UPS", "Unknown UPS"],
    ["VAR-NOT-SUPPORTED", "Variable not supported by UPS"],
    ["CMD-NOT-SUPPORTED", "Instant command not supported"],
    ["INVALID-ARGUMENT", "Unknown error"],
    ["INSTCMD-FAILED", "Instant command failed"],
    ["SET-FAILED", "Set command failed"],
    ["READONLY", "Read-only variable"],
    ["TOO-LONG", "New value is too long"],
    ["INVALID-VALUE", "Invalid value for variable"],
    ["FEATURE-NOT-SUPPORTED", "Unknown error"],
    ["FEATURE-NOT-CONFIGURED", "Unknown error"],
    ["ALREADY-SSL-MODE", "Unknown error"],
    ["DRIVER-NOT-CONNECTED", "Driver not connected"],
    ["DATA-STALE", "Data stale"],
    ["ALREADY-LOGGED-IN", "Already logged in"],
    ["ALREADY-SET-PASSWORD", "Already set password"],
    ["ALREADY-SET-USERNAME", "Already set username"],
    ["USERNAME-REQUIRED", "Username required"],
    ["PASSWORD-REQUIRED", "Password required"],
    ["UNKNOWN-COMMAND", "Unknown command"],
    ["INVALID-USERNAME", "Invalid username"],
    ["INVALID-PASSWORD", "Invalid password"],
    ["VAR-UNKNOWN", "Variable unknown"],
    ["UNKNOWN-TYPE", "Unknown variable type"],
    ["UNKNOWN-INSTCMD", "Unknown instant command"],
    ["MISSING-ARGUMENT", "Missing argument"],
    ["PASSWORD-INCORRECT", "Password incorrect"],
    ["UNKNOWN-VAR", "Unknown variable"],
    ["ACCESS-DENIED-AND-MORE", "Access denied"],
    ["", "Unknown error"],
  ];
  for (const [code, text] of table) assert.equal(libupsclientText(code), text, code);
});
