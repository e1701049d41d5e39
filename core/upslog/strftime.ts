/**
 * C `strftime()` in the C/POSIX locale (what upslog's `%TIME …%` uses),
 * for a time zone given by name or the process's local zone.
 *
 * @module
 */

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Broken-down time (`struct tm`, months 0-based, plus offset and zone name). */
interface Tm {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
  wday: number;
  yday: number;
  /** Offset from UTC in minutes (east positive). */
  gmtoff: number;
  zone: string;
  epoch: number;
}

function breakDown(date: Date, timeZone: string | undefined): Tm {
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  if (timeZone === undefined) {
    y = date.getFullYear();
    mo = date.getMonth();
    d = date.getDate();
    h = date.getHours();
    mi = date.getMinutes();
    s = date.getSeconds();
  } else {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    }).formatToParts(date);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
    y = get("year");
    mo = get("month") - 1;
    d = get("day");
    h = get("hour") % 24;
    mi = get("minute");
    s = get("second");
  }
  const asUtc = Date.UTC(y, mo, d, h, mi, s);
  const epochSec = Math.floor(date.getTime() / 1000);
  const gmtoff = Math.round((asUtc / 1000 - epochSec) / 60);
  const wday = new Date(Date.UTC(y, mo, d)).getUTCDay();
  const yday = Math.round((Date.UTC(y, mo, d) - Date.UTC(y, 0, 1)) / 86_400_000);
  let zone = "";
  try {
    const z = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(date).find((p) => p.type === "timeZoneName")?.value;
    zone = z ?? "";
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  return {
    year: y,
    mon: mo,
    mday: d,
    hour: h,
    min: mi,
    sec: s,
    wday,
    yday,
    gmtoff,
    zone,
    epoch: epochSec,
  };
}

function pad(n: number, width: number, fill = "0"): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(width, fill);
  return neg ? `-${s}` : s;
}

/** ISO 8601 week-based year and week number. */
function isoWeek(tm: Tm): { year: number; week: number } {
  const wdayMon = (tm.wday + 6) % 7; // Monday = 0
  const thursdayYday = tm.yday - wdayMon + 3;
  const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (thursdayYday < 0) {
    const py = tm.year - 1;
    const pdays = isLeap(py) ? 366 : 365;
    return { year: py, week: Math.floor((thursdayYday + pdays) / 7) + 1 };
  }
  const days = isLeap(tm.year) ? 366 : 365;
  if (thursdayYday >= days) return { year: tm.year + 1, week: 1 };
  return { year: tm.year, week: Math.floor(thursdayYday / 7) + 1 };
}

function conv(c: string, tm: Tm): string | undefined {
  const h12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
  switch (c) {
    case "a":
      return DAYS[tm.wday]!.slice(0, 3);
    case "A":
      return DAYS[tm.wday]!;
    case "b":
    case "h":
      return MONTHS[tm.mon]!.slice(0, 3);
    case "B":
      return MONTHS[tm.mon]!;
    case "c":
      return `${conv("a", tm)} ${conv("b", tm)} ${pad(tm.mday, 2, " ")} ${
        conv("T", tm)
      } ${tm.year}`;
    case "C":
      return pad(Math.floor(tm.year / 100), 2);
    case "d":
      return pad(tm.mday, 2);
    case "D":
      return `${conv("m", tm)}/${conv("d", tm)}/${conv("y", tm)}`;
    case "e":
      return pad(tm.mday, 2, " ");
    case "F":
      return `${tm.year}-${conv("m", tm)}-${conv("d", tm)}`;
    case "g":
      return pad(isoWeek(tm).year % 100, 2);
    case "G":
      return String(isoWeek(tm).year);
    case "H":
      return pad(tm.hour, 2);
    case "I":
      return pad(h12, 2);
    case "j":
      return pad(tm.yday + 1, 3);
    case "k":
      return pad(tm.hour, 2, " ");
    case "l":
      return pad(h12, 2, " ");
    case "m":
      return pad(tm.mon + 1, 2);
    case "M":
      return pad(tm.min, 2);
    case "n":
      return "\n";
    case "p":
      return tm.hour < 12 ? "AM" : "PM";
    case "P":
      return tm.hour < 12 ? "am" : "pm";
    case "r":
      return `${conv("I", tm)}:${conv("M", tm)}:${conv("S", tm)} ${conv("p", tm)}`;
    case "R":
      return `${conv("H", tm)}:${conv("M", tm)}`;
    case "s":
      return String(tm.epoch);
    case "S":
      return pad(tm.sec, 2);
    case "t":
      return "\t";
    case "T":
      return `${conv("H", tm)}:${conv("M", tm)}:${conv("S", tm)}`;
    case "u":
      return String(tm.wday === 0 ? 7 : tm.wday);
    case "U":
      return pad(Math.floor((tm.yday + 7 - tm.wday) / 7), 2);
    case "V":
      return pad(isoWeek(tm).week, 2);
    case "w":
      return String(tm.wday);
    case "W":
      return pad(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2);
    case "x":
      return conv("D", tm);
    case "X":
      return conv("T", tm);
    case "y":
      return pad(tm.year % 100, 2);
    case "Y":
      return String(tm.year);
    case "z": {
      const sign = tm.gmtoff < 0 ? "-" : "+";
      const a = Math.abs(tm.gmtoff);
      return `${sign}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
    }
    case "Z":
      return tm.zone;
    case "%":
      return "%";
  }
  return undefined;
}

/**
 * Formats a time like C's `strftime()` in the POSIX locale.
 * @param format the strftime format (`%Y%m%d %H%M%S` …)
 * @param date the instant
 * @param timeZone IANA zone name; default the process's local zone
 * @returns the formatted text; unknown conversions are copied as-is
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strftime } from "./strftime.ts";
 * const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
 * assert.equal(strftime("%Y%m%d %H%M%S %a %j", d, "UTC"), "20240102 030405 Tue 002");
 * ```
 */
export function strftime(format: string, date: Date, timeZone?: string): string {
  const tm = breakDown(date, timeZone);
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    let j = i + 1;
    // glibc flags/modifiers we accept and ignore: E and O
    if (format[j] === "E" || format[j] === "O") j++;
    const spec = format[j];
    const text = spec === undefined ? undefined : conv(spec, tm);
    if (text === undefined) {
      out += format.slice(i, j + 1);
    } else {
      out += text;
    }
    i = j;
  }
  return out;
}
