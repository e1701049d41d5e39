/**
 * Reading NUT's configuration files from CONFPATH: the only module of
 * `core/config/` that touches the disk, through an injected reader.
 *
 * @module
 */

/** Reads a whole file as a latin1 byte string (e.g. `cli/io.ts` `readLatin1`). */
export type ReadTextFile = (path: string) => Promise<string>;

/** Why a file could not be read. */
export type LoadFailure = "not-found" | "permission-denied" | "is-directory";

/** The outcome of {@linkcode loadConfigFile}. */
export type LoadResult =
  | { readonly ok: true; readonly path: string; readonly text: string }
  | {
    readonly ok: false;
    readonly path: string;
    readonly reason: LoadFailure;
    /** NUT's text: `Can't open <path>: <strerror>`. */
    readonly message: string;
  };

/** Options of {@linkcode loadConfigFile}. */
export interface LoadOptions {
  /** CONFPATH (see `core/paths.ts` `resolvePaths`). */
  readonly confPath: string;
  /** The file reader. */
  readonly readTextFile: ReadTextFile;
}

const STRERROR: Record<LoadFailure, string> = {
  "not-found": "No such file or directory",
  "permission-denied": "Permission denied",
  "is-directory": "Is a directory",
};

function classify(e: unknown): LoadFailure | undefined {
  if (e instanceof Deno.errors.NotFound) return "not-found";
  if (e instanceof Deno.errors.PermissionDenied) return "permission-denied";
  if (e instanceof Deno.errors.IsADirectory) return "is-directory";
  if (e instanceof Error && "code" in e) {
    const code = (e as { code: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "not-found";
    if (code === "EACCES") return "permission-denied";
    if (code === "EISDIR") return "is-directory";
  }
  return undefined;
}

/**
 * The path of a config file: `name` under CONFPATH, or `name` itself when
 * it is absolute (e.g. `upsmon -f /path`).
 * @param name file name (`ups.conf`) or absolute path
 * @param confPath CONFPATH
 * @returns the path NUT would open
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configPath } from "./load.ts";
 * assert.equal(configPath("ups.conf", "/etc/nut"), "/etc/nut/ups.conf");
 * assert.equal(configPath("/tmp/x.conf", "/etc/nut"), "/tmp/x.conf");
 * ```
 */
export function configPath(name: string, confPath: string): string {
  // no CONFPATH: the name as given (e.g. `upsmon -f ./upsmon.conf`), as NUT opens it
  return name.startsWith("/") || confPath === "" ? name : `${confPath}/${name}`;
}

/**
 * Reads one config file. A missing or unreadable file is a typed result
 * (with NUT's `Can't open ...` text), not an exception.
 * @param name file name under CONFPATH (`ups.conf`), or an absolute path
 * @param options CONFPATH and the reader
 * @returns the text and path, or why it could not be read
 * @throws whatever the reader throws for other failures (I/O errors)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfigFile } from "./load.ts";
 * const files: Record<string, string> = { "/c/ups.conf": "[ups]\n" };
 * const readTextFile = (p: string) =>
 *   p in files ? Promise.resolve(files[p]!) : Promise.reject(new Deno.errors.NotFound(p));
 * const ok = await loadConfigFile("ups.conf", { confPath: "/c", readTextFile });
 * assert.equal(ok.ok && ok.text, "[ups]\n");
 * const missing = await loadConfigFile("upsd.conf", { confPath: "/c", readTextFile });
 * assert.equal(!missing.ok && missing.message, "Can't open /c/upsd.conf: No such file or directory");
 * ```
 */
export async function loadConfigFile(name: string, options: LoadOptions): Promise<LoadResult> {
  const path = configPath(name, options.confPath);
  try {
    const text = await options.readTextFile(path);
    return { ok: true, path, text };
  } catch (e) {
    const reason = classify(e);
    if (reason === undefined) throw e;
    return { ok: false, path, reason, message: `Can't open ${path}: ${STRERROR[reason]}` };
  }
}

/** File metadata conf check needs (mode bits and whether it exists). */
export interface FileInfo {
  /** Permission bits (`0o640`), or null when unknown. */
  readonly mode: number | null;
  /** Whether it is a regular file. */
  readonly isFile: boolean;
}

/**
 * Reads file metadata, typed: undefined when the path does not exist.
 * @param path the file
 * @param stat the stat function (e.g. `Deno.stat`)
 * @returns mode and kind, or undefined
 * @throws whatever `stat` throws other than not-found
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statConfigFile } from "./load.ts";
 * const stat = (p: string) =>
 *   p === "/c/ups.conf"
 *     ? Promise.resolve({ mode: 0o100640, isFile: true })
 *     : Promise.reject(new Deno.errors.NotFound(p));
 * assert.deepEqual(await statConfigFile("/c/ups.conf", stat), { mode: 0o640, isFile: true });
 * assert.equal(await statConfigFile("/c/none", stat), undefined);
 * ```
 */
export async function statConfigFile(
  path: string,
  stat: (p: string) => Promise<{ mode: number | null; isFile: boolean }>,
): Promise<FileInfo | undefined> {
  try {
    const s = await stat(path);
    return { mode: s.mode === null ? null : s.mode & 0o7777, isFile: s.isFile };
  } catch (e) {
    if (classify(e) === "not-found") return undefined;
    throw e;
  }
}
