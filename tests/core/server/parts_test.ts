import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { MAX_REPLY_LINE, valueLine } from "../../../core/server/reply.ts";
import { AccessControl, MAX_DELAY_MS } from "../../../core/server/acl.ts";
import { LimitedLog } from "../../../core/server/log_limit.ts";
import { Tracking, trackingText } from "../../../core/server/tracking.ts";
import { parseCmdvartab } from "../../../core/server/descriptions.ts";
import { requestWords } from "../../../core/server/session.ts";
import { parseUpsdUsers } from "../../../core/config/upsd_users.ts";
import { lineLogger, nullLogger } from "../../../core/runtime/logger.ts";
import { tokenize } from "../../../core/protocol/tokenize.ts";
import { FakeClock } from "./_memory.ts";

Deno.test(
  "valueLine() never passes 512 bytes and keeps escapes whole",
  { permissions: "none" },
  () => {
    for (const v of ["x".repeat(1000), "\\".repeat(600), '"'.repeat(300) + "#", "ok"]) {
      const l = valueLine("VAR ups1 some.var", v);
      ok(l.length <= MAX_REPLY_LINE, `${l.length}`);
      const words = tokenize(l)[0]!;
      assertEquals(words.error, undefined);
      assertEquals(words.words.length, 4);
      ok(v.startsWith(words.words[3]!));
    }
  },
);

Deno.test("AccessControl slows repeated wrong guesses but never the right password", {
  permissions: "none",
}, () => {
  const clock = new FakeClock();
  const users = parseUpsdUsers("[mon]\npassword=pw\nupsmon primary\n", { file: "upsd.users" });
  const acl = new AccessControl(() => users, clock, new LimitedLog(nullLogger, clock));
  const bad = { username: "mon", password: "guess", ip: "10.0.0.9" };
  const delays = Array.from({ length: 40 }, () => acl.action(bad, "LOGIN").delayMs);
  assertEquals(delays.slice(0, 5), [0, 0, 0, 0, 0]);
  ok(delays[6]! > 0);
  assertEquals(Math.max(...delays), MAX_DELAY_MS);
  assertEquals(acl.action({ ...bad, password: "pw" }, "LOGIN"), { granted: true, delayMs: 0 });
  // a valid user lacking a right is refused at once (nothing to guess)
  assertEquals(acl.action({ ...bad, password: "pw" }, "SET"), { granted: false, delayMs: 0 });
  // another address is not slowed by this one's guesses
  assertEquals(acl.action({ ...bad, ip: "10.0.0.10" }, "LOGIN").delayMs, 0);
  clock.advance(61_000);
  assertEquals(acl.action(bad, "LOGIN").delayMs, 0);
});

Deno.test("LimitedLog bounds a flood to a burst and one summary per window", {
  permissions: "none",
}, () => {
  const clock = new FakeClock();
  const lines: string[] = [];
  const log = new LimitedLog(lineLogger((l) => lines.push(l)), clock, {
    burst: 3,
    windowMs: 10_000,
  });
  for (let i = 0; i < 100_000; i++) log.info("flood", `bad line ${i}`);
  clock.advance(10_001);
  log.tick();
  assertEquals(lines, [
    "bad line 0\n",
    "bad line 1\n",
    "bad line 2\n",
    "(99997 similar messages suppressed: bad line 99999)\n",
  ]);
});

Deno.test("Tracking forgets ids after TRACKINGDELAY and maps driver results", {
  permissions: "none",
}, () => {
  const clock = new FakeClock();
  const t = new Tracking(clock, () => 10);
  const id = t.create();
  t.set(id.toLowerCase(), 3);
  assertEquals(t.get(id), "ERR FAILED");
  clock.advance(11_000);
  t.cleanup();
  assertEquals(t.get(id), undefined);
  assertEquals([0, 1, 2, 3, 4, undefined].map(trackingText), [
    "SUCCESS",
    "ERR UNKNOWN",
    "ERR INVALID-ARGUMENT",
    "ERR FAILED",
    "ERR UNKNOWN",
    "PENDING",
  ]);
});

Deno.test("parseCmdvartab() matches names case-insensitively, later lines win", {
  permissions: "none",
}, () => {
  const d = parseCmdvartab(
    '# comment\nVARDESC a.b "First"\nVARDESC A.B "Second"\n  CMDDESC x.y "With \\"quotes\\""\nbroken line\n',
  );
  assertEquals(d.variable("a.b"), "Second");
  assertEquals(d.command("X.Y"), 'With "quotes"');
});

Deno.test("requestWords() agrees with the tokenizer on plain and odd lines", {
  permissions: "none",
}, () => {
  for (const l of ["GET VAR u x", "  LIST   UPS  ", 'SET VAR u x "a b"', "a=b", "x\\ y", "\tVER"]) {
    assertEquals(requestWords(l), tokenize(l + "\n")[0]?.words ?? [], l);
  }
  assertEquals(requestWords('GET VAR u "a#b"'), {
    error: "Unbalanced word due to unescaped # in quotes",
  });
});
