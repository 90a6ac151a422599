#!/usr/bin/env node
// The bundle (npm run build), from V8's code cache when it has one for this node and flags.
import { loadBundle } from '../dist/load-bundle.js';

await loadBundle().cli.run(process.argv.slice(2));
