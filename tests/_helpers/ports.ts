/**
 * Free loopback ports for tests.
 * @module
 */

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago.
 * @returns the port number
 */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
