/** Every kind's schema, for the CRD generator and its test. */
import { atlasClusterKind } from './atlascluster.js';
import { atlasDatabaseUserKind } from './atlasdatabaseuser.js';
import { atlasProjectKind } from './atlasproject.js';
import type { KindDefinition } from './crd.js';

export const kindDefinitions: KindDefinition[] = [atlasProjectKind, atlasClusterKind, atlasDatabaseUserKind];

export function crdFileName(kind: KindDefinition): string {
  return `atlas.mongodb.com_${kind.plural}.yaml`;
}
