// The command as one ES module bundle with its dependencies (esbuild, a well-kept bundler):
// resolving and loading hundreds of files is most of `serve`'s start-up and some of its
// memory. Code splitting keeps each subcommand's code in its own chunk, loaded only when it
// runs, so `serve` still never loads the simulator or the demo. dist/ (tsc's output) stays
// for the tests and for anyone importing the modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: without this, every build leaves the last one's behind.
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'dist/cli.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies require node's built-ins; an ES module has no require of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  // V8 keeps every module's source in the heap, and esbuild keeps the comments of what it
  // bundles: undici's curly apostrophes made a 1.3 MB chunk a two-byte string. Without
  // whitespace and comments the sources are 2.6 MB instead of 3.7, all one-byte, and idle RSS
  // falls ~4 MiB. Names are kept, so stack traces still name every function.
  minifyWhitespace: true,
});
