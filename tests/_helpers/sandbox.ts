/**
 * A temporary NUT installation for one test: CONFPATH, STATEPATH and pid
 * dirs under one temp dir, removed on dispose.
 * @module
 */

/** A temp NUT tree. */
export interface Sandbox extends AsyncDisposable {
  /** The root temp dir. */
  readonly dir: string;
  /** NUT_CONFPATH. */
  readonly confPath: string;
  /** NUT_STATEPATH (driver sockets, pid files). */
  readonly statePath: string;
  /** Environment for NUT programs (ours and the real ones). */
  readonly env: Record<string, string>;
  /** Writes `CONFPATH/<name>` (mode 0640 by default). */
  writeConf(name: string, text: string, mode?: number): string;
  /** A path under the sandbox root. */
  path(name: string): string;
}

/**
 * Creates a sandbox.
 * @param prefix temp dir prefix
 * @returns the sandbox (use with `await using`)
 */
export function makeSandbox(prefix = "nut-test-"): Sandbox {
  const dir = Deno.makeTempDirSync({ prefix });
  const confPath = `${dir}/etc`;
  const statePath = `${dir}/state`;
  Deno.mkdirSync(confPath);
  Deno.mkdirSync(statePath, { mode: 0o770 });
  const env = {
    NUT_CONFPATH: confPath,
    NUT_STATEPATH: statePath,
    NUT_ALTPIDPATH: statePath,
    NUT_PIDPATH: statePath,
  };
  return {
    dir,
    confPath,
    statePath,
    env,
    writeConf(name, text, mode = 0o640) {
      const p = `${confPath}/${name}`;
      Deno.writeTextFileSync(p, text, { mode });
      Deno.chmodSync(p, mode);
      return p;
    },
    path: (name) => `${dir}/${name}`,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    },
  };
}
