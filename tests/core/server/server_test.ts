import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { Upsd } from "../../../core/server/server.ts";
import { DriverPool } from "../../../core/server/driver_pool.ts";
import { AccessControl } from "../../../core/server/acl.ts";
import { LimitedLog } from "../../../core/server/log_limit.ts";
import { Tracking } from "../../../core/server/tracking.ts";
import { parseCmdvartab } from "../../../core/server/descriptions.ts";
import { parseUpsdUsers } from "../../../core/config/upsd_users.ts";
import { lineLogger } from "../../../core/runtime/logger.ts";
import { FakeClock, MemDriver, MemListener, settle } from "./_memory.ts";

const DUMP =
  'SETINFO ups.status "OL"\nSETINFO battery.charge "100"\nADDCMD load.off\nDATAOK\nDUMPDONE\n';

async function setup(options: { maxConn?: number; maxAge?: number } = {}) {
  const clock = new FakeClock();
  const logLines: string[] = [];
  const log = new LimitedLog(lineLogger((l) => logLines.push(l.trimEnd())), clock);
  const tracking = new Tracking(clock, () => 3600);
  const drivers: MemDriver[] = [];
  const pool = new DriverPool({
    clock,
    log,
    tracking,
    connect: () => {
      const d = new MemDriver();
      drivers.push(d);
      return Promise.resolve(d);
    },
    maxAge: () => options.maxAge ?? 15,
  });
  pool.load([{ name: "ups1", driver: "dummy-ups", desc: "One" }]);
  await pool.connectAll();
  drivers[0]!.say(DUMP);
  const users = parseUpsdUsers("[mon]\npassword=pw\nupsmon primary\n", { file: "upsd.users" });
  const listener = new MemListener();
  const upsd = new Upsd({
    listeners: [listener],
    pool,
    acl: new AccessControl(() => users, clock, log),
    descriptions: parseCmdvartab('VARDESC ups.status "UPS status"\n'),
    tracking,
    log,
    clock,
    maxConn: () => options.maxConn ?? 100,
  });
  upsd.start();
  await settle();
  return {
    clock,
    logLines,
    drivers,
    listener,
    upsd,
    async [Symbol.asyncDispose]() {
      await upsd.shutdown();
    },
  };
}

async function ask(conn: { send(t: string): void; output: string }, text: string): Promise<string> {
  const before = conn.output.length;
  conn.send(text);
  await settle();
  return conn.output.slice(before);
}

Deno.test("Upsd writes a whole LIST reply in one write", { permissions: "none" }, async () => {
  await using s = await setup();
  const c = s.listener.connect();
  await ask(c, "LIST VAR ups1\n");
  assertEquals(c.writes, [
    'BEGIN LIST VAR ups1\nVAR ups1 battery.charge "100"\nVAR ups1 ups.status "OL"\nEND LIST VAR ups1\n',
  ]);
});

Deno.test("Upsd answers pipelined requests in order in one write per read", {
  permissions: "none",
}, async () => {
  await using s = await setup();
  const c = s.listener.connect();
  await ask(c, "VER\nGET VAR ups1 ups.status\nNETVER\n");
  assertEquals(c.writes.length, 1);
  assertEquals(
    c.output,
    'Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/\nVAR ups1 ups.status "OL"\n1.3\n',
  );
});

Deno.test("Upsd drops a client idle for more than 60 s", { permissions: "none" }, async () => {
  await using s = await setup();
  const c = s.listener.connect();
  await ask(c, "VER\n");
  s.clock.advance(59_000);
  s.upsd.tick();
  await settle();
  assertEquals(c.closed, false);
  s.clock.advance(2_000);
  s.upsd.tick();
  await settle();
  assertEquals(c.closed, true);
  assertEquals(s.upsd.clientCount, 0);
});

Deno.test("Upsd drops a client that stops reading, and only that one", {
  permissions: "none",
}, async () => {
  await using s = await setup();
  const hog = s.listener.connect();
  hog.stuck = true;
  hog.send("LIST VAR ups1\n");
  const other = s.listener.connect();
  await settle();
  assertEquals(await ask(other, "GET VAR ups1 ups.status\n"), 'VAR ups1 ups.status "OL"\n');
  s.clock.advance(11_000);
  s.upsd.tick();
  await settle();
  assertEquals([hog.closed, other.closed], [true, false]);
  ok(s.logLines.includes("Dropping client 127.0.0.1: it does not read its replies"));
});

