/** AtlasDeployment's decisions, pure: its validation, and the shared cluster plans in its words. */
import type { Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import { flexRequests, type Cluster, type FlexCluster } from '../clusters/atlas.js';
import { createBody } from '../clusters/model.js';
import { DEDICATED_API, FLEX_API, planClusterRemoval, planClusterStep, type ClusterRemovalObservation, type ClusterWords } from '../clusters/plan.js';
import type { InProject } from '../project-scope.js';
import type { DeploymentScope } from './backup.js';
import { planFlexStep } from './flex.js';
import { processArgsProblem } from './process-args.js';
import { AtlasDeploymentSpec, type DeploymentSpec, type FlexSpec } from './schema.js';
import { deploymentCluster } from './translation.js';

export const DEPLOYMENT_READY = 'DeploymentReady';

const WORDS: ClusterWords = { noun: 'deployment', creating: 'DeploymentCreating', updating: 'DeploymentUpdating', deleting: 'DeploymentDeleting' };

/** The spec once validated: exactly one of the two shapes this operator manages. */
export type ManagedDeployment = AtlasDeploymentSpec & ({ deploymentSpec: DeploymentSpec; flexSpec?: undefined } | { flexSpec: FlexSpec; deploymentSpec?: undefined });

/** What Atlas has under the deployment's name, read through the API of its shape. */
export type DeploymentObservation = { flex: false; cluster: Cluster | undefined } | { flex: true; cluster: FlexCluster | undefined };

/** The Atlas cluster's name, whichever shape names it. */
export const deploymentName = (spec: Partial<AtlasDeploymentSpec>) => spec.deploymentSpec?.name ?? spec.flexSpec?.name ?? '';

const SERVERLESS_MESSAGE = 'spec.serverlessSpec is not managed by this operator (serverless instances are deprecated), so this deployment is left as it is in Atlas';

export function checkDeploymentSpec(facts: Facts): Validation<ManagedDeployment> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'DeploymentSpecInvalid', message });
  const problem = schemaProblem(AtlasDeploymentSpec, facts.parent.spec);
  if (problem) return invalid(problem);
  const spec = facts.parent.spec as AtlasDeploymentSpec;
  const shapes = (['deploymentSpec', 'flexSpec', 'serverlessSpec'] as const).filter((key) => spec[key] !== undefined);
  if (shapes.length > 1) return invalid(`only one of spec.${shapes.join(', spec.')} may be set`);
  if (spec.serverlessSpec) return { ok: false, reason: 'AtlasUnsupportedFeature', message: SERVERLESS_MESSAGE };
  if (spec.flexSpec) {
    if (spec.backupRef) return invalid('spec.backupRef applies to spec.deploymentSpec only: Atlas backs flex clusters up itself');
    if (spec.processArgs) return invalid('spec.processArgs applies to spec.deploymentSpec only: flex clusters have no advanced options');
    if (spec.upgradeToDedicated) return invalid('spec.upgradeToDedicated needs spec.deploymentSpec (the dedicated cluster to become) in place of spec.flexSpec');
    return { ok: true, spec: spec as ManagedDeployment };
  }
  const deployment = spec.deploymentSpec;
  if (!deployment) return invalid('spec.deploymentSpec or spec.flexSpec is required');
  if (spec.backupRef && deployment.backupEnabled !== true) return invalid('spec.backupRef needs spec.deploymentSpec.backupEnabled: true');
  const options = processArgsProblem(spec);
  if (options) return invalid(options);
  const shape = advancedShapeProblem(deployment, 'spec.deploymentSpec');
  if (shape) return { ok: false, ...shape, reason: shape.reason ?? 'DeploymentSpecInvalid' };
  return { ok: true, spec: spec as ManagedDeployment };
}

/**
 * What an advanced cluster shape lacks to be sent, named at `at`. Shared with AtlasCluster,
 * whose v0.8 advancedClusterSpec is this shape. A reason is given only for what is not a
 * mistake in the spec (serverless).
 */
