import assert from "node:assert/strict";
import { NutClient } from "../../../core/client/client.ts";
import {
  AdminFatal,
  enableTracking,
  runTracked,
  sendCredentials,
} from "../../../core/client/admin.ts";
import { describeRw, renderRwBlock } from "../../../core/client/rw_info.ts";
import { type Handler, memoryUpsd } from "./_fake_upsd.ts";
import { FakeClock } from "../upslog/_fake_clock.ts";
import { waitFor } from "../../_helpers/wait.ts";

const ID = "1BD31808-CB49-4AEC-9D75-D056E6F018D2";

function client(handler: Handler) {
  const { client: t, seen } = memoryUpsd(handler);
  return { c: new NutClient(t, { readTimeoutMs: 1000 }), seen };
}

Deno.test("runTracked() polls GET TRACKING once a second until it is not PENDING", async () => {
  let polls = 0;
  const { c, seen } = client((l) => {
    if (l.startsWith("INSTCMD")) return `OK TRACKING ${ID}`;
    if (l === `GET TRACKING ${ID}`) return ++polls < 3 ? "PENDING" : "SUCCESS";
    return "OK";
  });
  const clock = new FakeClock();
  const result = runTracked(c, "INSTCMD ups load.off", {
    flavor: "upscmd",
    tracking: true,
    timeoutSec: 10,
    clock,
  });
  for (let i = 0; i < 2; i++) {
    await waitFor(() => clock.sleeping === 1, { what: "a 1 s pause" });
    await clock.advance(1000);
  }
  assert.equal(await result, "SUCCESS");
  assert.equal(seen.lines.filter((l) => l.startsWith("GET TRACKING")).length, 3);
  c.close();
});

Deno.test("runTracked() gives up with NUT's timeout text", async () => {
  const { c } = client((l) => (l.startsWith("SET VAR") ? `OK TRACKING ${ID}` : "PENDING"));
  const clock = new FakeClock();
  const result = runTracked(c, 'SET VAR ups x.y "1"', {
    flavor: "upsrw",
    tracking: true,
    timeoutSec: 2,
    clock,
  });
  const check = assert.rejects(
    result,
    (e) =>
      e instanceof AdminFatal && e.message === "Can't receive status tracking information: timeout",
  );
  for (let i = 0; i < 2; i++) {
    await waitFor(() => clock.sleeping === 1, { what: "a 1 s pause" });
    await clock.advance(1000);
  }
  await check;
  c.close();
});

Deno.test("runTracked() returns a plain OK and reports other replies verbatim", async () => {
  const { c } = client((l) => (l.includes("good") ? "OK" : "ERR CMD-NOT-SUPPORTED"));
  const opts = {
    flavor: "upscmd",
    tracking: true,
    timeoutSec: 10,
    clock: new FakeClock(),
  } as const;
  assert.equal(await runTracked(c, "INSTCMD ups good.cmd", opts), "OK");
  await assert.rejects(runTracked(c, "INSTCMD ups bad.cmd", opts), {
    message: "Unexpected response from upsd: ERR CMD-NOT-SUPPORTED",
  });
  c.close();
});

Deno.test("enableTracking() and sendCredentials() use each program's wording", async () => {
  const { c, seen } = client((
    l,
  ) => (l.startsWith("SET TRACKING") ? "ERR INVALID-ARGUMENT" : "ERR X"));
  await sendCredentials(c, "u", "p"); // replies are not checked, as in NUT
  await assert.rejects(enableTracking(c, "upscmd"), {
    message: "Enabling command status tracking failed. upsd answered: ERR INVALID-ARGUMENT",
  });
  await assert.rejects(enableTracking(c, "upsrw"), {
    message: "Enabling set variable status tracking failed. upsd answered: ERR INVALID-ARGUMENT",
  });
  c.close();
  await seen.closed;
  assert.deepEqual(seen.lines.slice(0, 2), ["USERNAME u", "PASSWORD p"]);
  const gone = client(() => "close");
  // the hang-up is seen on read; the LOGOUT libupsclient then writes fails
  await assert.rejects(sendCredentials(gone.c, "u", "p"), {
    message: "Set username failed: Write error: Broken pipe",
  });
  await assert.rejects(sendCredentials(gone.c, "u", "p"), {
    message: "Can't set username: Driver not connected",
  });
});