Deno.test("Upsd pings a quiet driver and reports stale data after MAXAGE", {
  permissions: "none",
}, async () => {
  await using s = await setup({ maxAge: 15 });
  const c = s.listener.connect();
  assertEquals(await ask(c, "GET VAR ups1 ups.status\n"), 'VAR ups1 ups.status "OL"\n');
  s.clock.advance(6_000);
  s.upsd.tick();
  await settle();
  assertEquals(s.drivers[0]!.fromServer, ["DUMPALL", "PING"]);
  s.clock.advance(11_000);
  s.upsd.tick();
  assertEquals(await ask(c, "GET VAR ups1 ups.status\n"), "ERR DATA-STALE\n");
  ok(s.logLines.includes("Data for UPS [ups1] is stale - check driver"));
  s.drivers[0]!.say("PONG\n");
  await settle();
  s.upsd.tick();
  assertEquals(await ask(c, "GET VAR ups1 ups.status\n"), 'VAR ups1 ups.status "OL"\n');
  ok(s.logLines.includes("UPS [ups1] data is no longer stale"));
});

Deno.test("Upsd honours the driver's DATASTALE after its dump, and a hang-up", {
  permissions: "none",
}, async () => {
  await using s = await setup();
  const c = s.listener.connect();
  s.drivers[0]!.say("DATASTALE\n");
  await settle();
  s.upsd.tick();
  assertEquals(await ask(c, "LIST VAR ups1\n"), "ERR DATA-STALE\n");
  s.drivers[0]!.say("DATAOK\n");
  await settle();
  s.upsd.tick();
  assertEquals(await ask(c, "GET VAR ups1 battery.charge\n"), 'VAR ups1 battery.charge "100"\n');
  s.drivers[0]!.close();
  await settle();
  assertEquals(await ask(c, "GET VAR ups1 battery.charge\n"), "ERR DRIVER-NOT-CONNECTED\n");
  assertEquals(await ask(c, "GET UPSDESC ups1\n"), 'UPSDESC ups1 "One"\n');
});

Deno.test(
  "Upsd accepts no more than MAXCONN clients at once",
  { permissions: "none" },
  async () => {
    await using s = await setup({ maxConn: 1 });
    const a = s.listener.connect();
    const b = s.listener.connect();
    await settle();
    assertEquals(s.listener.accepted, 1);
    assertEquals(await ask(a, "LOGOUT\n"), "OK Goodbye\n");
    await settle();
    assertEquals(a.closed, true);
    assertEquals(s.listener.accepted, 2);
    assertEquals(await ask(b, "NETVER\n"), "1.3\n");
  },
);

Deno.test("Upsd keeps FSD across a driver reconnect and counts logins", {
  permissions: "none",
}, async () => {
  await using s = await setup();
  const c = s.listener.connect();
  assertEquals(
    await ask(c, "USERNAME mon\nPASSWORD pw\nLOGIN ups1\nFSD ups1\nGET VAR ups1 ups.status\n"),
    'OK\nOK\nOK\nOK FSD-SET\nVAR ups1 ups.status "FSD OL"\n',
  );
  s.drivers[0]!.close();
  await settle();
  s.upsd.tick();
  await settle();
  s.drivers[1]!.say(DUMP);
  await settle();
  assertEquals(
    await ask(c, "GET VAR ups1 ups.status\nGET NUMLOGINS ups1\n"),
    'VAR ups1 ups.status "FSD OL"\nNUMLOGINS ups1 1\n',
  );
  c.close();
  await settle();
  const d = s.listener.connect();
  assertEquals(await ask(d, "GET NUMLOGINS ups1\n"), "NUMLOGINS ups1 0\n");
  ok(s.logLines.includes("User mon@127.0.0.1 logged into UPS [ups1]"));
  ok(s.logLines.includes("Client mon@127.0.0.1 set FSD on UPS [ups1]"));
});

Deno.test("Upsd answers a repeated request with the data of the moment", {
  permissions: "none",
}, async () => {
  await using s = await setup({ maxAge: 1_000_000 });
  const c = s.listener.connect();
  const other = s.listener.connect();
  const q = "GET VAR ups1 ups.status\n";
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "OL"\n');
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "OL"\n');
  s.drivers[0]!.say('SETINFO ups.status "OB LB"\n');
  await settle();
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "OB LB"\n');
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "OB LB"\n');
  // FSD from another connection changes what the same line answers
  await ask(other, "USERNAME mon\nPASSWORD pw\nLOGIN ups1\n");
  assertEquals(await ask(other, "FSD ups1\n"), "OK FSD-SET\n");
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "FSD OB LB"\n');
  // a repeated request keeps the connection from going idle
  for (let i = 0; i < 3; i++) {
    s.clock.advance(40_000);
    assertEquals(await ask(c, q), 'VAR ups1 ups.status "FSD OB LB"\n');
    s.upsd.tick();
    await settle();
  }
  assertEquals(c.closed, false);
  // the same bytes after a partial line are not the same request
  assertEquals(await ask(c, "GET VAR ups1 "), "");
  ok((await ask(c, q)).startsWith("ERR "));
  assertEquals(await ask(c, q), 'VAR ups1 ups.status "FSD OB LB"\n');
});
