// The command as one ES module bundle with its dependencies (esbuild, a well-kept bundler):
// resolving and loading hundreds of files is most of `serve`'s start-up and some of its
// memory. Code splitting keeps each subcommand's code in its own chunk, loaded only when it
// runs, so `serve` still never loads the simulator or the demo. dist/ (tsc's output) stays
// for the tests and for anyone importing the modules.
import { build } from 'esbuild';

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
});
