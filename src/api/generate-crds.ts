/** Writes deploy/crds/ from the TypeBox schemas. Run: npm run generate:crds */
import { writeFileSync } from 'node:fs';
import { crdYaml } from './crd.js';
import { crdFileName, kindDefinitions } from './kinds.js';

// From src/api or dist/api alike, the package root is two levels up.
const crdDir = new URL('../../deploy/crds/', import.meta.url);

for (const kind of kindDefinitions) {
  const path = new URL(crdFileName(kind), crdDir);
  writeFileSync(path, crdYaml(kind));
  console.log(`wrote ${path.pathname}`);
}
