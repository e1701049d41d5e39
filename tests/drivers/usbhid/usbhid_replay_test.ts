import assert from "node:assert/strict";
import { usbhidModule } from "../../../drivers/usbhid/usbhid.ts";
import { ReplayPort, SwitchableDevice } from "../../../drivers/usbhid/replay_port.ts";
import { parseFixture } from "../../../drivers/usbhid/fixture.ts";
import { fixtureFiles, HID_DIR, makeCtx } from "./_ctx.ts";

// Variables that describe the host, the NUT build or the driver core, not the device.
const ENVIRONMENT = /^driver\.(version|parameter|name|state)|^device\.type$/;
// Known differences, each with its reason (checked, so the list cannot go stale).
const EXPECTED_DIFFS: Record<string, Record<string, string>> = {
  "apc_back-ups_cs500_ddl": {
    "battery.type": "string descriptor 4 (iDeviceChemistry) is not in the recording",
    "device.serial": "the recording has no serial-number string",
    "ups.serial": "the recording has no serial-number string",
    "ups.firmware.aux": "the recording's iProduct string lost its trailing blank",
  },
};

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
  for (const file of fixtureFiles()) {
    const fx = load(file);
    if (!fx.descriptor || fx.reports.size === 0 || Object.keys(fx.expectedVars).length === 0) {
      continue;
    }
    await t.step(file, async () => {
      const { drv, ctx } = await start(file);
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
      const known = EXPECTED_DIFFS[fx.id] ?? {};
      assert.deepEqual(
        Object.keys(diffs).sort(),
        Object.keys(known).sort(),
        JSON.stringify(diffs, null, 1),
      );
      await drv.close();
    });
  }
  // deno-lint-ignore no-console -- the figure for the report
  console.log(
    `expected variables: ${equal} of ${compared} equal (differences listed in EXPECTED_DIFFS)`,
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
  assert.equal(paths.length, 35);
  const fx = JSON.parse(Deno.readTextFileSync(`${HID_DIR}/${file}`));
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
