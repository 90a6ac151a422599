/**
 * Our CRDs against the official operator's (../shared/ako-crds/, read here, never copied):
 * field path by field path of spec and status. Applying our CRDs over an installation of
 * the official operator must prune nothing from the objects users stored, so every
 * official path is either in our schema with the same type, or under a node of ours that
 * keeps unknown fields. The coverage (paths we define and manage) is printed as a figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { crd } from '../../src/kinds/crd.js';
import { kindDefinitions } from '../../src/kinds/index.js';
import { SHARED } from '../helpers/shared.js';

type Node = { type?: string; required?: string[]; default?: unknown; 'x-kubernetes-validations'?: Array<{ rule: string }>; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean; 'x-kubernetes-preserve-unknown-fields'?: boolean; enum?: unknown[] };

/** Every field path under a node: `.spec.name`, `.spec.roles[].roleName`, `.spec.labels{}`. */
function paths(node: Node, at: string, out = new Map<string, Node>()): Map<string, Node> {
  out.set(at, node);
  for (const [name, child] of Object.entries(node.properties ?? {})) paths(child, `${at}.${name}`, out);
  if (node.items) paths(node.items, `${at}[]`, out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') paths(node.additionalProperties, `${at}{}`, out);
  return out;
}

/** Whether `path` survives in an object stored under `ours`, and with which of our nodes. */
function lookup(ours: Map<string, Node>, path: string): { defined: Node } | { keptBy: string } | undefined {
  const defined = ours.get(path);
  if (defined) return { defined };
  // The nearest ancestor we define: if it keeps unknown fields, the path is kept whole.
  for (let cut = path.search(/(\.[^.[{]+|\[\]|\{\})$/); cut > 0; cut = path.slice(0, cut).search(/(\.[^.[{]+|\[\]|\{\})$/)) {
    const ancestor = ours.get(path.slice(0, cut));
    if (ancestor) return ancestor['x-kubernetes-preserve-unknown-fields'] ? { keptBy: path.slice(0, cut) } : undefined;
  }
  return undefined;
}

const TARGETS: Array<[release: string, kinds: string[]]> = [
  ['v0.5.0', ['AtlasProject', 'AtlasCluster', 'AtlasDatabaseUser']],
  ['v0.8.1', ['AtlasProject', 'AtlasCluster', 'AtlasDatabaseUser']],
  ['v2.15.1', ['AtlasProject', 'AtlasDeployment', 'AtlasDatabaseUser', 'AtlasBackupSchedule', 'AtlasBackupPolicy', 'AtlasIPAccessList', 'AtlasCustomRole', 'AtlasTeam']],
];

const root = `${SHARED}ako-crds`;
if (!existsSync(root)) {
  t.test('official CRDs', { skip: `../shared/ako-crds is not beside the checkout (${root}): the official CRDs are read from there` }, async () => {});
} else {
  for (const [release, kinds] of TARGETS) {
    for (const kind of kinds) {
      t.test(`${kind} ${release}: nothing the official CRD stores is pruned or refused by ours, and what we define has its type`, async (t) => {
        const definition = kindDefinitions.find((k) => k.kind === kind)!;
        const official = parse(readFileSync(`${root}/${release}/atlas.mongodb.com_${definition.plural}.yaml`, 'utf8'));
        const theirs = official.spec.versions.find((v: { storage?: boolean }) => v.storage)?.schema.openAPIV3Schema as Node;
        const ours = (crd(definition) as any).spec.versions[0].schema.openAPIV3Schema as Node;
        const ourPaths = paths(ours, '');
        const pruned: string[] = [];
        const mistyped: string[] = [];
        const stricter: string[] = [];
        const unlike: string[] = [];
        let defined = 0;
        let total = 0;
        for (const [path, node] of paths(theirs, '')) {
          if (!/^\.(spec|status)/.test(path)) continue;
          total++;
          const found = lookup(ourPaths, path);
          if (!found) pruned.push(path);
          else if ('defined' in found) {
            defined++;
            if (node.type && found.defined.type && node.type !== found.defined.type) mistyped.push(`${path}: ${node.type} in the official CRD, ${found.defined.type} in ours`);
            // Stricter than the official schema, a stored object would be refused on its next write.
            // A required field with a default is filled in before validation: it refuses nothing.
            const extraRequired = (found.defined.required ?? []).filter((name) => !(node.required ?? []).includes(name) && found.defined.properties?.[name]?.default === undefined);
            if (extraRequired.length > 0) stricter.push(`${path}: we require ${extraRequired.join(', ')}`);
            const narrower = found.defined.enum && (!node.enum || node.enum.some((v) => !found.defined.enum!.includes(v)));
            if (narrower) stricter.push(`${path}: our enum ${JSON.stringify(found.defined.enum)} is narrower than ${node.enum ? JSON.stringify(node.enum) : 'none'}`);
            // The same validation: the official defaults and CEL rules hold in ours too.
            if (node.default !== undefined && JSON.stringify(node.default) !== JSON.stringify(found.defined.default)) unlike.push(`${path}: default ${JSON.stringify(node.default)} in the official CRD, ${JSON.stringify(found.defined.default)} in ours`);
            const ourRules = (found.defined['x-kubernetes-validations'] ?? []).map((v) => v.rule);
            for (const { rule } of node['x-kubernetes-validations'] ?? []) if (!ourRules.includes(rule)) unlike.push(`${path}: the official rule ${rule} is not ours`);
          }
        }
        t.comment(`${kind} ${release}: ${defined}/${total} paths defined, ${total - defined - pruned.length} kept as given, ${pruned.length} pruned`);
        t.equal(defined, total, `${kind} ${release} defines every official path (100%)`);
        t.same(pruned, [], 'no official path is pruned');
        t.same(mistyped, [], 'every path we define has the official type');
        t.same(stricter, [], 'no stored object is refused on its next write: we require no more, and allow no fewer values');
        t.same(unlike, [], 'the official defaults and CEL rules are ours too');
      });
    }
  }
}
