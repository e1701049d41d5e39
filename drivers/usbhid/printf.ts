/**
 * The printf number formats the usbhid-ups tables use (`%.0f`, `%.1f`,
 * `%.2f`, `%.3f`, `%g`, `%d`, `%s`), with C's round-half-to-even on exact
 * ties (JavaScript's toFixed rounds ties up).
 *
 * @module
 */

function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  // digits: integer digits string; round to `keep` leading digits, half-even on exact ties.
  const head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  if (rest === "" || /^0*$/.test(rest)) return { digits: head, carry: false };
  const first = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1);
  const exactHalf = first === 5 && /^0*$/.test(tail);
  const lastDigit = head === "" ? 0 : head.charCodeAt(head.length - 1) - 48;
  const up = first > 5 || (first === 5 && !exactHalf) || (exactHalf && lastDigit % 2 === 1);
  if (!up) return { digits: head, carry: false };
  const arr = head.split("").map((c) => c.charCodeAt(0) - 48);
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i]! < 9) {
      arr[i] = arr[i]! + 1;
      return { digits: arr.join(""), carry: false };
    }
    arr[i] = 0;
    i--;
  }
  return { digits: "1" + arr.join(""), carry: true };
}

/**
 * C's `%.<prec>f`.
 * @param value the number
 * @param prec digits after the point
 * @returns the text
 */
export function fixed(value: number, prec: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  const neg = value < 0 || Object.is(value, -0);
  const exact = Math.abs(value).toFixed(Math.min(100, prec + 60));
  const [intPart, fracPart = ""] = exact.split(".");
  const all = intPart! + fracPart;
  const keep = intPart!.length + prec;
  const r = roundDigits(all, keep);
  let digits = r.digits.padStart(keep, "0");
  const intLen = digits.length - prec;
  let text = digits.slice(0, intLen) || "0";
  if (prec > 0) text += "." + digits.slice(intLen);
  digits = text;
  return (neg ? "-" : "") + digits;
}

/**
 * C's `%g` (precision 6).
 * @param value the number
 * @returns the text
 */
export function g(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  const exp = value.toExponential(5); // d.ddddde±x
  const m = /^(-?)(\d)\.(\d+)e([+-]\d+)$/.exec(exp)!;
  const x = parseInt(m[4]!, 10);
  if (x < -4 || x >= 6) {
    const mant = `${m[2]}.${m[3]}`.replace(/\.?0+$/, "");
    const ax = Math.abs(x);
    return `${m[1]}${mant}e${x < 0 ? "-" : "+"}${ax < 10 ? "0" : ""}${ax}`;
  }
  const text = fixed(value, 5 - x);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * Formats a number with one printf conversion as used by the mapping tables.
 * @param fmt `%.Nf`, `%g`, `%d`, `%ld`, `%s` or text containing one of them
 * @param value the number
 * @returns the text
 */
export function formatNumber(fmt: string, value: number): string {
  return fmt.replace(/%(?:\.(\d+))?(l?[dfgsxi])/, (_m, prec: string | undefined, conv: string) => {
    switch (conv) {
      case "f":
        return fixed(value, prec === undefined ? 6 : parseInt(prec, 10));
      case "d":
      case "ld":
      case "i":
        return String(Math.trunc(value));
      case "x":
        return Math.trunc(value).toString(16);
      default:
        return g(value);
    }
  });
}
