import assert from "node:assert/strict";
import { usbhidModule } from "../../../drivers/usbhid/usbhid.ts";
import { ReplayPort, SwitchableDevice } from "../../../drivers/usbhid/replay_port.ts";
import { type HidFixture, parseFixture } from "../../../drivers/usbhid/fixture.ts";
import { EXPLORE, subdriverByName, SUBDRIVERS } from "../../../drivers/usbhid/match.ts";
import { fixtureFiles, HID_DIR, makeCtx } from "./_ctx.ts";

// Variables that describe the host, the NUT build or the driver core, not the device.
const ENVIRONMENT = /^driver\.(version|parameter|name|state)|^device\.type$/;
/**
 * Why our value may differ from NUT's for a recording: only causes that lie in
 * the recording itself are accepted (a string it does not carry, a blank it lost).
 */
function explainDiff(
  name: string,
  got: string | undefined,
  want: string,
  fx: HidFixture,
): string | undefined {
  const hasStrings = fx.raw.strings !== undefined;
  if (
    (name === "ups.serial" || name === "device.serial") && fx.usbStrings.iSerialNumber === undefined
  ) {
    return "the recording has no serial-number string";
  }
  const row = [...SUBDRIVERS, EXPLORE].flatMap((sd) => sd.map).find((r) => r.nut === name);
  if (!hasStrings && row?.lkp === "stringid_conversion" && (got === "" || got === undefined)) {
    return "the string descriptor this variable names is not in the recording";
  }
  if (got !== undefined && got.trim() === want.trim() && name.startsWith("ups.firmware")) {
    return "the recording's product string lost its trailing blank";
  }
  return undefined;
}

function load(file: string) {
  return parseFixture(Deno.readTextFileSync(`${HID_DIR}/${file}`), file);
}

async function start(file: string, opts: Record<string, string | undefined> = {}) {
  const device = new SwitchableDevice(load(file));
  const port = new ReplayPort([device]);
  const drv = usbhidModule(() => Promise.resolve(port)).create();
  const ctx = makeCtx({ port: `replay:${file}`, ...opts });
  await drv.init(ctx);
  await drv.update(ctx);
  return { drv, ctx, device, port };
}

Deno.test("usbhid-ups over the replay port publishes each fixture's expected variables", async (t) => {
  let compared = 0;
  let equal = 0;
  const explained: string[] = [];
  for (const file of fixtureFiles()) {
    const fx = load(file);
    if (!fx.descriptor || fx.reports.size === 0 || Object.keys(fx.expectedVars).length === 0) {
      continue;
    }
    await t.step(file, async () => {
      const sub = typeof fx.raw.subdriver === "string"
        ? subdriverByName(fx.raw.subdriver)
        : undefined;
      const forced = fx.vendorId === null && sub && sub !== EXPLORE
        ? { subdriver: `^${sub.name.replace(/[.]/g, "\\.")}$` }
        : {};
      const { drv, ctx } = await start(file, forced);
      ctx.state.setInfo("device.mfr", ctx.state.getValue("ups.mfr") ?? "");
      ctx.state.setInfo("device.model", ctx.state.getValue("ups.model") ?? "");
      const serial = ctx.state.getValue("ups.serial");
      if (serial !== undefined) ctx.state.setInfo("device.serial", serial);
      const diffs: Record<string, string> = {};
      for (const [name, want] of Object.entries(fx.expectedVars)) {
        if (ENVIRONMENT.test(name)) continue;
        compared++;
        const got = ctx.state.getValue(name);
        if (got === want) equal++;
        else diffs[name] = `got ${JSON.stringify(got)}, NUT ${JSON.stringify(want)}`;
      }
      const unexplained = Object.entries(diffs).filter(([n]) => {
        const why = explainDiff(n, ctx.state.getValue(n), fx.expectedVars[n]!, fx);
        if (why) explained.push(`${fx.id}: ${n} (${why})`);
        return why === undefined;
      });
      assert.deepEqual(unexplained, [], "differences not explained by the recording");
      await drv.close();
    });
  }
  // deno-lint-ignore no-console -- the figure for the report
  console.log(
    `expected variables: ${equal} of ${compared} equal; explained differences:`,
    explained,
  );
  assert.ok(compared > 0);
});

