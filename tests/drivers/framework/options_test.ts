import assert from "node:assert/strict";
import { OptionsBuilder } from "../../../drivers/framework/options.ts";
import { DriverFatal, type DriverInfo } from "../../../drivers/framework/driver.ts";
import { parseDriverArgs } from "../../../drivers/framework/args.ts";

const INFO: DriverInfo = {
  name: "test-ups",
  description: "Test",
  version: "1",
  vars: [
    { kind: "value", name: "mode", desc: "m" },
    { kind: "value", name: "secret", desc: "s", sensitive: true },
    { kind: "flag", name: "fast", desc: "f" },
  ],
};

Deno.test("OptionsBuilder publishes driver.parameter/flag and seeds default/override", {
  permissions: "none",
}, () => {
  const b = new OptionsBuilder(INFO, "u");
  b.global({ name: "pollinterval", value: "7" });
  b.global({ name: "unknown_global", value: "ignored" });
  b.section({ name: "driver", value: "test-ups" });
  b.section({ name: "port", value: "/dev/x" });
  b.section({ name: "desc", value: "ignored" });
  b.section({ name: "sdorder", value: "3" });
  b.section({ name: "nolock" });
  b.section({ name: "mode", value: "a" });
  b.section({ name: "secret", value: "pw" });
  b.section({ name: "fast" });
  b.section({ name: "default.ups.id", value: "d" });
  b.section({ name: "OVERRIDE.ups.model", value: "o" });
  b.cmdline("mode=b");
  b.section({ name: "synchronous", value: "maybe" });
  const o = b.build();
  assert.equal(o.port, "/dev/x");
  assert.equal(o.pollInterval, 7);
  assert.equal(o.synchronous, "no");
  assert.equal(o.get("MODE"), "b");
  assert.ok(o.has("fast"));
  assert.equal(o.get("fast"), undefined);
  assert.deepEqual(o.publications, [
    { name: "driver.parameter.port", value: "/dev/x" },
    { name: "driver.flag.nolock", value: "enabled" },
    { name: "driver.parameter.mode", value: "a" },
    { name: "driver.flag.fast", value: "enabled" },
    { name: "ups.id", value: "d" },
    { name: "ups.model", value: "o", immutable: true },
    { name: "driver.parameter.mode", value: "b" },
  ]);
});

Deno.test("OptionsBuilder rejects unknown names with NUT's text and exit status 0", {
  permissions: "none",
}, () => {
  const b = new OptionsBuilder(INFO, "u");
  for (
    const [name, value, word] of [["bogus", "1", "variable name"], ["bogus", undefined, "flag"]]
  ) {
    const e = assert.throws(() => b.section({ name: name!, value }), DriverFatal) as unknown;
    void e;
    try {
      b.section({ name: name!, value });
    } catch (err) {
      assert.ok(err instanceof DriverFatal);
      assert.equal(err.exitCode, 0);
      assert.equal(err.stream, "stdout");
      assert.equal(
        err.message,
        `\nFatal error: 'bogus' is not a valid ${word} for this driver.\n\n` +
          "Look in the man page or call this driver with -h for a list of\n" +
          "valid variable names and flags.",
      );
    }
  }
  // core keys only valid in ups.conf are unknown on the command line
  assert.throws(() => b.cmdline("pollinterval=3"), /'pollinterval' is not a valid variable name/);
  assert.throws(() => b.cmdline("driver=x"), /'driver' is not a valid variable name/);
  assert.throws(() => b.section({ name: "maxstartdelay", value: "5" }), /not a valid variable/);
  assert.throws(
    () => b.section({ name: "driver", value: "x" }),
    /is for driver x, but I'm test-ups!/,
  );
  assert.throws(
    () => b.section({ name: "pollinterval", value: "0" }),
    /UPS \[u\]: invalid pollinterval: 0/,
  );
});

Deno.test(
  "parseDriverArgs() keeps -a/-x order and stops at -h/-V/-L",
  { permissions: "none" },
  () => {
    const a = parseDriverArgs("d", [
      "-x",
      "a=1",
      "-a",
      "u",
      "-DDq",
      "-F",
      "-F",
      "-d",
      "0",
      "-x",
      "b",
    ]);
    assert.equal(a.action, "run");
    assert.deepEqual(a.ordered, [{ opt: "x", arg: "a=1" }, { opt: "a", id: "u" }, {
      opt: "x",
      arg: "b",
    }]);
    assert.equal(a.debug, 2);
    assert.equal(a.quiet, 1);
    assert.equal(a.foreground, 2);
    assert.equal(a.dump, undefined, "-d 0 is no dump, as in NUT");
    assert.equal(parseDriverArgs("d", ["-a", "u", "-L", "-z"]).action, "list");
    const bad = parseDriverArgs("d", ["-z"]);
    assert.equal(bad.action, "error");
    assert.equal(bad.error, "Error: unknown option -?. Try -h for help.");
    assert.deepEqual(bad.diagnostics, ["d: invalid option -- 'z'"]);
  },
);
