// Generated from NUT 2.8.0 mapping data (drivers/openups-hid.c): device knowledge as readonly data.
// Lookups backed by a conversion function name a converter in ../converters.ts.

import { rows, type SubdriverTable } from "./types.ts";

/** openUPS HID 0.5 (usbhid-ups subdriver openups). */
export const openups: SubdriverTable = {
  name: "openUPS HID 0.5",
  devices: [
    { vendorId: 0x04d8, productId: 0xd004, hook: "get_voltage_multiplier" },
    { vendorId: 0x04d8, productId: 0xd005, hook: "get_voltage_multiplier" },
  ],
  usages: [
    ["Cell1", 0x00000001],
    ["Cell2", 0x00000002],
    ["Cell3", 0x00000003],
    ["Cell4", 0x00000004],
    ["Cell5", 0x00000005],
    ["Cell6", 0x00000006],
  ],
  // NUT name, HID path, format, length, flags, lookup: NUT's rows in NUT's order (first match wins)
  // deno-fmt-ignore
  map: rows([
    ["ups.serial", "UPS.PowerSummary.iSerialNumber", "%s", 0, [], "stringid_conversion"],
    ["battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", 0, ["static"], "stringid_conversion"],
    ["battery.mfr.date", "UPS.PowerSummary.iOEMInformation", "%s", 0, ["static"], "stringid_conversion"],
    ["battery.voltage", "UPS.PowerSummary.Voltage", "%.2f", 0, ["quickPoll"], null],
    ["battery.current", "UPS.PowerSummary.Current", "%.3f", 0, ["quickPoll"], null],
    ["battery.capacity", "UPS.PowerSummary.DesignCapacity", "%.0f", 0, ["static"], null],
    ["battery.charge", "UPS.PowerSummary.RemainingCapacity", "%.0f", 0, ["quickPoll"], null],
    ["battery.charge.low", "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", 0, ["quickPoll"], null],
    ["battery.charge.warning", "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0, [], null],
    ["battery.runtime", "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0, ["quickPoll"], null],
    ["battery.temperature", "UPS.PowerSummary.Temperature", null, 0, ["quickPoll"], "openups_temperature_info"],
    ["output.voltage", "UPS.PowerSummary.Output.Voltage", null, 0, ["quickPoll"], "openups_vout_info"],
    ["output.current", "UPS.PowerSummary.Output.Current", null, 0, ["quickPoll"], "openups_cdischarge_info"],
    ["input.voltage", "UPS.PowerSummary.Input.Voltage", null, 0, ["quickPoll"], "openups_vin_info"],
    ["input.current", "UPS.PowerSummary.Input.Current", null, 0, ["quickPoll"], "openups_ccharge_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Good", null, 0, ["quickPoll"], "openups_off_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.InternalFailure", null, 0, ["quickPoll"], "commfault_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Overload", null, 0, ["quickPoll"], "overload_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.OverTemperature", null, 0, ["quickPoll"], "overheat_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.ShutdownImminent", null, 0, ["quickPoll"], "shutdownimm_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", null, 0, ["quickPoll"], "lowbatt_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", null, 0, ["quickPoll"], "timelimitexpired_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Charging", null, 0, ["quickPoll"], "openups_charging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Discharging", null, 0, ["quickPoll"], "openups_discharging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.NeedReplacement", null, 0, [], "replacebatt_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", null, 0, ["quickPoll"], "openups_online_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.BatteryPresent", null, 0, ["quickPoll"], "openups_nobattery_info"],
  ]),
  lookups: {
    openups_temperature_info: { kind: "fn", fn: "openups_temperature_fun", nuf: null },
    openups_vout_info: { kind: "fn", fn: "openups_scale_vout_fun", nuf: null },
    openups_cdischarge_info: { kind: "fn", fn: "openups_scale_cdischarge_fun", nuf: null },
    openups_vin_info: { kind: "fn", fn: "openups_scale_vin_fun", nuf: null },
    openups_ccharge_info: { kind: "fn", fn: "openups_scale_ccharge_fun", nuf: null },
    openups_off_info: { kind: "fn", fn: "openups_off_fun", nuf: null },
    openups_charging_info: { kind: "fn", fn: "openups_charging_fun", nuf: null },
    openups_discharging_info: { kind: "fn", fn: "openups_discharging_fun", nuf: null },
    openups_online_info: { kind: "fn", fn: "openups_online_fun", nuf: null },
    openups_nobattery_info: { kind: "fn", fn: "openups_nobattery_fun", nuf: null },
  },
};
