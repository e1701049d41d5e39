import assert from "node:assert/strict";
import { strcasecmp, UpsState } from "../../../core/state/ups_state.ts";
import type { DriverMessage } from "../../../core/protocol/driver_link.ts";
import { formatStatus, hasStatus, parseStatus, StatusBuilder } from "../../../core/state/status.ts";

function recorded(): { state: UpsState; events: DriverMessage[] } {
  const state = new UpsState();
  const events: DriverMessage[] = [];
  state.subscribe((m) => events.push(m));
  return { state, events };
}

Deno.test(
  "UpsState.setInfo() ignores an update equal case-insensitively",
  { permissions: "none" },
  () => {
    const { state, events } = recorded();
    assert.equal(state.setInfo("ups.status", "OL"), true);
    assert.equal(state.setInfo("UPS.STATUS", "ol"), false);
    assert.equal(state.getValue("ups.status"), "OL");
    assert.equal(state.setInfo("ups.status", "OB"), true);
    assert.deepEqual(events, [
      { kind: "setinfo", name: "ups.status", value: "OL" },
      { kind: "setinfo", name: "ups.status", value: "OB" },
    ]);
    assert.equal(state.size, 1);
  },
);

Deno.test("UpsState keeps immutable (override) variables", { permissions: "none" }, () => {
  const { state, events } = recorded();
  state.setInfo("ups.model", "OVR");
  state.setImmutable("ups.model");
  assert.equal(state.setInfo("ups.model", "Other"), false);
  assert.equal(state.delInfo("ups.model"), false);
  assert.equal(state.setFlags("ups.model", ["RW"]), false);
  assert.equal(state.setAux("ups.model", 32), true, "aux is not protected (as NUT)");
  assert.equal(state.getValue("ups.model"), "OVR");
  assert.equal(events.length, 2);
  // a dump carries a bare SETFLAGS for an override-only variable, as NUT's does
  const flags = state.varMessages("ups.model").find((m) => m.kind === "setflags");
  assert.deepEqual(flags, { kind: "setflags", name: "ups.model", flags: [] });
});

Deno.test("UpsState enums and ranges follow NUT's duplicate rules", { permissions: "none" }, () => {
  const s = new UpsState();
  assert.equal(s.addEnum("nope", "x"), false, "variable must exist");
  s.setInfo("v", "1");
  assert.equal(s.addEnum("v", "a"), true);
  assert.equal(s.addEnum("v", "a"), false);
  assert.equal(s.addEnum("v", "A"), true, "enum duplicates are case-sensitive");
  assert.equal(s.delEnum("v", "a"), true, "delete matches case-insensitively: first one");
  assert.deepEqual(s.get("v")?.enums, ["A"]);
  assert.equal(s.addRange("v", 5, 1), false, "min > max");
  assert.equal(s.addRange("v", 1, 5), true);
  assert.equal(s.addRange("v", 1, 9), false, "same min is a duplicate");
  assert.equal(s.addRange("v", 0, 5), false, "same max is a duplicate");
  assert.equal(s.addRange("v", 6, 9), true);
  assert.equal(s.delRange("v", 6, 100), true, "min match deletes");
  assert.deepEqual(s.get("v")?.ranges, [{ min: 1, max: 5 }]);
});

Deno.test(
  "UpsState keeps commands in strcasecmp order without duplicates",
  { permissions: "none" },
  () => {
    const s = new UpsState();
    for (const c of ["load.on", "beeper.disable", "Load.Off", "load.off", "beeper_x", "LOAD.ON"]) {
      s
        .addCmd(c);
    }
    assert.deepEqual(s.commands(), ["beeper.disable", "beeper_x", "Load.Off", "load.on"]);
    assert.ok(s.hasCmd("LOAD.OFF"));
    assert.equal(s.delCmd("load.OFF"), true);
    assert.deepEqual(s.commands(), ["beeper.disable", "beeper_x", "load.on"]);
  },
);

Deno.test(
  "strcasecmp() orders '_' after letters and '.' before them",
  { permissions: "none" },
  () => {
    const names = ["ups_x", "ups.y", "UPS.A", "ups", "Ups.b"];
    assert.deepEqual(names.sort(strcasecmp), ["ups", "UPS.A", "Ups.b", "ups.y", "ups_x"]);
  },
);

Deno.test("UpsState.dumpMessages() follows NUT's DUMPALL order", { permissions: "none" }, () => {
  const s = new UpsState();
  s.setInfo("ups.status", "OL");
  s.setInfo("input.sensitivity", "high");
  s.addEnum("input.sensitivity", "high");
  s.addEnum("input.sensitivity", "low");
  s.addRange("input.sensitivity", 1, 2);
  s.setAux("input.sensitivity", 4);
  s.setFlags("input.sensitivity", ["string", "RW", "bogus"]);
  s.addCmd("load.off");
  s.setStale(true);
  assert.deepEqual(s.dumpMessages(), [
    { kind: "datastale" },
    { kind: "setinfo", name: "input.sensitivity", value: "high" },
    { kind: "addenum", name: "input.sensitivity", value: "high" },
    { kind: "addenum", name: "input.sensitivity", value: "low" },
    { kind: "addrange", name: "input.sensitivity", min: 1, max: 2 },
    { kind: "setaux", name: "input.sensitivity", aux: 4 },
    { kind: "setflags", name: "input.sensitivity", flags: ["RW", "STRING"] },
    { kind: "setinfo", name: "ups.status", value: "OL" },
    { kind: "addcmd", name: "load.off" },
    { kind: "dumpdone" },
  ]);
  assert.deepEqual(s.dumpValueMessages("nope"), [{ kind: "datastale" }, { kind: "dumpdone" }]);
});

Deno.test(
  "UpsState.apply() mirrors a driver, ignoring empty SETFLAGS",
  { permissions: "none" },
  () => {
    const s = new UpsState();
    assert.equal(s.apply({ kind: "setinfo", name: "a", value: "1" }), true);
    assert.equal(s.apply({ kind: "setflags", name: "a", flags: ["RW"] }), true);
    assert.equal(s.apply({ kind: "setflags", name: "a", flags: [] }), false);
    assert.deepEqual(s.get("a")?.flags, ["RW"]);
    assert.equal(s.apply({ kind: "datastale" }), true);
    assert.equal(s.stale, true);
    assert.equal(s.apply({ kind: "dataok" }), true);
    assert.equal(s.apply({ kind: "dumpdone" }), false);
    assert.equal(s.apply({ kind: "delinfo", name: "A" }), true);
    assert.equal(s.size, 0);
  },
);

Deno.test("status helpers split, join and build ups.status", { permissions: "none" }, () => {
  assert.deepEqual(parseStatus("OB  LB "), ["OB", "LB"]);
  assert.ok(hasStatus("OB LB", "LB"));
  assert.ok(!hasStatus(undefined, "LB"));
  assert.equal(formatStatus(["OL", "OL", "CHRG"]), "OL OL CHRG");
  assert.equal(formatStatus(["OL", "OL", "CHRG"], { dedupe: true }), "OL CHRG");
  const b = new StatusBuilder();
  b.set("OB");
  b.set("LB");
  assert.equal(b.commit(), "OB LB");
  b.init();
  assert.equal(b.commit({ alarm: true }), "ALARM ");
});
