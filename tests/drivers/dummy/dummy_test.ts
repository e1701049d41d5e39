import assert from "node:assert/strict";
import { dataLines, interpretLine, MAX_VALUE } from "../../../drivers/dummy/data_file.ts";
import { selectMode } from "../../../drivers/dummy/dummy.ts";
import { findDummyVar } from "../../../drivers/dummy/flag_table.ts";

Deno.test("selectMode() follows NUT 2.8.0's rules", { permissions: "none" }, () => {
  const rows: [string | undefined, string, string][] = [
    [undefined, "ups@host:3493", "repeater"],
    ["repeater", "file.dev", "repeater"],
    ["dummy-once", "ups@host", "dummy-once"],
    ["dummy", "x.dev", "dummy-loop"],
    ["dummy-loop", "x.dev", "dummy-loop"],
    [undefined, "x.seq", "dummy-loop"],
    [undefined, "x.dev", "dummy-once"],
    ["nonsense", "x.dev", "dummy-once"],
    [undefined, "x.txt", "dummy"],
  ];
  for (const [mode, port, want] of rows) {
    assert.equal(selectMode(mode, port), want, `${mode} ${port}`);
  }
});

Deno.test("interpretLine() reproduces dummy-ups' line quirks", { permissions: "none" }, () => {
  assert.deepEqual(interpretLine(["ups.status:", "OB", "LB"], "x"), {
    kind: "status",
    tokens: ["OB", "LB"],
  });
  assert.deepEqual(interpretLine(["ups.status.extra:", "OL"], ""), {
    kind: "status",
    tokens: ["OL"],
  });
  assert.deepEqual(interpretLine(["driver.name:", "usbhid-ups"], ""), {
    kind: "skip",
    name: "driver.name",
  });
  assert.deepEqual(interpretLine(["TIMERX", "12"], ""), { kind: "timer", seconds: 12 });
  assert.deepEqual(interpretLine(["timer", "12"], "v"), {
    kind: "set",
    name: "timer",
    value: "12",
  });
  assert.deepEqual(interpretLine(["ups.model:"], "v"), {
    kind: "set",
    name: "ups.model",
    value: "v",
  });
  assert.deepEqual(interpretLine(["a:b:", "1", "2"], ""), { kind: "set", name: "a", value: "1 2" });
  assert.deepEqual(interpretLine(["x:", ""], "prev"), { kind: "set", name: "x", value: "" });
  const long = interpretLine(["x:", "y".repeat(100), "z".repeat(100)], "");
  assert.equal(long.kind === "set" && long.value.length, MAX_VALUE);
  // a `#` inside quotes is a parse error: that line is dropped and reading resumes after the `#`
  assert.deepEqual(dataLines('a: "b # c"\nd: e\n').map((l) => l.words), [['c"'], ["d:", "e"]]);
});

Deno.test("findDummyVar() knows NUT's flag table", { permissions: "none" }, () => {
  assert.deepEqual(findDummyVar("ups.mfr"), {
    name: "ups.mfr",
    flags: ["RW", "STRING"],
    len: 32,
    initial: "Dummy Manufacturer",
  });
  assert.equal(findDummyVar("input.quality")?.len, 6);
  assert.deepEqual(findDummyVar("battery.charge")?.flags, ["RW"]);
  assert.equal(findDummyVar("device.mfr"), undefined);
});
