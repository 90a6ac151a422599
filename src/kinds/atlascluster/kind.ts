/**
 * AtlasCluster: one Atlas advanced cluster in a project an AtlasProject manages, in the
 * seed-era shape or v0.8's clusterSpec / advancedClusterSpec. Decisions
 * are in plan.ts (and the spec translation in translation.ts); this module reads Atlas for
 * them and hands both to the kernel's sequence.
 */
import { step, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { API_VERSION } from '../common.js';
import { connectThroughProject, goneWithProject, projectRelatedRules, type InProject } from '../project-scope.js';
import { clusterReads } from '../clusters/atlas.js';
import { DEDICATED_API, observeClusterRemoval, observedClusterStatus } from '../clusters/plan.js';
import { checkClusterSpec, CLUSTER_READY, planCluster, planClusterRemoval } from './plan.js';
import { AtlasClusterStoredSpec } from './schema.js';
import { clusterNameOf } from './translation.js';

const clusterStep = step({
  name: 'cluster',
  condition: CLUSTER_READY,
  reasons: { create: 'ClusterNotCreatedInAtlas', update: 'ClusterNotUpdatedInAtlas', delete: 'ClusterNotUpdatedInAtlas' },
  observe: ({ scope, spec }, atlas) => clusterReads.get(atlas, scope.groupId, clusterNameOf(spec)),
  plan: planCluster,
});

export const atlasClusterKind: ManagedKind<AtlasClusterStoredSpec, InProject> = {
  kind: 'AtlasCluster',
  apiVersion: API_VERSION,
  route: 'atlascluster',
  readyCondition: CLUSTER_READY,
  conditionTypes: [CLUSTER_READY],
  customize: projectRelatedRules,
  validate: checkClusterSpec,
  specSchema: AtlasClusterStoredSpec,
  observedStatus: (parent) => observedClusterStatus(parent.status),
  connect: connectThroughProject,
  steps: [clusterStep],
  deletion: {
    noun: 'the cluster',
    observe: ({ scope, spec }, atlas) => observeClusterRemoval(DEDICATED_API, atlas, scope.groupId, clusterNameOf(spec)),
    plan: planClusterRemoval,
    goneOn: (error, { scope }, atlas) => goneWithProject(error, scope, atlas),
  },
};

export const atlasCluster = managedController(atlasClusterKind);
