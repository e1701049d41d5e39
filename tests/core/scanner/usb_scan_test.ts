import assert from "node:assert/strict";
import {
  ambiguityComments,
  formatParsable,
  formatUpsConf,
  scanUsb,
} from "../../../core/scanner/usb_scan.ts";
import { parseFixture } from "../../../drivers/usbhid/fixture.ts";
import { decodeItems } from "../../../drivers/usbhid/report_descriptor.ts";
import { REPO } from "../../_helpers/process.ts";

const HID = `${REPO}/../shared/data/hid`;

Deno.test("formatUpsConf() prints NUT 2.8.0's [nutdevN] sections, TAB-indented and quoted", {
  permissions: "none",
}, () => {
  const r = scanUsb([{
    vendorId: 0x051d,
    productId: 0x0002,
    product: "Back-UPS ES 700G FW:871.O2 .I USB FW:O2",
    serial: "3B88910X16463",
    vendor: "APC",
    bus: "002",
  }]);
  assert.equal(
    formatUpsConf(r),
    '[nutdev1]\n\tdriver = "usbhid-ups"\n\tport = "auto"\n\tvendorid = "051D"\n\tproductid = "0002"\n' +
      '\tproduct = "Back-UPS ES 700G FW:871.O2 .I USB FW:O2"\n\tserial = "3B88910X16463"\n\tvendor = "APC"\n' +
      '\tbus = "002"\n',
  );
  assert.equal(
    formatParsable(r),
    'USB:driver="usbhid-ups",port="auto",vendorid="051D",productid="0002",' +
      'product="Back-UPS ES 700G FW:871.O2 .I USB FW:O2",serial="3B88910X16463",vendor="APC",bus="002"\n',
  );
});

Deno.test("scanUsb() uses NUT's ID table, then the HID Power Device usage page", {
  permissions: "none",
}, () => {
  const r = scanUsb([
    { vendorId: 0x0665, productId: 0x5161, bus: "001" },
    { vendorId: 0x1234, productId: 0x0001, bus: "001", hidUsagePage: 0x84 },
    { vendorId: 0x1234, productId: 0x0002, bus: "001", hidUsagePage: 0x01 },
  ]);
  assert.deepEqual(r.map((x) => x.driver), ["nutdrv_qx", "usbhid-ups"]);
});

Deno.test("ambiguityComments() flags devices without serial that cannot be told apart", {
  permissions: "none",
}, () => {
  const dev = { vendorId: 0x0764, productId: 0x0501, bus: "001", product: "CP900" };
  const r = scanUsb([dev, { ...dev, bus: "002" }, { ...dev, serial: "X1" }]);
  const c = ambiguityComments(r);
  assert.match(c, /nutdev1, nutdev2 cannot be told apart .*no serial/);
  assert.match(c, /busport/);
  assert.doesNotMatch(c, /nutdev3/);
  assert.equal(ambiguityComments(r.slice(2)), "");
});

Deno.test("scanUsb() finds every replay fixture with IDs and a descriptor", {
  permissions: { read: true },
}, () => {
  const devices = [];
  for (
    const e of [...Deno.readDirSync(HID)].filter((e) => e.name.endsWith(".json")).sort((a, b) =>
      a.name < b.name ? -1 : 1
    )
  ) {
    const f = parseFixture(Deno.readTextFileSync(`${HID}/${e.name}`), e.name);
    if (f.vendorId === null || f.productId === null) continue;
    devices.push({
      vendorId: f.vendorId,
      productId: f.productId,
      vendor: f.usbStrings.iManufacturer,
      product: f.usbStrings.iProduct,
      bus: "001",
      hidUsagePage: f.descriptor
        ? decodeItems(f.descriptor).find((i) => i.name === "Usage Page")?.value
        : undefined,
    });
  }
  const r = scanUsb(devices);
  assert.ok(r.length >= 2);
  assert.ok(r.every((x) => x.port === "auto"));
  assert.ok(r.some((x) => x.options.some(([k, v]) => k === "vendorid" && v === "051D")));
});
