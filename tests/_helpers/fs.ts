/**
 * File-system checks the tests share.
 * @module
 */

/**
 * Whether a path exists (follows links).
 * @param path the path
 * @returns false only when it is not found; other errors are thrown
 */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
