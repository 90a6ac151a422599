/** This release's version: package.json's, which the chart's appVersion and the image tag repeat (a test keeps them equal). */
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
