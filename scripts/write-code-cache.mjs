// Writes dist/bundle/cli.cjs's V8 code cache (src/load-bundle.ts) for the node and the
// NODE_OPTIONS this runs under: a cache V8 made under other flags it rejects. It starts
// `serve`, whose log lines go to stdout, and exits once the cache is written.
import { writeCodeCache } from '../dist/load-bundle.js';

const file = await writeCodeCache();
console.error(`wrote ${file}`);
process.exit(0);