/** upsd answers for one variable of each kind upsrw knows. */
const RW: Handler = (l) => {
  const table: Record<string, string | string[]> = {
    "GET DESC ups a.enum": 'DESC ups a.enum "An enum"',
    "GET TYPE ups a.enum": "TYPE ups a.enum RW ENUM STRING:8",
    "GET VAR ups a.enum": 'VAR ups a.enum "two"',
    "LIST ENUM ups a.enum": [
      "BEGIN LIST ENUM ups a.enum",
      'ENUM ups a.enum "one"',
      'ENUM ups a.enum "two"',
      "END LIST ENUM ups a.enum",
    ],
    "GET DESC ups a.range": "ERR VAR-NOT-SUPPORTED",
    "GET TYPE ups a.range": "TYPE ups a.range RW ENUM RANGE NUMBER",
    "GET VAR ups a.range": 'VAR ups a.range "15abc"',
    "LIST RANGE ups a.range": [
      "BEGIN LIST RANGE ups a.range",
      'RANGE ups a.range "0" "9"',
      'RANGE ups a.range "10" "20"',
      "END LIST RANGE ups a.range",
    ],
    "GET DESC ups a.odd": 'DESC ups a.odd "Odd"',
    "GET TYPE ups a.odd": "TYPE ups a.odd RW FLOAT NUMBER",
    "GET VAR ups a.odd": 'VAR ups a.odd "1.5"',
    "GET DESC ups a.gone": 'DESC ups a.gone "Gone"',
    "GET TYPE ups a.gone": "TYPE ups a.gone RW STRING:4",
    "GET VAR ups a.gone": "ERR VAR-NOT-SUPPORTED",
    "GET DESC ups a.notype": 'DESC ups a.notype "No type"',
    "GET TYPE ups a.notype": "ERR DATA-STALE",
    "GET DESC ups a.bare": 'DESC ups a.bare "Bare enum"',
    "GET TYPE ups a.bare": "TYPE ups a.bare ENUM",
    "GET VAR ups a.bare": 'VAR ups a.bare "x"',
    "LIST ENUM ups a.bare": ["BEGIN LIST ENUM ups a.bare", "END LIST ENUM ups a.bare"],
  };
  return table[l] ?? "ERR UNKNOWN-COMMAND";
};

Deno.test("describeRw() prints each type the way upsrw 2.8.0 does", async (t) => {
  const { c } = client(RW);
  const cases: [string, string, string | undefined][] = [
    [
      "a.enum",
      '[a.enum]\nAn enum\nType: ENUM STRING\nMaximum length: 8\nOption: "one"\nOption: "two" SELECTED\n\n',
      undefined,
    ],
    [
      "a.range",
      '[a.range]\nDescription unavailable\nType: RANGE NUMBER\nOption: "0-9"\nOption: "10-20" SELECTED\n\n',
      undefined,
    ],
    ["a.odd", "[a.odd]\nOdd\nType: FLOAT (unrecognized)\nType: NUMBER\nValue: 1.5\n\n", undefined],
    ["a.gone", "[a.gone]\nGone\n", "do_string: can't get current value of a.gone"],
    ["a.notype", "[a.notype]\nNo type\nUnknown type\n\n", undefined],
    ["a.bare", "[a.bare]\nBare enum\nType: ENUM\n\n", undefined],
  ];
  for (const [name, text, fatal] of cases) {
    await t.step(name, async () => {
      const r = renderRwBlock(await describeRw(c, "ups", name));
      assert.equal(r.text, text);
      assert.equal(r.fatal, fatal);
    });
  }
  c.close();
});
