/**
 * AtlasDeployment (the official operator v2's cluster kind): one Atlas advanced cluster, or
 * one flex cluster, in a project an AtlasProject manages. It shares its cluster model and plans with AtlasCluster
 * (../clusters/); this module reads Atlas for them and hands both to the kernel's sequence.
 */
import type { AtlasClient } from '../../atlas/client.js';
import { AtlasApiError } from '../../atlas/errors.js';
import { stringAt } from '../../kernel/contract.js';
import { step, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { API_VERSION } from '../common.js';
import { backupScheduleReads, clusterReads, flexReads, processArgsReads } from '../clusters/atlas.js';
import { DEDICATED_API, FLEX_API, observeClusterRemoval, observedClusterStatus } from '../clusters/plan.js';
import { connectToProject, goneWithProject, projectOrExternalRules } from '../project-scope.js';
import { backupRelatedRules, planBackup, type DeploymentScope } from './backup.js';
import { planProcessArgs } from './process-args.js';
import { checkDeploymentSpec, DEPLOYMENT_READY, deploymentName, planDeployment, planDeploymentRemoval, type DeploymentObservation, type DeploymentRemoval, type ManagedDeployment } from './plan.js';
import { AtlasDeploymentSpec } from './schema.js';

/** The cluster of that name; a flex one when the cluster API refuses it as flex (a flex → dedicated upgrade). */
async function dedicatedOrFlex(atlas: AtlasClient, groupId: string, name: string): Promise<DeploymentObservation> {
  try {
    return { flex: false, cluster: await clusterReads.get(atlas, groupId, name) };
  } catch (error) {
    if (!(error instanceof AtlasApiError) || !error.is('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API')) throw error;
    return { flex: true, cluster: await flexReads.get(atlas, groupId, name) };
  }
}

const deploymentStep = step({
  name: 'deployment',
  condition: DEPLOYMENT_READY,
  reasons: { create: 'DeploymentNotCreatedInAtlas', update: 'DeploymentNotUpdatedInAtlas', delete: 'DeploymentNotUpdatedInAtlas' },
  async observe({ scope, spec }, atlas): Promise<DeploymentObservation> {
    return spec.flexSpec
      ? { flex: true, cluster: await flexReads.get(atlas, scope.groupId, spec.flexSpec.name) }
      : await dedicatedOrFlex(atlas, scope.groupId, spec.deploymentSpec.name);
  },
  plan: planDeployment,
});

const processArgsStep = step({
  name: 'advanced options',
  condition: DEPLOYMENT_READY,
  // The official operator's reason for options it could not apply.
  reasons: { create: 'DeploymentAdvancedOptionsReady', update: 'DeploymentAdvancedOptionsReady', delete: 'DeploymentAdvancedOptionsReady' },
  observe: ({ scope, spec }, atlas) => (spec.processArgs && spec.deploymentSpec ? processArgsReads.get(atlas, scope.groupId, spec.deploymentSpec.name) : Promise.resolve(undefined)),
  plan: planProcessArgs,
});

const backupStep = step({
  name: 'backup schedule',
  condition: DEPLOYMENT_READY,
  reasons: { create: 'DeploymentNotUpdatedInAtlas', update: 'DeploymentNotUpdatedInAtlas', delete: 'DeploymentNotUpdatedInAtlas' },
  observe: ({ scope, spec }, atlas) => (spec.backupRef && spec.deploymentSpec ? backupScheduleReads.get(atlas, scope.groupId, spec.deploymentSpec.name) : Promise.resolve(undefined)),
  plan: planBackup,
});

export const atlasDeploymentKind: ManagedKind<ManagedDeployment, DeploymentScope> = {
  kind: 'AtlasDeployment',
  apiVersion: API_VERSION,
  route: 'atlasdeployment',
  readyCondition: DEPLOYMENT_READY,
  conditionTypes: [DEPLOYMENT_READY],
  customize: (parent, identity) => [...projectOrExternalRules(parent, identity), ...backupRelatedRules(parent)],
  validate: checkDeploymentSpec,
  specSchema: AtlasDeploymentSpec,
  observedStatus: (parent) => {
    const orgId = stringAt(parent.status, 'orgId');
    return { ...observedClusterStatus(parent.status), ...(orgId ? { orgId } : {}) };
  },
  connect: connectToProject,
  steps: [deploymentStep, processArgsStep, backupStep],
  deletion: {
    noun: 'the deployment',
    async observe({ scope, spec }, atlas): Promise<DeploymentRemoval> {
      if (spec.serverlessSpec && !spec.deploymentSpec && !spec.flexSpec) return { unmanaged: true };
      return observeClusterRemoval(spec.flexSpec ? FLEX_API : DEDICATED_API, atlas, scope.groupId, deploymentName(spec));
    },
    plan: planDeploymentRemoval,
    goneOn: (error, { scope }, atlas) => goneWithProject(error, scope, atlas),
  },
};

export const atlasDeployment = managedController(atlasDeploymentKind);
