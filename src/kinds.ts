/** The kinds this operator serves; each registers /hooks/<kind>/{customize,sync,finalize}. */
import { atlasCluster } from './hooks/atlascluster.js';
import { atlasDatabaseUser } from './hooks/atlasdatabaseuser.js';
import { atlasProject } from './hooks/atlasproject.js';
import { connectionSecretSharing } from './hooks/connection-secret-sharing.js';
import type { DecoratorKind, KindController } from './hooks/kind.js';

export function allKinds(): KindController[] {
  return [atlasProject, atlasCluster, atlasDatabaseUser];
}

/** The DecoratorControllers this operator serves. */
export function allDecorators(): DecoratorKind[] {
  return [connectionSecretSharing];
}
