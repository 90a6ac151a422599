/**
 * Runs the command's bundle (dist/bundle/cli.cjs, npm run build) from V8's code cache when
 * the cache was written by this node under these flags: compiling the 2.6 MB bundle was
 * ~120 of the ~420 ms of CPU `serve` took to listen. Node 20 has no compile cache of its
 * own (22.1 added `module.enableCompileCache`), and a vm.Script's `cachedData` works on
 * every version, so the bundle is one CommonJS script compiled here rather than an ES
 * module node would load.
 *
 * V8 rejects a cache made by another V8 or under other flags (it then compiles the source,
 * as without one), but it tells sources apart only by their length: so the cache starts
 * with the bundle's build id, the hash scripts/bundle.mjs writes in its first line, and a
 * cache from any other build is never offered.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

/** What the bundle exports: src/cli.ts. */
export interface Cli {
  run(argv: string[]): Promise<void>;
  main(argv: string[], env?: NodeJS.ProcessEnv): Promise<void>;
}

const BUNDLE = fileURLToPath(new URL('./bundle/cli.cjs', import.meta.url));
const BUILD_ID = /^\/\/ build ([0-9a-f]{64})\n/;

const codeCacheOf = (bundle: string) => `${bundle}.code-cache`;

function buildIdOf(bundle: string, source: string): Buffer {
  const match = BUILD_ID.exec(source);
  if (!match) throw new Error(`${bundle} has no "// build <sha256>" first line: rebuild it with npm run build`);
  return Buffer.from(match[1]!, 'hex');
}

function cacheFor(bundle: string, buildId: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(codeCacheOf(bundle));
  } catch {
    return undefined; // none written: compile from source
  }
  return file.subarray(0, buildId.length).equals(buildId) ? file.subarray(buildId.length) : undefined;
}

export interface LoadedBundle {
  cli: Cli;
  /** Whether V8 took the code cache, rather than compiling (none, another build's, or rejected). */
  fromCache: boolean;
  /** The cache as V8 would write it now: every function compiled so far, behind the build id. */
  codeCache(): Buffer;
}

/** Compiles and runs the bundle (defining its modules; nothing runs the command yet). */
export function loadBundle(bundle = BUNDLE): LoadedBundle {
  const source = readFileSync(bundle, 'utf8');
  const buildId = buildIdOf(bundle, source);
  const cachedData = cacheFor(bundle, buildId);
  // The wrapper node's CommonJS loader puts around a module, so the bundle's require,
  // module and __filename are what they would be had node loaded it; strict, as the ES
  // modules it was made from were (the bundle's own "use strict" follows its banner). An
  // import() esbuild leaves (of a module it does not bundle) loads as a module's would.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {'use strict';${source}\n})`, {
    filename: bundle,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as Cli };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    cli: module.exports,
    fromCache: cachedData !== undefined && !script.cachedDataRejected,
    codeCache: () => Buffer.concat([buildId, script.createCachedData()]),
  };
}

/**
 * Starts `serve` (on a free port of 127.0.0.1, against no Atlas, which it does not call
 * before its first hook) and writes the code cache once it listens: what it compiled to get
 * there is what every later start skips. Run under the node and NODE_OPTIONS that will run
 * the command (the image's runtime stage does), since V8 rejects a cache made under others;
 * the server still runs, for the caller to exit.
 */
export async function writeCodeCache(bundle = BUNDLE): Promise<string> {
  const loaded = loadBundle(bundle);
  // No env: a TLS_CERT_FILE or such in the building shell could keep serve from starting.
  await loaded.cli.main(['serve', '--port', '0', '--host', '127.0.0.1', '--atlas-domain', 'http://127.0.0.1:9'], {});
  writeFileSync(codeCacheOf(bundle), loaded.codeCache());
  return codeCacheOf(bundle);
}
