// The command as one CommonJS script with its dependencies (esbuild, a well-kept bundler):
// resolving and loading hundreds of files was most of `serve`'s start-up and some of its
// memory, and one script is what V8's code cache takes (src/load-bundle.ts, which bin/
// runs; the cache is written by scripts/write-code-cache.mjs). Each subcommand's modules
// still run only when it does: esbuild keeps a dynamic import's module behind a function
// it calls on import. dist/ (tsc's output) stays for the tests and for anyone importing
// the modules.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });
const { outputFiles } = await build({
  entryPoints: ['dist/cli.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/cli.cjs',
  write: false,
  // version.ts finds the package from its own URL; a script has its __filename instead.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // V8 keeps every script's source in the heap, and esbuild keeps the comments of what it
  // bundles: undici's curly apostrophes made a 1.3 MB chunk a two-byte string. Without
  // whitespace and comments the sources are 2.6 MB instead of 3.7, all one-byte, and idle RSS
  // falls ~4 MiB. Names are kept, so stack traces still name every function.
  minifyWhitespace: true,
});
const [bundle] = outputFiles;
// The build id the code cache is matched against: V8 itself compares only the lengths.
const buildId = createHash('sha256').update(bundle.contents).digest('hex');
mkdirSync('dist/bundle');
writeFileSync('dist/bundle/cli.cjs', Buffer.concat([Buffer.from(`// build ${buildId}\n`), bundle.contents]));
// A cache for the node and NODE_OPTIONS building it, which are most often the ones that run
// it; the image writes its own under the runtime stage's NODE_OPTIONS.
execFileSync(process.execPath, ['scripts/write-code-cache.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
