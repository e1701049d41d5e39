import assert from "node:assert/strict";
import { memoryIo } from "../../cli/io.ts";
import { runScanner } from "../../cli/commands/scanner.ts";
import { REPO } from "../_helpers/process.ts";
import { compatTest, REAL } from "../_helpers/real_nut.ts";

const nut = (args: string[]) =>
  new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO}/cli/main.ts`, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();

Deno.test("nut scanner -U prints sections for injected devices", async () => {
  const io = memoryIo();
  const code = await runScanner(
    ["-U", "-q"],
    io,
    () =>
      Promise.resolve([{
        vendorId: 0x051d,
        productId: 0x0002,
        vendor: "APC",
        product: "Back-UPS",
        bus: "001",
      }]),
  );
  assert.equal(code, 0);
  assert.equal(io.err.join(""), "");
  assert.match(io.out.join(""), /^\[nutdev1\]\n\tdriver = "usbhid-ups"\n/);
});

Deno.test("nut scanner -U -P prints parsable lines", async () => {
  const io = memoryIo();
  await runScanner(
    ["-U", "-P"],
    io,
    () => Promise.resolve([{ vendorId: 0x0764, productId: 0x0501, bus: "003" }]),
  );
  assert.equal(io.err.join(""), "Scanning USB bus.\n");
  assert.equal(
    io.out.join(""),
    'USB:driver="usbhid-ups",port="auto",vendorid="0764",productid="0501",bus="003"\n',
  );
});

for (const args of [["-U"], ["-U", "-q"], ["-U", "-P"], ["-U", "-N", "-q"]]) {
  compatTest(
    `nut scanner ${args.join(" ")} on a machine without USB bus matches nut-scanner`,
    async () => {
      const ours = await nut(["scanner", ...args]);
      const real = await new Deno.Command(REAL.nutScanner, {
        args,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = (b: Uint8Array) => new TextDecoder().decode(b);
      assert.equal(ours.code, real.code);
      assert.equal(dec(ours.stdout), dec(real.stdout));
      assert.equal(dec(ours.stderr), dec(real.stderr));
    },
  );
}

Deno.test("nut usbhid-ups with port=auto loads npm:usb and exits like NUT without a USB bus", async () => {
  const r = await nut(["usbhid-ups", "-s", "ups", "-x", "port=auto"]);
  const err = new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 1);
  assert.match(err, /No matching HID UPS found\n$/);
  assert.doesNotMatch(err, /^\s+at /m);
});

Deno.test("nut scanner -U over replayed fixtures: known IDs and HID Power Devices", async () => {
  const { ReplayPort, SwitchableDevice } = await import("../../drivers/usbhid/replay_port.ts");
  const { parseFixture } = await import("../../drivers/usbhid/fixture.ts");
  const { usbSourceFrom } = await import("../../cli/commands/scanner.ts");
  const dir = `${REPO}/../shared/data/hid`;
  const load = (f: string) => parseFixture(Deno.readTextFileSync(`${dir}/${f}`), f);
  const apc = load("apc_back-ups_cs500_ddl.json");
  // Same descriptor under an ID NUT's table does not know: found by its usage page.
  const unknown = { ...apc, vendorId: 0x1234, productId: 0xabcd, bus: "002" };
  const port = new ReplayPort([new SwitchableDevice(apc), new SwitchableDevice(unknown)]);
  const io = memoryIo();
  assert.equal(await runScanner(["-U", "-q"], io, () => usbSourceFrom(port)), 0);
  assert.equal(
    io.out.join(""),
    '[nutdev1]\n\tdriver = "usbhid-ups"\n\tport = "auto"\n\tvendorid = "051D"\n\tproductid = "0002"\n' +
      '\tproduct = "Back-UPS 500 FW: 6.5.I USB FW: c1"\n\tvendor = "American Power Conversion"\n\tbus = "001"\n' +
      '[nutdev2]\n\tdriver = "usbhid-ups"\n\tport = "auto"\n\tvendorid = "1234"\n\tproductid = "ABCD"\n' +
      '\tproduct = "Back-UPS 500 FW: 6.5.I USB FW: c1"\n\tvendor = "American Power Conversion"\n\tbus = "002"\n',
  );
});
