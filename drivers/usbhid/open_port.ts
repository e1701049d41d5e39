/**
 * Turns the `port` option into a USB bus: `replay:FILE.json` replays a
 * recording (presence follows the file: move it away to unplug, back to
 * replug), anything else (`auto`, a bus path) is the real bus over npm:usb,
 * loaded only now.
 *
 * @module
 */

import type { UsbPort } from "./port.ts";
import { type ReplayDevice, ReplayPort } from "./replay_port.ts";
import { type HidFixture, parseFixture } from "./fixture.ts";

/**
 * A device backed by a recording file; re-read when the file changes.
 */
export class FileReplayDevice implements ReplayDevice {
  readonly path: string;
  #cache: { mtime: number; fixture: HidFixture } | undefined;

  /** @param path the recording */
  constructor(path: string) {
    this.path = path;
  }

  present(): boolean {
    try {
      return Deno.statSync(this.path).isFile;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }

  fixture(): HidFixture | undefined {
    let st: Deno.FileInfo;
    try {
      st = Deno.statSync(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    const mtime = st.mtime?.getTime() ?? 0;
    if (!this.#cache || this.#cache.mtime !== mtime) {
      this.#cache = { mtime, fixture: parseFixture(Deno.readTextFileSync(this.path), this.path) };
    }
    return this.#cache.fixture;
  }
}

/**
 * Resolves a replay file name (absolute, relative to the cwd, else to CONFPATH).
 * @param name file from `replay:NAME`
 * @param confPath NUT's CONFPATH
 * @returns the path to use
 */
export function resolveReplayPath(name: string, confPath: string): string {
  if (name.startsWith("/")) return name;
  try {
    Deno.statSync(name);
    return name;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return `${confPath}/${name}`;
}

/**
 * Opens the bus the `port` option names.
 * @param port the option value
 * @param confPath NUT's CONFPATH (relative replay files)
 * @returns the bus
 */
export async function openPortFor(port: string, confPath: string): Promise<UsbPort> {
  if (port.startsWith("replay:")) {
    const file = resolveReplayPath(port.slice("replay:".length), confPath);
    return new ReplayPort([new FileReplayDevice(file)], `replay:${file}`);
  }
  const { openUsbBus } = await import("./usb_port.ts");
  return await openUsbBus();
}
