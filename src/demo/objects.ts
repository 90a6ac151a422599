/**
 * Kubernetes objects as Metacontroller hands them to hooks: read from manifests, with
 * stringData folded into base64 data as the API server stores it, and grouped in v2 maps.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../config/flags.js';
import type { KubeObject, ObjectMap, RelatedResourceRule } from '../kernel/contract.js';
import { kindDefinitions } from '../kinds/index.js';
import { PACKAGE_ROOT } from '../version.js';

/** The example manifests the demo applies and examples/hooks/' payloads are made from. */
export const examplesDir = new URL('examples/', PACKAGE_ROOT);

export function loadManifests(dir: URL): KubeObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadManifestFile(new URL(f, dir)));
}

/**
 * The objects of one manifest file, as stored: every document a Kubernetes object (kind and
 * metadata.name), namespaced (default where the manifest names none). Unreadable files and
 * documents that are not YAML or not objects are a UsageError naming the file and document.
 */
export function loadManifestFile(file: string | URL): KubeObject[] {
  const shown = typeof file === 'string' ? file : fileURLToPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${shown}: ${(error as Error).message}`);
  }
  return parseAllDocuments(text).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new UsageError(`${shown}: document ${i + 1} is not YAML: ${doc.errors[0]!.message}`);
    const object = doc.toJSON() as KubeObject | null;
    if (object === null) return [];
    if (typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
      throw new UsageError(`${shown}: document ${i + 1} is not a Kubernetes object (it needs kind and metadata.name)`);
    }
    return [asStored({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? 'default' } })];
  });
}

/** What the API server would hand back: stringData merged into base64 data, a uid, a generation. */
export function asStored(object: KubeObject): KubeObject {
  const stored = structuredClone(object) as KubeObject & { stringData?: Record<string, string>; data?: Record<string, string> };
  if (stored.stringData) {
    stored.data = { ...stored.data };
    for (const [key, value] of Object.entries(stored.stringData)) stored.data[key] = Buffer.from(value).toString('base64');
    delete stored.stringData;
  }
  stored.metadata = { generation: 1, uid: `uid-${object.metadata.namespace}-${object.metadata.name}`, ...stored.metadata };
  return stored;
}

/** Resource (plural) → kind, for every kind we serve and the Secrets they read. */
const KIND_OF_RESOURCE: Record<string, string> = { secrets: 'Secret', ...Object.fromEntries(kindDefinitions.map((k) => [k.plural, k.kind])) };

function matches(object: KubeObject, rule: RelatedResourceRule): boolean {
  if (object.apiVersion !== rule.apiVersion || object.kind !== KIND_OF_RESOURCE[rule.resource]) return false;
  if (rule.namespace !== undefined && object.metadata.namespace !== rule.namespace) return false;
  if (rule.names && !rule.names.includes(object.metadata.name)) return false;
  const labels = object.metadata.labels ?? {};
  const wanted = rule.labelSelector?.matchLabels ?? {};
  return (
    Object.entries(wanted).every(([k, v]) => labels[k] === v) &&
    (rule.labelSelector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return key in labels && values.includes(labels[key]!);
        case 'NotIn':
          return !(key in labels) || !values.includes(labels[key]!);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          throw new Error(`unknown label selector operator ${operator}`);
      }
    })
  );
}

/** The related objects Metacontroller would send for these customize rules. */
export function relatedFor(rules: RelatedResourceRule[], objects: KubeObject[]): ObjectMap {
  return objectMap(objects.filter((o) => rules.some((rule) => matches(o, rule))));
}

export function objectMap(objects: KubeObject[]): ObjectMap {
  const map: ObjectMap = {};
  for (const o of objects) (map[`${o.kind}.${o.apiVersion}`] ??= {})[`${o.metadata.namespace}/${o.metadata.name}`] = o;
  return map;
}

/**
 * The AtlasProjects among the objects, those a cluster or user points at first, so a fresh
 * simulator with sequential ids gives them the same ids whether one project or all are
 * played (the demo, examples/hooks/ and the README's curl lines agree).
 */
export function projectsInOrder(objects: KubeObject[]): KubeObject[] {
  const referenced = new Set(
    objects.flatMap((o) => {
      const ref = (o.spec as { projectRef?: { name?: string; namespace?: string } } | undefined)?.projectRef;
      return ref?.name ? [`${ref.namespace || o.metadata.namespace}/${ref.name}`] : [];
    }),
  );
  const rank = (p: KubeObject) => (referenced.has(`${p.metadata.namespace}/${p.metadata.name}`) ? 0 : 1);
  return objects.filter((o) => o.kind === 'AtlasProject').sort((a, b) => rank(a) - rank(b));
}
