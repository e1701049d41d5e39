import assert from "node:assert/strict";
import { NutClient } from "../../../core/client/client.ts";
import { UpsClientError } from "../../../core/client/errors.ts";
import { lineLogger } from "../../../core/runtime/logger.ts";
import { compileFormat } from "../../../core/upslog/format.ts";
import type { RecordStyle } from "../../../core/upslog/records.ts";
import { type LogSink, type LogTarget, UpsLogRunner } from "../../../core/upslog/runner.ts";
import { memoryUpsd, simpleUpsd } from "../client/_fake_upsd.ts";
import { FakeClock, settle } from "./_fake_clock.ts";
import { waitFor } from "../../_helpers/wait.ts";

class MemorySink implements LogSink {
  lines: string[] = [];
  files: string[][] = [this.lines];
  startedEmpty = true;
  write(text: string): Promise<void> {
    assert.ok(text.endsWith("\n"), "whole lines only");
    for (const l of text.slice(0, -1).split("\n")) this.lines.push(`${l}\n`);
    return Promise.resolve();
  }
  reopen(): Promise<boolean> {
    this.lines = [];
    this.files.push(this.lines);
    return Promise.resolve(true);
  }
}

function setup(
  options: { style?: RecordStyle; interval?: number; format?: string } = {},
) {
  const clock = new FakeClock();
  const sink = new MemorySink();
  const logs: string[] = [];
  const connects: boolean[] = [];
  let up = true;
  const vars: Record<string, string> = { "ups.status": "OL", "battery.charge": "100" };
  const connect = (_host: string, _port: number, tryTls: boolean) => {
    connects.push(tryTls);
    if (!up) {
      return Promise.reject(
        new UpsClientError("CONNFAILURE", "Connection failure: Connection refused"),
      );
    }
    const { client } = memoryUpsd(simpleUpsd(vars));
    return Promise.resolve(new NutClient(client, { readTimeoutMs: 1000 }));
  };
  const target: LogTarget = { monhost: "ups@h", ups: "ups", host: "h", port: 3493, sink };
  const runner = new UpsLogRunner({
    targets: [target],
    segments: compileFormat(options.format ?? "%VAR ups.status% %VAR battery.charge%"),
    interval: options.interval ?? 10,
    style: options.style ?? "text",
    clock,
    connect,
    logger: lineLogger((l) => logs.push(l)),
    hostname: "host",
    pid: 42,
    timeZone: "UTC",
  });
  return {
    clock,
    sink,
    logs,
    connects,
    runner,
    target,
    vars,
    setUp: (v: boolean) => (up = v),
  };
}

async function lineCount(sink: MemorySink, n: number, files = 1) {
  await waitFor(() => sink.files.length >= files && sink.lines.length >= n, {
    timeout: 5000,
    interval: 5,
    what: `${n} lines`,
  });
}

Deno.test("UpsLogRunner samples at once, then every interval", async () => {
  const s = setup();
  await s.runner.connectAll();
  const done = s.runner.run();
  await lineCount(s.sink, 1);
  assert.deepEqual(s.sink.lines, ["OL 100\n"]);
  await s.clock.advance(9_000);
  assert.equal(s.sink.lines.length, 1);
  await s.clock.advance(1_000);
  await lineCount(s.sink, 2);
  s.vars["ups.status"] = "OB";
  await s.clock.advance(10_000);
  await lineCount(s.sink, 3);
  assert.deepEqual(s.sink.lines, ["OL 100\n", "OL 100\n", "OB 100\n"]);
  s.runner.signal("SIGTERM");
  assert.equal(await done, 15);
  assert.deepEqual(s.connects, [true], "one try-TLS connection, kept open");
});

Deno.test("UpsLogRunner: SIGUSR1 logs now, SIGHUP reopens first, SIGTERM logs a last line", async () => {
  const s = setup();
  const done = s.runner.run();
  await lineCount(s.sink, 1);
  await waitFor(() => s.clock.sleeping === 1, { what: "asleep" });
  s.runner.signal("SIGUSR1");
  await lineCount(s.sink, 2);
  s.runner.signal("SIGHUP");
  await lineCount(s.sink, 1, 2);
  assert.deepEqual(s.sink.files.map((f) => f.length), [2, 1]);
  s.runner.signal("SIGTERM");
  assert.equal(await done, 15);
  assert.deepEqual(s.sink.files.map((f) => f.length), [2, 2], "NUT samples once more on exit");
  assert.deepEqual(s.logs, ["Signal 1: reopening log file\n", "Signal 15: exiting\n"]);
});

Deno.test("UpsLogRunner writes NA while upsd is down and reconnects in clear text", async () => {
  const s = setup();
  s.setUp(false);
  assert.deepEqual(await s.runner.connectAll(), [
    "Warning: initial connect failed: Connection failure: Connection refused",
  ]);
  const done = s.runner.run();
  await lineCount(s.sink, 1);
  s.setUp(true);
  await s.clock.advance(10_000);
  await lineCount(s.sink, 2);
  s.runner.signal("SIGINT");
  assert.equal(await done, 2);
  assert.deepEqual(s.sink.lines.slice(0, 2), ["NA NA\n", "OL 100\n"]);
  assert.deepEqual(s.connects.slice(0, 3), [true, false, false]);
});

Deno.test("UpsLogRunner closes the connection after each sample when interval > 30", async () => {
  const s = setup({ interval: 31 });
  const done = s.runner.run();
  await lineCount(s.sink, 1);
  assert.equal(s.target.client, undefined);
  await s.clock.advance(31_000);
  await lineCount(s.sink, 2);
  s.runner.signal("SIGQUIT");
  await done;
  assert.ok(s.connects.length >= 2);
});

Deno.test("UpsLogRunner CSV: a header for each new file; JSON: one object per line", async () => {
  const csv = setup({ style: "csv", format: "%TIME @H:@M% %VAR ups.status%" });
  const done = csv.runner.run();
  await lineCount(csv.sink, 2);
  csv.runner.signal("SIGHUP");
  await lineCount(csv.sink, 2, 2);
  csv.runner.signal("SIGTERM");
  await done;
  assert.deepEqual(csv.sink.files, [
    ["ups,time,ups.status\n", "ups@h,03:04,OL\n"],
    ["ups,time,ups.status\n", "ups@h,03:04,OL\n", "ups@h,03:04,OL\n"],
  ]);
  const json = setup({ style: "json" });
  json.setUp(false);
  await json.runner.sampleOnce();
  assert.deepEqual(JSON.parse(json.sink.lines[0]!), {
    ups: "ups@h",
    "ups.status": null,
    "battery.charge": null,
    error: "Connection failure: Connection refused",
  });
  await settle();
});
