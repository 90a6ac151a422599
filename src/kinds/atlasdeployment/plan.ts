/** AtlasDeployment's decisions, pure: its validation, and the shared cluster plans in its words. */
import type { Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import type { Cluster } from '../clusters/atlas.js';
import { planClusterRemoval, planClusterStep, type ClusterRemovalObservation, type ClusterWords } from '../clusters/plan.js';
import type { InProject } from '../project-scope.js';
import { AtlasDeploymentSpec, type DeploymentSpec } from './schema.js';
import { deploymentCluster } from './translation.js';

export const DEPLOYMENT_READY = 'DeploymentReady';

const WORDS: ClusterWords = { noun: 'deployment', creating: 'DeploymentCreating', updating: 'DeploymentUpdating', deleting: 'DeploymentDeleting' };

/** The spec once validated: a deploymentSpec is what this operator manages. */
export type ManagedDeployment = AtlasDeploymentSpec & { deploymentSpec: DeploymentSpec };

/** Deployments of a kind this operator does not manage yet: kept and reported, never acted on in Atlas. */
export function unmanagedShape(spec: unknown): string | undefined {
  const given = (spec ?? {}) as AtlasDeploymentSpec;
  if (given.deploymentSpec) return undefined;
  if (given.flexSpec) return 'spec.flexSpec';
  if (given.serverlessSpec) return 'spec.serverlessSpec';
  return undefined;
}

const unmanagedMessage = (field: string) => `${field} is not managed by this operator yet, so this deployment is left as it is in Atlas`;

export function checkDeploymentSpec(facts: Facts): Validation<ManagedDeployment> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'DeploymentSpecInvalid', message });
  const problem = schemaProblem(AtlasDeploymentSpec, facts.parent.spec);
  if (problem) return invalid(problem);
  const spec = facts.parent.spec as AtlasDeploymentSpec;
  const shapes = (['deploymentSpec', 'flexSpec', 'serverlessSpec'] as const).filter((key) => spec[key] !== undefined);
  if (shapes.length > 1) return invalid(`only one of spec.${shapes.join(', spec.')} may be set`);
  const unmanaged = unmanagedShape(spec);
  if (unmanaged) return { ok: false, reason: 'AtlasUnsupportedFeature', message: unmanagedMessage(unmanaged) };
  const deployment = spec.deploymentSpec;
  if (!deployment) return invalid('spec.deploymentSpec is required');
  if (!deployment.replicationSpecs?.length) return invalid('spec.deploymentSpec.replicationSpecs must list at least one replication spec');
  for (const [i, shard] of deployment.replicationSpecs.entries()) {
    const at = `spec.deploymentSpec.replicationSpecs[${i}]`;
    if (!shard.regionConfigs?.length) return invalid(`${at}.regionConfigs must list at least one region`);
    for (const [j, region] of shard.regionConfigs.entries()) {
      const here = `${at}.regionConfigs[${j}]`;
      if (!region.providerName) return invalid(`${here}.providerName is required`);
      if (!region.regionName) return invalid(`${here}.regionName is required`);
      if (region.providerName === 'SERVERLESS') return { ok: false, reason: 'AtlasUnsupportedFeature', message: `${here}.providerName SERVERLESS: serverless instances are deprecated and not managed by this operator` };
      if (region.providerName === 'TENANT' && !region.backingProviderName) return invalid(`${here}.backingProviderName is required when providerName is TENANT`);
      if (!region.electableSpecs?.instanceSize && !region.readOnlySpecs?.instanceSize && !region.analyticsSpecs?.instanceSize) {
        return invalid(`${here}.electableSpecs.instanceSize is required`);
      }
    }
  }
  return { ok: true, spec: spec as ManagedDeployment };
}

export function planDeployment(input: StepInput<ManagedDeployment, InProject>, cluster: Cluster | undefined): StepPlan<InProject> {
  return planClusterStep(WORDS, deploymentCluster(input.spec.deploymentSpec), input, cluster);
}

export type DeploymentRemoval = ClusterRemovalObservation | { unmanaged: string };

export function planDeploymentRemoval(input: RemovalInput<AtlasDeploymentSpec, InProject>, observed: DeploymentRemoval): RemovalPlan {
  // Never touched in Atlas, so not deleted there either: the user decides.
  if ('unmanaged' in observed) return { writes: [], settle: () => ({ gone: false, message: `${unmanagedMessage(observed.unmanaged)} and not deleted there`, wait: 'rejected', keepHint: true }) };
  const deployment = input.spec.deploymentSpec;
  return planClusterRemoval(WORDS, deployment?.name ?? '', input.scope.groupId, observed, {
    lift: deployment?.terminationProtectionEnabled === false,
    how: 'set spec.deploymentSpec.terminationProtectionEnabled to false (or turn it off in Atlas) to delete it',
  });
}
