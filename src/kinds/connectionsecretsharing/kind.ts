/**
 * Connection Secrets where the apps run. Metacontroller keeps a composite parent's children
 * in the parent's namespace, so an AtlasDatabaseUser in a platform namespace cannot give
 * its Secrets to an app in `shop` itself. A DecoratorController on the receiving Namespaces
 * attaches copies instead, and only with consent on both sides:
 *
 * - the user names the namespaces it shares with, in the annotation SHARE_ANNOTATION; its
 *   sync labels each connection Secret with `share-to.atlas.mongodb.com/<namespace>`;
 * - the Namespace opts in with RECEIVE_LABEL (the DecoratorController's selector).
 *
 * The decorator's customize asks for the Secrets labelled for its namespace, and its sync
 * renders a copy of each. Either side withdrawing removes the copies: a source that loses
 * its label is no longer related, and a namespace that loses its label is finalized. Copies
 * are rendered from the source's content alone, so they are byte-stable and never written
 * twice for one change (the decorator pitfall with Secret attachments, Metacontroller #472).
 */
import type { KubeObject, ObjectMap, RelatedResourceRule } from '../../kernel/contract.js';
import type { DecoratorKind } from '../../kernel/hook-kind.js';
import { groupKey } from '../../kernel/contract.js';
import { CONNECTION_SECRET_LABEL, normalizeIdentifier } from '../connection-secrets.js';

export const SHARE_ANNOTATION = 'atlas.mongodb.com/share-connection-secrets-with';
export const RECEIVE_LABEL = 'atlas.mongodb.com/receive-connection-secrets';
/** `share-to.atlas.mongodb.com/<namespace>: "true"` on a source: a label selector can match it. */
export const SHARE_LABEL_PREFIX = 'share-to.atlas.mongodb.com/';
const SHARED_FROM_LABEL = 'atlas.mongodb.com/shared-from-namespace';
const SHARED_FROM_ANNOTATION = 'atlas.mongodb.com/shared-from';

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The namespaces a user shares with, or the first entry that is not a namespace name. */
export function shareTargets(user: KubeObject): { ok: true; namespaces: string[] } | { ok: false; message: string } {
  const value = user.metadata.annotations?.[SHARE_ANNOTATION];
  if (value === undefined) return { ok: true, namespaces: [] };
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.find((ns) => !NAMESPACE_NAME.test(ns));
  if (bad !== undefined) return { ok: false, message: `annotation ${SHARE_ANNOTATION}: "${bad.slice(0, 80)}" is not a namespace name` };
  const own = user.metadata.namespace ?? 'default';
  return { ok: true, namespaces: [...new Set(entries)].filter((ns) => ns !== own).sort() };
}

/** A connection Secret with exactly these share labels (any others it had are dropped). */
export function withShareLabels(secret: KubeObject, namespaces: string[]): KubeObject {
  const kept = Object.entries(secret.metadata.labels ?? {}).filter(([key]) => !key.startsWith(SHARE_LABEL_PREFIX));
  const labels = Object.fromEntries([...kept, ...namespaces.map((ns) => [`${SHARE_LABEL_PREFIX}${ns}`, 'true'] as const)].sort(([a], [b]) => a.localeCompare(b)));
  return { ...secret, metadata: { ...secret.metadata, labels } };
}

export function sharingRelatedRules(namespace: KubeObject): RelatedResourceRule[] {
  // No namespace in the rule: sources may be in any namespace.
  return [{ apiVersion: 'v1', resource: 'secrets', labelSelector: { matchLabels: { [`${SHARE_LABEL_PREFIX}${namespace.metadata.name}`]: 'true' } } }];
}

/** The copy's name: the source's namespace first, so two users' copies never collide. */
export function copyName(sourceNamespace: string, sourceName: string): string {
  return normalizeIdentifier(`${sourceNamespace}-${sourceName}`);
}

/** The copies a receiving namespace should hold, in a stable order. */
export function sharedCopies(target: KubeObject, related: ObjectMap): KubeObject[] {
  const namespace = target.metadata.name;
  if (target.metadata.labels?.[RECEIVE_LABEL] !== 'true') return [];
  const sources = Object.values(related[groupKey('Secret', 'v1')] ?? {})
    .filter((s) => s.metadata.labels?.[`${SHARE_LABEL_PREFIX}${namespace}`] === 'true' && s.metadata.labels?.[CONNECTION_SECRET_LABEL] !== undefined)
    .filter((s) => s.metadata.namespace && s.metadata.namespace !== namespace)
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  return sources.map((source) => {
    const from = source.metadata.namespace!;
    const atlasLabels = Object.entries(source.metadata.labels ?? {}).filter(([key]) => key.startsWith('atlas.mongodb.com/'));
    const data = (source.data ?? {}) as Record<string, string>;
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: copyName(from, source.metadata.name),
        namespace,
        labels: Object.fromEntries([...atlasLabels, [SHARED_FROM_LABEL, from]].sort(([a], [b]) => a!.localeCompare(b!))),
        annotations: { [SHARED_FROM_ANNOTATION]: `${from}/${source.metadata.name}` },
      },
      type: (source.type as string | undefined) ?? 'Opaque',
      data: Object.fromEntries(Object.keys(data).sort().map((key) => [key, data[key]])),
    };
  });
}

export const connectionSecretSharing: DecoratorKind = {
  route: 'connectionsecretsharing',
  targetKind: 'Namespace',
  targetApiVersion: 'v1',
  customize: sharingRelatedRules,
  sync: (target, _attachments, related) => ({ attachments: sharedCopies(target, related) }),
  // The namespace left the selector (its label was removed) or is being deleted: the copies
  // go, and the finalizer only once Metacontroller has deleted them.
  finalize: (_target, attachments) => {
    const left = Object.values(attachments).reduce((n, objects) => n + Object.keys(objects).length, 0);
    return left === 0 ? { attachments: [], finalized: true } : { attachments: [], finalized: false, resyncAfterSeconds: 1 };
  },
};