Deno.test("usbhid-ups heals itself: unplug → stale + reconnect.trying within one poll, replug → fresh data", async () => {
  const { drv, ctx, device, port } = await start("apc_back-ups_cs500_ddl.json");
  assert.equal(ctx.stale(), false);
  assert.equal(ctx.state.getValue("ups.status"), "OL");
  device.unplug();
  port.notify("detach");
  ctx.clock.t += 2000;
  await drv.update(ctx);
  assert.equal(ctx.stale(), true);
  assert.equal(ctx.state.getValue("driver.state"), "reconnect.trying");
  ctx.clock.t += 2000;
  await drv.update(ctx); // still gone: stays stale, backs off
  assert.equal(ctx.stale(), true);
  device.replug();
  port.notify("attach");
  ctx.clock.t += 2000;
  await drv.update(ctx);
  assert.equal(ctx.stale(), false);
  assert.equal(ctx.state.getValue("driver.state"), "updateinfo");
  assert.equal(ctx.state.getValue("battery.charge"), "100");
  await drv.close();
});

Deno.test("usbhid-ups retries with backoff when no attach event comes", async () => {
  const { drv, ctx, device } = await start("apc_back-ups_cs500_ddl.json");
  device.unplug();
  ctx.clock.t += 2000;
  await drv.update(ctx);
  assert.equal(ctx.stale(), true);
  device.replug();
  let polls = 0;
  while (ctx.stale() && polls < 40) {
    ctx.clock.t += 2000;
    await drv.update(ctx);
    polls++;
  }
  assert.equal(ctx.stale(), false, "reconnected by the backoff timer");
  await drv.close();
});

Deno.test("usbhid-ups -x explore prints NUT's Path line for every HID object", async () => {
  const lines: string[] = [];
  const file = "apc_back-ups_cs500_ddl.json";
  const port = new ReplayPort([new SwitchableDevice(load(file))]);
  const drv = usbhidModule(() => Promise.resolve(port)).create();
  const ctx = makeCtx({ port: "replay:x", explore: undefined, vendorid: "051d" }, {
    level: 1,
    lines,
  });
  await drv.init(ctx);
  const paths = lines.filter((l) => l.includes("[D1] Path: ")).map((l) =>
    l.replace(/^.*\[D1\] /, "").trimEnd()
  );
  const fx = JSON.parse(Deno.readTextFileSync(`${HID_DIR}/${file}`));
  assert.equal(paths.length, fx.hid_objects_found);
  assert.ok(lines.some((l) => l.endsWith(`[D1] ${fx.hid_objects_found} HID objects found\n`)));
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  for (const p of fx.paths) {
    const want =
      `Path: ${p.path}, Type: ${p.type}, ReportID: 0x${hex(p.reportId)}, Offset: ${p.offset}, ` +
      `Size: ${p.size}, Value: ${p.value}`;
    assert.ok(paths.includes(want), want);
  }
  assert.equal(ctx.state.getValue("driver.version.data"), "EXPLORE HID 0.2");
  await drv.close();
});

Deno.test("usbhid-ups refuses explore without vendorid, like NUT", async () => {
  const port = new ReplayPort([]);
  const drv = usbhidModule(() => Promise.resolve(port)).create();
  await assert.rejects(
    drv.init(makeCtx({ port: "auto", explore: undefined })),
    /must specify "vendorid"/,
  );
});

Deno.test("usbhid-ups matches devices with NUT's whole-string regexes", async () => {
  const file = "apc_back-ups_cs500_ddl.json";
  const port = new ReplayPort([new SwitchableDevice(load(file))]);
  const mk = () => usbhidModule(() => Promise.resolve(port)).create();
  await assert.rejects(
    mk().init(makeCtx({ port: "auto", vendorid: "051" })),
    /No matching HID UPS found/,
  );
  const ok = mk();
  await ok.init(makeCtx({ port: "auto", vendorid: "051[dD]", product: "back-ups.*" }));
  await ok.close();
});

Deno.test("usbhid-ups answers an unknown instant command as invalid", async () => {
  const { drv, ctx } = await start("apc_back-ups_cs500_ddl.json");
  const r = await drv.instcmd!(ctx, "no.such.command");
  assert.equal(r, 2);
  await drv.close();
});

