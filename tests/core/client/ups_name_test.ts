import assert from "node:assert/strict";
import { formatUpsName, splitAddr, splitName } from "../../../core/client/ups_name.ts";

const NO_PORT = "upscli_splitaddr: no port specified after ':' separator";

Deno.test("splitName() reads upsname[@hostname[:port]] like upscli_splitname()", {
  permissions: "none",
}, async (t) => {
  const cases: [string, { ups: string; host: string; port: number } | string[]][] = [
    ["su700", { ups: "su700", host: "localhost", port: 3493 }],
    ["su700@ups.lan", { ups: "su700", host: "ups.lan", port: 3493 }],
    ["su700@10.0.0.1:3494", { ups: "su700", host: "10.0.0.1", port: 3494 }],
    ["su700@[::1]", { ups: "su700", host: "::1", port: 3493 }],
    ["su700@[::1]:65535", { ups: "su700", host: "::1", port: 65535 }],
    ["su700@[fe80::1%eth0]:1", { ups: "su700", host: "fe80::1%eth0", port: 1 }],
    ["su700@[::1]x", { ups: "su700", host: "::1", port: 3493 }],
    ["su700@h:12abc", { ups: "su700", host: "h", port: 12 }],
    ["@host", { ups: "host", host: "host", port: 3493 }],
    ["su700@h:", [NO_PORT]],
    ["su700@h:0", [NO_PORT]],
    ["su700@h:65536", [NO_PORT]],
    ["su700@h:-1", [NO_PORT]],
    ["su700@h:x", [NO_PORT]],
    ["su700@[::1", ["upscli_splitaddr: missing closing bracket in [domain literal]"]],
    ["su700@", ["upscli_splitaddr: can't parse empty string"]],
    ["", ["upscli_splitname: can't parse empty string"]],
  ];
  for (const [input, want] of cases) {
    await t.step(JSON.stringify(input), () => {
      const got = splitName(input);
      if (Array.isArray(want)) assert.deepEqual(got, { ok: false, diagnostics: want });
      else assert.deepEqual(got, { ok: true, value: want });
    });
  }
  assert.deepEqual(splitName(undefined), { ok: false, diagnostics: [] });
});

Deno.test("splitAddr() reads hostname[:port] and [ipv6]:port like upscli_splitaddr()", {
  permissions: "none",
}, () => {
  assert.deepEqual(splitAddr("localhost"), { ok: true, value: { host: "localhost", port: 3493 } });
  assert.deepEqual(splitAddr("h:1"), { ok: true, value: { host: "h", port: 1 } });
  assert.deepEqual(splitAddr("[2001:db8::2]:3493"), {
    ok: true,
    value: { host: "2001:db8::2", port: 3493 },
  });
  assert.deepEqual(splitAddr("nope@x:99999"), { ok: false, diagnostics: [NO_PORT] });
});

Deno.test("formatUpsName() brackets IPv6 hosts and round-trips through splitName()", {
  permissions: "none",
}, () => {
  for (const n of [{ ups: "a", host: "::1", port: 1 }, { ups: "b", host: "h.lan", port: 3493 }]) {
    assert.deepEqual(splitName(formatUpsName(n)), { ok: true, value: n });
  }
});
