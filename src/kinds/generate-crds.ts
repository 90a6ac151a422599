/** Writes deploy/crds/ and the Helm chart's crds/ from the TypeBox schemas. Run: npm run generate:crds */
import { writeFileSync } from 'node:fs';
import { crdYaml } from './crd.js';
import { crdFileName, kindDefinitions } from './index.js';

// From src/kinds or dist/kinds alike, the package root is two levels up.
const CRD_DIRS = [new URL('../../deploy/crds/', import.meta.url), new URL('../../charts/atlas-metacontroller/crds/', import.meta.url)];

for (const dir of CRD_DIRS) {
  for (const kind of kindDefinitions) {
    const path = new URL(crdFileName(kind), dir);
    writeFileSync(path, crdYaml(kind));
    console.log(`wrote ${path.pathname}`);
  }
}
