/** The kinds this operator serves: each registers /hooks/<kind>/{customize,sync,finalize,plan} and has a CRD. */
import type { DecoratorKind, KindController } from '../kernel/hook-kind.js';
import { atlasBackupPolicy } from './atlasbackuppolicy/kind.js';
import { atlasBackupPolicyCrd } from './atlasbackuppolicy/schema.js';
import { atlasBackupSchedule } from './atlasbackupschedule/kind.js';
import { atlasBackupScheduleCrd } from './atlasbackupschedule/schema.js';
import { atlasCluster } from './atlascluster/kind.js';
import { atlasCustomRole } from './atlascustomrole/kind.js';
import { atlasTeam } from './atlasteam/kind.js';
import { atlasTeamCrd } from './atlasteam/schema.js';
import { atlasCustomRoleCrd } from './atlascustomrole/schema.js';
import { atlasIPAccessList } from './atlasipaccesslist/kind.js';
import { atlasIPAccessListCrd } from './atlasipaccesslist/schema.js';
import { atlasClusterCrd } from './atlascluster/schema.js';
import { atlasDatabaseUser } from './atlasdatabaseuser/kind.js';
import { atlasDatabaseUserCrd } from './atlasdatabaseuser/schema.js';
import { atlasDeployment } from './atlasdeployment/kind.js';
import { atlasDeploymentCrd } from './atlasdeployment/schema.js';
import { atlasProject } from './atlasproject/kind.js';
import { atlasProjectCrd } from './atlasproject/schema.js';
import { connectionSecretSharing } from './connectionsecretsharing/kind.js';
import type { KindDefinition } from './crd.js';

export function allKinds(): KindController[] {
  return [atlasProject, atlasCluster, atlasDeployment, atlasDatabaseUser, atlasIPAccessList, atlasCustomRole, atlasTeam, atlasBackupSchedule, atlasBackupPolicy];
}

/** The DecoratorControllers this operator serves. */
export function allDecorators(): DecoratorKind[] {
  return [connectionSecretSharing];
}

/** Every kind's schema, for the CRD generator and its test. */
export const kindDefinitions: KindDefinition[] = [atlasProjectCrd, atlasClusterCrd, atlasDeploymentCrd, atlasDatabaseUserCrd, atlasIPAccessListCrd, atlasCustomRoleCrd, atlasTeamCrd, atlasBackupScheduleCrd, atlasBackupPolicyCrd];

export function crdFileName(kind: KindDefinition): string {
  return `atlas.mongodb.com_${kind.plural}.yaml`;
}