export function advancedShapeProblem(deployment: Pick<DeploymentSpec, 'replicationSpecs'>, at: string): { reason?: string; message: string } | undefined {
  if (!deployment.replicationSpecs?.length) return { message: `${at}.replicationSpecs must list at least one replication spec` };
  for (const [i, shard] of deployment.replicationSpecs.entries()) {
    const inShard = `${at}.replicationSpecs[${i}]`;
    if (!shard.regionConfigs?.length) return { message: `${inShard}.regionConfigs must list at least one region` };
    for (const [j, region] of shard.regionConfigs.entries()) {
      const here = `${inShard}.regionConfigs[${j}]`;
      if (!region.providerName) return { message: `${here}.providerName is required` };
      if (!region.regionName) return { message: `${here}.regionName is required` };
      if (region.providerName === 'SERVERLESS') return { reason: 'AtlasUnsupportedFeature', message: `${here}.providerName SERVERLESS: serverless instances are deprecated and not managed by this operator` };
      if (region.providerName === 'TENANT' && !region.backingProviderName) return { message: `${here}.backingProviderName is required when providerName is TENANT` };
      if (!region.electableSpecs?.instanceSize && !region.readOnlySpecs?.instanceSize && !region.analyticsSpecs?.instanceSize) {
        return { message: `${here}.electableSpecs.instanceSize is required` };
      }
    }
  }
  return undefined;
}

export function planDeployment(input: StepInput<ManagedDeployment, DeploymentScope>, observed: DeploymentObservation): StepPlan<DeploymentScope> {
  const plan = planShape(input, observed);
  if (!input.spec.externalProjectRef) return plan;
  // Atlas answered these credentials for this project: its organization is now on record.
  return { ...plan, status: { ...plan.status, orgId: input.scope.orgId } };
}

function planShape(input: StepInput<ManagedDeployment, DeploymentScope>, observed: DeploymentObservation): StepPlan<DeploymentScope> {
  const { spec } = input;
  if (spec.flexSpec) return planFlexStep(WORDS, spec.flexSpec, input, observed.flex ? observed.cluster : undefined);
  const desired = deploymentCluster(spec.deploymentSpec);
  if (observed.flex && observed.cluster) return planUpgrade(input, desired, observed.cluster);
  const cluster = observed.flex ? undefined : observed.cluster;
  const plan: StepPlan<DeploymentScope> = planClusterStep(WORDS, desired, input, cluster);
  // The backup step's copy settings name the cluster's first zone.
  const zoneId = cluster?.replicationSpecs?.[0]?.zoneId as string | undefined;
  return zoneId ? { ...plan, settle: (answers) => ({ ...plan.settle(answers), scope: { zoneId } }) } : plan;
}

/** Atlas has a flex cluster where the spec now describes a dedicated one: upgrade it only if asked to. */
function planUpgrade(input: StepInput<ManagedDeployment, DeploymentScope>, desired: ReturnType<typeof deploymentCluster>, flex: FlexCluster): StepPlan<DeploymentScope> {
  const { spec, scope } = input;
  if (!spec.upgradeToDedicated) {
    const message = `the Atlas cluster ${desired.name} is a flex cluster: set spec.upgradeToDedicated: true to upgrade it to spec.deploymentSpec`;
    return { writes: [], settle: () => ({ condition: { status: 'False', reason: 'DeploymentNotUpdatedInAtlas', message }, wait: 'rejected' }) };
  }
  const migrating = { condition: { status: 'False' as const, reason: 'DedicatedMigrationProgressing', message: `the flex cluster ${desired.name} is being upgraded to a dedicated cluster` }, wait: 'progress' as const };
  if (flex.stateName !== 'IDLE') return { writes: [], settle: () => migrating };
  return {
    writes: [{ verb: 'update', request: flexRequests.upgrade(scope.groupId, createBody(desired)), summary: `upgrade flex deployment ${desired.name} to dedicated` }],
    settle: () => migrating,
  };
}

export type DeploymentRemoval = ClusterRemovalObservation | { unmanaged: true };

export function planDeploymentRemoval(input: RemovalInput<AtlasDeploymentSpec, InProject>, observed: DeploymentRemoval): RemovalPlan {
  // Never touched in Atlas, so not deleted there either: the user decides.
  if ('unmanaged' in observed) return { writes: [], settle: () => ({ gone: false, message: `${SERVERLESS_MESSAGE} and not deleted there`, wait: 'rejected', keepHint: true }) };
  const { deploymentSpec, flexSpec } = input.spec;
  const field = flexSpec ? 'spec.flexSpec.terminationProtectionEnabled' : 'spec.deploymentSpec.terminationProtectionEnabled';
  return planClusterRemoval(WORDS, flexSpec ? FLEX_API : DEDICATED_API, deploymentName(input.spec), input.scope.groupId, observed, {
    lift: (flexSpec ?? deploymentSpec)?.terminationProtectionEnabled === false,
    how: `set ${field} to false (or turn it off in Atlas) to delete it`,
  });
}
