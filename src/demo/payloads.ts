/**
 * The hook payloads Metacontroller would send for the example manifests, written to
 * examples/hooks/ for `curl -d @file` (npm run generate:examples). A test keeps them true.
 */
import { writeFileSync } from 'node:fs';
import { operatorIdentity } from '../config/identity.js';
import { allKinds } from '../kinds/index.js';
import { loadManifests, objectMap, relatedFor } from './objects.js';

export const examplesDir = new URL('../../examples/', import.meta.url);

export function examplePayloads(): Record<string, unknown> {
  const objects = loadManifests(examplesDir);
  const identity = operatorIdentity({ namespace: 'atlas-metacontroller' });
  const payloads: Record<string, unknown> = {};
  for (const parent of objects) {
    const kind = allKinds().find((k) => k.kind === parent.kind);
    if (!kind) continue;
    const related = relatedFor(kind.customize(parent, identity), objects);
    const base = `${kind.route}-${parent.metadata.name}`;
    payloads[`${base}-customize.json`] = { controller: {}, parent };
    for (const hook of ['sync', 'finalize'] as const) {
      payloads[`${base}-${hook}.json`] = { controller: {}, parent, children: objectMap([]), related, finalizing: hook === 'finalize' };
    }
  }
  return payloads;
}

export function render(payload: unknown): string {
  return `${JSON.stringify(payload, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, payload] of Object.entries(examplePayloads())) {
    writeFileSync(new URL(`hooks/${file}`, examplesDir), render(payload));
    console.log(`wrote examples/hooks/${file}`);
  }
}
