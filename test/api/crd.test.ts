import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { crdYaml } from '../../src/kinds/crd.js';
import { crdFileName, kindDefinitions } from '../../src/kinds/index.js';

for (const kind of kindDefinitions) {
  for (const dir of ['deploy/crds', 'charts/atlas-metacontroller/crds']) {
    t.test(`${dir}/${crdFileName(kind)} is what src/kinds generates`, async (t) => {
      const checkedIn = readFileSync(new URL(`../../${dir}/${crdFileName(kind)}`, import.meta.url), 'utf8');
      t.equal(checkedIn, crdYaml(kind), 'run npm run generate:crds after changing a schema in src/kinds');
    });
  }

  t.test(`${kind.kind} CRD is structural and ready for Metacontroller`, async (t) => {
    const crd = parse(crdYaml(kind));
    const version = crd.spec.versions[0];
    t.same(version.subresources, { status: {} }, 'Metacontroller ignores a parent without the status subresource');
    const untyped: string[] = [];
    const walk = (node: any, path: string) => {
      if (node.type === undefined && !node['x-kubernetes-preserve-unknown-fields']) untyped.push(path);
      for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`);
      if (node.items) walk(node.items, `${path}[]`);
    };
    walk(version.schema.openAPIV3Schema, '');
    t.same(untyped, [], 'every schema node has a type');
    t.ok(version.schema.openAPIV3Schema.properties.status.properties.observedGeneration, 'status.observedGeneration exists');
  });
}
