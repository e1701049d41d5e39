import assert from "node:assert/strict";
import { parseUpsdUsers, userCanAction, userCanInstcmd } from "../../../core/config/upsd_users.ts";

const parse = (t: string) => parseUpsdUsers(t, { file: "upsd.users" });

Deno.test("parseUpsdUsers() round-trips every setting", { permissions: "none" }, () => {
  const u = parse(
    "[admin]\n password = s3cret\n actions = SET FSD\n instcmds = test.battery.start load.off\n" +
      " instcmds = all\n[mon]\n password = p\n upsmon primary\n[sec]\n password=q\n upsmon = slave\n" +
      "[old]\n password = r\n upsmon master\n[new]\n password = t\n upsmon secondary\n",
  );
  const a = u.users.get("admin")!;
  assert.equal(a.password, "s3cret");
  assert.deepEqual(a.actions, ["SET", "FSD"]);
  assert.deepEqual(a.instcmds, ["test.battery.start", "load.off", "all"]);
  assert.equal(a.upsmon, undefined);
  assert.deepEqual(u.users.get("mon")!.actions, ["login", "master", "fsd"]);
  assert.equal(u.users.get("mon")!.upsmon, "primary");
  assert.equal(u.users.get("old")!.upsmon, "primary");
  assert.deepEqual(u.users.get("sec")!.actions, ["login"]);
  assert.equal(u.users.get("sec")!.upsmon, "secondary");
  assert.equal(u.users.get("new")!.upsmon, "secondary");
  assert.deepEqual([...u.users.keys()], ["admin", "mon", "sec", "old", "new"]);
  // `upsmon = slave`: NUT first tries "=" as a type and logs it
  assert.deepEqual(u.problems.map((p) => [p.line, p.severity, p.message]), [
    [11, "warning", "Unknown upsmon type ="],
  ]);
});

Deno.test("parseUpsdUsers() checks actions and instcmds like upsd", { permissions: "none" }, () => {
  const u = parse("[a]\npassword = p\nactions = set\ninstcmds = LOAD.OFF\n[b]\ninstcmds = all\n");
  assert.equal(userCanAction(u, "a", "p", "SET"), true);
  assert.equal(userCanAction(u, "a", "p", "FSD"), false);
  assert.equal(userCanAction(u, "a", "P", "SET"), false);
  assert.equal(userCanAction(u, "A", "p", "SET"), false);
  assert.equal(userCanInstcmd(u, "a", "p", "load.off"), true);
  assert.equal(userCanInstcmd(u, "a", "p", "load.on"), false);
  // no password: never granted
  assert.equal(userCanInstcmd(u, "b", "", "load.on"), false);
});

Deno.test("parseUpsdUsers() reports NUT's complaints", { permissions: "none" }, () => {
  const u = parse(
    "upsmon master\n[a]\npassword = x\npassword = y\npasword = z\nupsmon boss\n[a]\nactions = SET\n",
  );
  assert.deepEqual(u.problems.map((p) => [p.line, p.message]), [
    [1, "Ignoring action definition outside user section"],
    [1, "Ignoring action definition outside user section"],
    [1, "Ignoring action definition outside user section"],
    [4, "Ignoring duplicate password for a"],
    [5, "Unrecognized user setting pasword"],
    [6, "Unknown upsmon type boss"],
    [7, "Ignoring duplicate user a"],
  ]);
  assert.equal(u.problems[4]!.hint, 'did you mean "password"?');
  assert.equal(u.users.get("a")!.password, "x");
  // lines under the duplicate header still go to the user before it, as in NUT
  assert.deepEqual(u.users.get("a")!.actions, ["SET"]);
});

Deno.test("parseUpsdUsers() handles the compressed key=value form", { permissions: "none" }, () => {
  const u = parse('[a]\n"password=pw"\nactions\\=set fsd\n');
  assert.equal(u.users.get("a")!.password, "pw");
  assert.deepEqual(u.users.get("a")!.actions, ["set", "fsd"]);
});

Deno.test("parseUpsdUsers() stores a user named __proto__ safely", { permissions: "none" }, () => {
  const u = parse("[__proto__]\npassword = p\n[constructor]\npassword = q\n");
  assert.equal(u.users.get("__proto__")!.password, "p");
  assert.equal(u.users.get("constructor")!.password, "q");
  assert.equal(u.users.get("toString"), undefined);
});
