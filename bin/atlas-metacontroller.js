#!/usr/bin/env node
// The bundle (npm run build): one file loads faster than the modules it was made from.
import '../dist/bundle/cli.js';
