// Generated from NUT 2.8.0 mapping data (drivers/cps-hid.c): device knowledge as readonly data.
// Lookups backed by a conversion function name a converter in ../converters.ts.

import { rows, type SubdriverTable } from "./types.ts";

/** CyberPower HID 0.6 (usbhid-ups subdriver cps). */
export const cyberpower: SubdriverTable = {
  name: "CyberPower HID 0.6",
  devices: [
    { vendorId: 0x0764, productId: 0x0005, hook: null },
    { vendorId: 0x0764, productId: 0x0501, hook: "cps_battery_scale" },
    { vendorId: 0x0764, productId: 0x0601, hook: null },
  ],
  usages: [],
  // NUT name, HID path, format, length, flags, lookup: NUT's rows in NUT's order (first match wins)
  // deno-fmt-ignore
  map: rows([
    ["battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", 0, [], "stringid_conversion"],
    ["battery.mfr.date", "UPS.PowerSummary.iOEMInformation", "%s", 0, [], "stringid_conversion"],
    ["battery.charge.warning", "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0, [], null],
    ["battery.charge.low", "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", 10, ["rw", "string", "semiStatic"], null],
    ["battery.charge", "UPS.PowerSummary.RemainingCapacity", "%s", 0, [], "cps_battcharge"],
    ["battery.runtime", "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0, [], null],
    ["battery.runtime.low", "UPS.PowerSummary.RemainingTimeLimit", "%.0f", 10, ["rw", "string", "semiStatic"], null],
    ["battery.voltage.nominal", "UPS.PowerSummary.ConfigVoltage", "%.0f", 0, [], null],
    ["battery.voltage", "UPS.PowerSummary.Voltage", "%s", 0, [], "cps_battvolt"],
    ["ups.load", "UPS.Output.PercentLoad", "%.0f", 0, [], null],
    ["ups.beeper.status", "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, [], "beeper_info"],
    ["ups.test.result", "UPS.Output.Test", "%s", 0, [], "test_read_info"],
    ["ups.realpower.nominal", "UPS.Output.ConfigActivePower", "%.0f", 0, [], null],
    ["ups.delay.start", "UPS.Output.DelayBeforeStartup", "30", 10, ["rw", "string", "absent"], null],
    ["ups.delay.shutdown", "UPS.Output.DelayBeforeShutdown", "20", 10, ["rw", "string", "absent"], null],
    ["ups.timer.start", "UPS.Output.DelayBeforeStartup", "%.0f", 0, ["quickPoll"], null],
    ["ups.timer.shutdown", "UPS.Output.DelayBeforeShutdown", "%.0f", 0, ["quickPoll"], null],
    ["ups.timer.reboot", "UPS.Output.DelayBeforeReboot", "%.0f", 0, ["quickPoll"], null],
    ["BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", null, 0, ["quickPoll"], "online_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Charging", null, 0, ["quickPoll"], "charging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.Discharging", null, 0, ["quickPoll"], "discharging_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", null, 0, ["quickPoll"], "lowbatt_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.FullyCharged", null, 0, [], "fullycharged_info"],
    ["BOOL", "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", null, 0, [], "timelimitexpired_info"],
    ["BOOL", "UPS.Output.Boost", null, 0, [], "boost_info"],
    ["BOOL", "UPS.Output.Overload", null, 0, [], "overload_info"],
    ["input.frequency", "UPS.Input.Frequency", "%.1f", 0, [], null],
    ["input.voltage.nominal", "UPS.Input.ConfigVoltage", "%.0f", 0, [], null],
    ["input.voltage", "UPS.Input.Voltage", "%.1f", 0, [], null],
    ["input.transfer.low", "UPS.Input.LowVoltageTransfer", "%.0f", 10, ["rw", "string", "semiStatic"], null],
    ["input.transfer.high", "UPS.Input.HighVoltageTransfer", "%.0f", 10, ["rw", "string", "semiStatic"], null],
    ["output.frequency", "UPS.Output.Frequency", "%.1f", 0, [], null],
    ["output.voltage", "UPS.Output.Voltage", "%.1f", 0, [], null],
    ["output.voltage.nominal", "UPS.Output.ConfigVoltage", "%.0f", 0, [], null],
    ["test.battery.start.quick", "UPS.Output.Test", "1", 0, ["cmd"], null],
    ["test.battery.start.deep", "UPS.Output.Test", "2", 0, ["cmd"], null],
    ["test.battery.stop", "UPS.Output.Test", "3", 0, ["cmd"], null],
    ["load.off.delay", "UPS.Output.DelayBeforeShutdown", "20", 0, ["cmd"], null],
    ["load.on.delay", "UPS.Output.DelayBeforeStartup", "30", 0, ["cmd"], null],
    ["shutdown.stop", "UPS.Output.DelayBeforeShutdown", "-1", 0, ["cmd"], null],
    ["shutdown.reboot", "UPS.Output.DelayBeforeReboot", "10", 0, ["cmd"], null],
    ["beeper.on", "UPS.PowerSummary.AudibleAlarmControl", "2", 0, ["cmd"], null],
    ["beeper.off", "UPS.PowerSummary.AudibleAlarmControl", "3", 0, ["cmd"], null],
    ["beeper.enable", "UPS.PowerSummary.AudibleAlarmControl", "2", 0, ["cmd"], null],
    ["beeper.disable", "UPS.PowerSummary.AudibleAlarmControl", "1", 0, ["cmd"], null],
    ["beeper.mute", "UPS.PowerSummary.AudibleAlarmControl", "3", 0, ["cmd"], null],
  ]),
  lookups: {
    cps_battcharge: { kind: "fn", fn: "cps_battcharge_fun", nuf: null },
    cps_battvolt: { kind: "fn", fn: "cps_battvolt_fun", nuf: null },
  },
};
