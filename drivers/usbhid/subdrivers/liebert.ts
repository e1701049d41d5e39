// Generated from NUT 2.8.0 mapping data (drivers/liebert-hid.c): device knowledge as readonly data.
// Lookups backed by a conversion function name a converter in ../converters.ts.

import { rows, type SubdriverTable } from "./types.ts";

/** Phoenixtec/Liebert HID 0.41 (usbhid-ups subdriver liebert). */
export const liebert: SubdriverTable = {
  name: "Phoenixtec/Liebert HID 0.41",
  devices: [
    { vendorId: 0x10af, productId: 0xffff, hook: null },
  ],
  usages: [],
  // NUT name, HID path, format, length, flags, lookup: NUT's rows in NUT's order (first match wins)
  // deno-fmt-ignore
  map: rows([
    ["unmapped.ups.powersummary.flowid", "UPS.PowerSummary.FlowID", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.powersummaryid", "UPS.PowerSummary.PowerSummaryID", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.designcapacity", "UPS.PowerSummary.DesignCapacity", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.capacitygranularity1", "UPS.PowerSummary.CapacityGranularity1", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.capacitymode", "UPS.PowerSummary.CapacityMode", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.rechargeable", "UPS.PowerSummary.Rechargeable", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.iproduct", "UPS.PowerSummary.iProduct", "%.0f", 0, [], null],
    ["unmapped.ups.powersummary.imanufacturer", "UPS.PowerSummary.iManufacturer", "%.0f", 0, [], null],
    ["battery.voltage", "UPS.PowerSummary.Voltage", "%.2f", 0, [], null],
    ["battery.voltage.nominal", "UPS.PowerSummary.ConfigVoltage", "%.2f", 0, ["static"], null],
    ["battery.charge", "UPS.PowerSummary.RemainingCapacity", "%.0f", 0, [], null],
    ["battery.runtime", "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0, [], null],
    ["battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", 0, [], "stringid_conversion"],
    ["ups.load", "UPS.PowerSummary.PercentLoad", "%.0f", 0, [], null],
    ["output.voltage", "UPS.PowerConverter.Output.Voltage", "%.1f", 0, [], null],
    ["output.frequency", "UPS.PowerConverter.Output.Frequency", "%.2f", 0, [], null],
    ["output.transfer.high", "UPS.PowerConverter.Output.HighVoltageTransfer", "%.1f", 0, ["semiStatic"], null],
    ["output.transfer.low", "UPS.PowerConverter.Output.LowVoltageTransfer", "%.1f", 0, ["semiStatic"], null],
    ["input.voltage", "UPS.PowerConverter.Input.[1].Voltage", "%.1f", 0, [], null],
    ["input.frequency", "UPS.PowerConverter.Input.[1].Frequency", "%.2f", 0, [], null],
    ["input.transfer.low", "UPS.PowerConverter.Output.ffff0057", "%.0f", 0, ["semiStatic"], null],
    ["input.transfer.high", "UPS.PowerConverter.Output.ffff0058", "%.0f", 0, ["semiStatic"], null],
    ["input.frequency.transfer.low", "UPS.PowerConverter.Output.ffff00f9", "%.0f", 0, ["semiStatic"], null],
    ["input.frequency.transfer.high", "UPS.PowerConverter.Output.ffff00f8", "%.0f", 0, ["semiStatic"], null],
    ["BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", "%.0f", 0, ["quickPoll"], "online_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "%.0f", 0, ["quickPoll"], "lowbatt_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Charging", "%.0f", 0, ["quickPoll"], "charging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Discharging", "%.0f", 0, ["quickPoll"], "discharging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Overload", "%.0f", 0, [], "overload_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.ShutdownImminent", "%.0f", 0, [], "shutdownimm_info"],
  ]),
  lookups: {},
};
