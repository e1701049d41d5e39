import assert from "node:assert/strict";
import {
  compileFormat,
  DEFAULT_LOGFORMAT,
  type ExpandContext,
  expandLine,
  formatVars,
} from "../../../core/upslog/format.ts";
import { strftime } from "../../../core/upslog/strftime.ts";
import { csvHeader, csvRow, recordColumns } from "../../../core/upslog/records.ts";

const CTX: ExpandContext = {
  hostname: "box",
  upsHost: "su700@ups.lan",
  pid: 4242,
  now: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  values: new Map([
    ["battery.charge", "100"],
    ["input.voltage", "230.0"],
    ["ups.load", "15"],
    ["ups.status", "OL CHRG"],
    ["input.frequency", "50.0"],
  ]),
  timeZone: "UTC",
};

Deno.test("expandLine() follows upslog's compile_format() rules", {
  permissions: "none",
}, async (t) => {
  const cases: [string, string][] = [
    [DEFAULT_LOGFORMAT, "20240102 030405 100 230.0 15 [OL CHRG] NA 50.0"],
    ["%%", "%"],
    ["100%% sure", "100% sure"],
    ["%HOST% %UPSHOST% %PID% %ETIME%", "box su700@ups.lan 4242 1704164645"],
    ["%host% %Pid% %etime%", "box 4242 1704164645"],
    // matched by prefix, in NUT's table order: HOSTNAME → HOST, UPSHOSTX → UPSHOST
    [
      "%HOSTNAME% %UPSHOSTX% %PIDX% %TIMEZONE @Y% %VARIABLE ups.load%",
      "box su700@ups.lan 4242 2024 15",
    ],
    ["%ETIMEX% %XTIME%", "1704164645 INVALID"],
    ["%VAR ups.load%", "15"],
    ["%var ups.load%", "15"],
    ["%VAR nodot%", "INVALID"],
    ["%VAR %", "INVALID"],
    ["%VAR%", "INVALID"],
    ["%VAR ups.nope%", "NA"],
    ["%bogus% x", "INVALID x"],
    ["a %VAR ups.load", "a INVALIDVAR ups.load"],
    ["trailing %", "trailing INVALID"],
    ["%TIME @Y-@m-@d@@%", "2024-01-02%"],
    ["%TIME%", ""],
    ["", ""],
  ];
  for (const [format, want] of cases) {
    await t.step(JSON.stringify(format), () => {
      assert.equal(expandLine(compileFormat(format), CTX), want);
    });
  }
});

Deno.test("expandLine() cuts a line at upslog's 1023 bytes", { permissions: "none" }, () => {
  const line = expandLine(compileFormat("x".repeat(2000)), CTX);
  assert.equal(line.length, 1023);
});

Deno.test("formatVars() lists the variables to query, in order", { permissions: "none" }, () => {
  assert.deepEqual(formatVars(compileFormat(DEFAULT_LOGFORMAT)), [
    "battery.charge",
    "input.voltage",
    "ups.load",
    "ups.status",
    "ups.temperature",
    "input.frequency",
  ]);
});

Deno.test("records: CSV columns follow the format's escapes, values quoted as RFC 4180", {
  permissions: "none",
}, () => {
  const segs = compileFormat("%TIME @H% [%VAR ups.status%] %VAR x% %PID%");
  assert.deepEqual(recordColumns(segs), ["ups", "time", "ups.status", "INVALID", "pid"]);
  assert.equal(csvHeader(segs), "ups,time,ups.status,INVALID,pid");
  assert.equal(
    csvRow(segs, { ...CTX, values: new Map([["ups.status", 'OL "x", y']]) }),
    'su700@ups.lan,03,"OL ""x"", y",INVALID,4242',
  );
});

const EPOCHS = [
  0,
  1704164645, // 2024-01-02 Tue
  1609459199, // 2020-12-31 23:59:59 Thu
  1609459200, // 2021-01-01 Fri: ISO week 53 of 2020
  1735516800, // 2024-12-30 Mon: ISO week 1 of 2025
  951782400, // 2000-02-29
  4102444799, // 2099-12-31
];

Deno.test("strftime() agrees with GNU date for every conversion upslog users write", {
  permissions: { run: true },
}, async () => {
  const fmt = [
    "%Y%m%d %H%M%S",
    "%a %A %b %B %h",
    "%C %d %D %e %F",
    "%g %G %V %u %w %U %W %j",
    "%H %I %k %l %M %S %p %r %R %T",
    "%s %y %z %Z %% %n %t",
    "%c %x %X",
  ].join("|");
  for (const epoch of EPOCHS) {
    const out = await new Deno.Command("date", {
      args: ["-u", "-d", `@${epoch}`, `+${fmt}`],
      env: { LC_ALL: "C", TZ: "UTC" },
    }).output();
    const want = new TextDecoder().decode(out.stdout).replace(/\n$/, "");
    assert.equal(strftime(fmt, new Date(epoch * 1000), "UTC"), want, `epoch ${epoch}`);
  }
});
