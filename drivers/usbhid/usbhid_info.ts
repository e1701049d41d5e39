/**
 * usbhid-ups's banner facts and variable table (NUT 2.8.0's, plus the
 * newer matching options busport/subdriver/allow_duplicates and our
 * record option).
 *
 * @module
 */

import type { DriverInfo } from "../framework/driver.ts";

/** Banner, `-h` and `-L` facts of usbhid-ups. */
export const USBHID_INFO: DriverInfo = {
  name: "usbhid-ups",
  description: "Generic HID driver",
  version: "0.47",
  vars: [
    { kind: "value", name: "lowbatt", desc: "Set low battery level, in % (default=30)" },
    { kind: "value", name: "offdelay", desc: "Set shutdown delay, in seconds (default=20)" },
    { kind: "value", name: "ondelay", desc: "Set startup delay, in seconds (default=30)" },
    {
      kind: "value",
      name: "pollfreq",
      desc: "Set polling frequency, in seconds, to reduce data flow (default=30)",
    },
    { kind: "flag", name: "pollonly", desc: "Don't use interrupt pipe, only use polling" },
    {
      kind: "flag",
      name: "onlinedischarge",
      desc: "Set to treat discharging while online as being offline",
    },
    { kind: "value", name: "vendor", desc: "Regular expression to match UPS Manufacturer string" },
    { kind: "value", name: "product", desc: "Regular expression to match UPS Product string" },
    { kind: "value", name: "serial", desc: "Regular expression to match UPS Serial number" },
    {
      kind: "value",
      name: "vendorid",
      desc: "Regular expression to match UPS Manufacturer numerical ID (4 digits hexadecimal)",
    },
    {
      kind: "value",
      name: "productid",
      desc: "Regular expression to match UPS Product numerical ID (4 digits hexadecimal)",
    },
    { kind: "value", name: "bus", desc: "Regular expression to match USB bus name" },
    { kind: "value", name: "device", desc: "Regular expression to match USB device name" },
    {
      kind: "value",
      name: "usb_set_altinterface",
      desc: "Force redundant call to usb_set_altinterface() (value=bAlternateSetting; default=0)",
    },
    { kind: "flag", name: "explore", desc: "Diagnostic matching of unsupported UPS" },
    { kind: "flag", name: "maxreport", desc: "Activate tweak for buggy APC Back-UPS firmware" },
    { kind: "flag", name: "interruptonly", desc: "Don't use polling, only use interrupt pipe" },
    { kind: "value", name: "interruptsize", desc: "Number of bytes to read from interrupt pipe" },
    { kind: "value", name: "busport", desc: "Regular expression to match USB bus port name" },
    { kind: "value", name: "subdriver", desc: "Regular expression to match a subdriver name" },
    {
      kind: "flag",
      name: "allow_duplicates",
      desc:
        "If you have several devices that cannot be told apart, allow more than one driver on them",
    },
    {
      kind: "value",
      name: "record",
      desc:
        "Record the device's descriptor, strings and reports to this JSON file (for replay:FILE)",
    },
  ],
};
