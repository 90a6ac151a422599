/** The kinds this operator serves; each registers /hooks/<kind>/{customize,sync,finalize}. */
import { atlasCluster } from './hooks/atlascluster.js';
import { atlasDatabaseUser } from './hooks/atlasdatabaseuser.js';
import { atlasProject } from './hooks/atlasproject.js';
import type { KindController } from './hooks/kind.js';

export function allKinds(): KindController[] {
  return [atlasProject, atlasCluster, atlasDatabaseUser];
}