Deno.test("usbhid-ups -x record writes a recording that replays to the same variables", async () => {
  const out = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const { drv, ctx } = await start("apc_back-ups_cs500_ddl.json", { record: out });
    await drv.close();
    const rec = parseFixture(Deno.readTextFileSync(out), out);
    const orig = load("apc_back-ups_cs500_ddl.json");
    assert.deepEqual(rec.descriptor, orig.descriptor);
    assert.equal(rec.vendorId, 0x051d);
    const port = new ReplayPort([new SwitchableDevice(rec)]);
    const again = usbhidModule(() => Promise.resolve(port)).create();
    const ctx2 = makeCtx({ port: "replay:x" });
    await again.init(ctx2);
    await again.update(ctx2);
    for (const v of ctx.state.list()) assert.equal(ctx2.state.getValue(v.name), v.value, v.name);
    await again.close();
  } finally {
    await Deno.remove(out);
  }
});

Deno.test("usbhid-ups registers the instant commands NUT listed for each DDL device", async (t) => {
  let checked = 0;
  for (const file of fixtureFiles()) {
    const fx = load(file);
    const ddl = (Array.isArray(fx.raw.source) ? fx.raw.source : []).map(String)
      .map((s) => /^NUT DDL \(networkupstools\/nut-ddl\) (\S+\.dev)$/.exec(s)?.[1]).find((s) => s);
    if (!ddl || !fx.descriptor || fx.reports.size === 0) continue;
    await t.step(file, async () => {
      const text = Deno.readTextFileSync(`${HID_DIR}/../ddl/${ddl}`);
      const want = [...text.matchAll(/^#CMD:(\S+)/gm)].map((m) => m[1]!).filter((c) =>
        !c.startsWith("driver.")
      );
      const { drv, ctx } = await start(file);
      assert.deepEqual([...ctx.state.commands()].sort(), [...new Set(want)].sort());
      checked++;
      await drv.close();
    });
  }
  assert.ok(checked > 0);
});

Deno.test("usbhid-ups instant commands SET the mapped report (replay keeps it)", async () => {
  const { drv, ctx, port, device } = await start("apc_back-ups_cs500_ddl.json");
  assert.deepEqual([...port.reports(device).get(0x40)!], [0x40, 0x00]);
  assert.equal(await drv.instcmd!(ctx, "shutdown.reboot"), 0);
  // APC's table writes the default 10 to APCDelayBeforeReboot (report 0x40).
  assert.deepEqual([...port.reports(device).get(0x40)!], [0x40, 10]);
  assert.equal(await drv.instcmd!(ctx, "load.off"), 2, "no load.off.delay on this device");
  await drv.close();
});

Deno.test("usbhid-ups -k opens the device and falls back to shutdown.reboot like NUT", async () => {
  const file = "apc_back-ups_cs500_ddl.json";
  const device = new SwitchableDevice(load(file));
  const port = new ReplayPort([device]);
  const drv = usbhidModule(() => Promise.resolve(port)).create();
  await drv.shutdown!(makeCtx({ port: "auto" }));
  assert.deepEqual([...port.reports(device).get(0x40)!], [0x40, 10]);
  await drv.close();
  const none = usbhidModule(() => Promise.resolve(new ReplayPort([]))).create();
  await assert.rejects(none.shutdown!(makeCtx({ port: "auto" })), /No matching HID UPS found/);
});

Deno.test("usbhid-ups files interrupt-in reports and updates the status from them", async () => {
  const fx = load("apc_back-ups_cs500_ddl.json");
  // The UPS reports "AC lost" (report 0x13, ACPresent = 0) on its interrupt pipe.
  const onBattery = { ...fx, interrupts: [new Uint8Array([0x13, 0x00])] };
  const port = new ReplayPort([new SwitchableDevice(onBattery)]);
  const drv = usbhidModule(() => Promise.resolve(port)).create();
  const ctx = makeCtx({ port: "auto" });
  await drv.init(ctx);
  await drv.update(ctx);
  assert.equal(ctx.state.getValue("ups.status"), "OB");
  const polled = usbhidModule(() =>
    Promise.resolve(new ReplayPort([new SwitchableDevice(onBattery)]))
  ).create();
  const ctx2 = makeCtx({ port: "auto", pollonly: undefined });
  await polled.init(ctx2);
  await polled.update(ctx2);
  assert.equal(ctx2.state.getValue("ups.status"), "OL", "pollonly ignores the interrupt pipe");
  await drv.close();
  await polled.close();
});
