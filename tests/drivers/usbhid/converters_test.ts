import assert from "node:assert/strict";
import { type ConvEnv, CONVERTERS, INVERSES } from "../../../drivers/usbhid/converters.ts";
import { fixed, formatNumber, g } from "../../../drivers/usbhid/printf.ts";

const env = (info: Record<string, string> = {}): ConvEnv => ({
  getString: (i) => Promise.resolve(i === 4 ? "PbAc" : undefined),
  getInfo: (n) => info[n],
  scratch: new Map(),
  productId: 0x0002,
});

Deno.test("converters turn HID values into NUT's text", { permissions: "none" }, async (t) => {
  const rows: [string, number, string | null, Record<string, string>?][] = [
    ["date_conversion_fun", 12515, "2004/07/03"],
    ["date_conversion_fun", 0, "not set"],
    ["apc_date_conversion_fun", 0x102202, "2002/10/22"],
    ["kelvin_celsius_conversion_fun", 302.35, "29.2"],
    ["kelvin_celsius_conversion_fun", 29.2, "29.2"],
    ["divide_by_10_conversion_fun", 2305, "230.5"],
    ["hex_conversion_fun", 255, "000000ff"],
    ["stringid_conversion_fun", 4, "PbAc"],
    ["cps_battcharge_fun", 104, "100"],
    ["powercom_online_conversion_fun", 1, "!online"],
    ["powercom_boost_conversion_fun", 0x18, "boost"],
    ["powercom_shutdown_fun", 0x0102, "121"],
    ["belkin_upstype_conversion_fun", 2, "line-interactive"],
    ["belkin_online_conversion_fun", 0, "online"],
    ["delta_ups_type_fun", 6, "split-phase"],
    ["mge_powerfactor_conversion_fun", 95, "0.95"],
    ["eaton_compute_realpower_fun", 0, "208", { "ups.load": "40", "ups.power.nominal": "650" }],
  ];
  for (const [fn, v, want, info] of rows) {
    await t.step(
      `${fn}(${v})`,
      async () => assert.equal(await CONVERTERS[fn]!(v, env(info)), want),
    );
  }
});

Deno.test("cps_battvolt_fun scales by 2/3 once the reading is far above nominal", {
  permissions: "none",
}, () => {
  const e = env({ "battery.voltage.nominal": "12" });
  e.scratch.set("cps.might_scale", 1);
  assert.equal(CONVERTERS.cps_battvolt_fun!(24, e), "16.0");
});

Deno.test("date_conversion_reverse() inverts date_conversion_fun", { permissions: "none" }, () => {
  assert.equal(INVERSES.date_conversion_reverse!("2004/07/03"), 12515);
});

Deno.test("printf formats round half to even like C and %g switches to exponents", {
  permissions: "none",
}, () => {
  assert.equal(fixed(2.5, 0), "2");
  assert.equal(fixed(3.5, 0), "4");
  assert.equal(fixed(13.58, 1), "13.6");
  assert.equal(fixed(0.125, 2), "0.12");
  assert.equal(g(13.58), "13.58");
  assert.equal(g(0.03), "0.03");
  assert.equal(g(1234567890), "1.23457e+09");
  assert.equal(g(459524), "459524");
  assert.equal(g(-1), "-1");
  assert.equal(formatNumber("%.0f", 2580), "2580");
  assert.equal(formatNumber("%.1f", 12), "12.0");
});
