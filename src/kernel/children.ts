/**
 * Children as we render them. Metacontroller three-way-merges each returned child against
 * the last configuration it applied, so a child must carry only what we own: echoing an
 * observed object's resourceVersion, uid, managedFields or ownerReferences makes every
 * answer differ from the last one, and Metacontroller rewrites the child on every sync (a
 * hot loop that also re-triggers everything watching it).
 */
import type { KubeObject, ObjectMap } from './contract.js';

/**
 * Label and annotation keys this operator sets (atlas.mongodb.com/… and its subdomains, e.g.
 * share-to.atlas.mongodb.com/…); everything else on a child is someone else's.
 */
const OWNED_KEY = /^([a-z0-9-]+\.)*atlas\.mongodb\.com\//;

function ownedEntries(map: unknown): Record<string, string> | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  const owned = Object.keys(map)
    .filter((key) => OWNED_KEY.test(key))
    .sort()
    .map((key) => [key, String((map as Record<string, unknown>)[key])] as const);
  return owned.length > 0 ? Object.fromEntries(owned) : undefined;
}

/**
 * An observed child re-rendered as desired state: identity, our labels and annotations, and
 * its content (for a Secret: type and data). Server-set metadata and status never come back.
 */
export function renderObservedChild(child: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, status: _status, ...content } = child;
  const labels = ownedEntries(metadata.labels);
  const annotations = ownedEntries(metadata.annotations);
  return {
    apiVersion,
    kind,
    metadata: {
      name: metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    ...Object.fromEntries(Object.keys(content).sort().map((key) => [key, content[key]])),
  };
}

/** Every observed child, re-rendered, in a stable order. */
export function renderObservedChildren(children: ObjectMap): KubeObject[] {
  return Object.keys(children)
    .sort()
    .flatMap((group) => {
      const objects = children[group] ?? {};
      return Object.keys(objects)
        .sort()
        .map((key) => renderObservedChild(objects[key]!));
    });
}
