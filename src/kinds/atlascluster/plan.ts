/** AtlasCluster's decisions, pure: its validation, and the shared cluster plans in its words. */
import type { Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import type { Cluster } from '../clusters/atlas.js';
import { DEDICATED_API, planClusterRemoval as removeCluster, planClusterStep, type ClusterRemovalObservation, type ClusterWords } from '../clusters/plan.js';
import type { InProject } from '../project-scope.js';
import { AtlasClusterSpec } from './schema.js';
import { seedCluster } from './translation.js';

export const CLUSTER_READY = 'ClusterReady';

const WORDS: ClusterWords = { noun: 'cluster', creating: 'ClusterCreating', updating: 'ClusterUpdating', deleting: 'ClusterDeleting' };

/** A cluster in v0.8's shapes (clusterSpec, advancedClusterSpec): kept, reported, never acted on in Atlas. */
export const usesV08Shape = (spec: unknown) => typeof spec === 'object' && spec !== null && ('clusterSpec' in spec || 'advancedClusterSpec' in spec);
export const V08_SHAPE_MESSAGE = 'spec.clusterSpec and spec.advancedClusterSpec (v0.8 of the official operator) are not managed by this operator yet, so this cluster is left as it is in Atlas';

export function checkClusterSpec(facts: Facts): Validation<AtlasClusterSpec> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'ClusterSpecInvalid', message });
  if (usesV08Shape(facts.parent.spec)) return { ok: false, reason: 'AtlasUnsupportedFeature', message: V08_SHAPE_MESSAGE };
  const problem = schemaProblem(AtlasClusterSpec, facts.parent.spec);
  if (problem) return invalid(problem);
  const valid = facts.parent.spec as AtlasClusterSpec;
  const p = valid.providerSettings;
  if (p.providerName === 'TENANT' && !p.backingProviderName) return invalid('spec.providerSettings.backingProviderName is required when providerName is TENANT');
  if (!valid.replicationSpecs?.length && !p.regionName) return invalid('spec.providerSettings.regionName is required unless spec.replicationSpecs lists the regions');
  for (const [i, r] of (valid.replicationSpecs ?? []).entries()) {
    if (Object.keys(r.regionsConfig ?? {}).length === 0) return invalid(`spec.replicationSpecs[${i}].regionsConfig must name at least one region`);
  }
  return { ok: true, spec: valid };
}

export function planCluster(input: StepInput<AtlasClusterSpec, InProject>, cluster: Cluster | undefined): StepPlan<InProject> {
  return planClusterStep(WORDS, seedCluster(input.spec), input, cluster);
}

export type AtlasClusterRemoval = ClusterRemovalObservation | { unmanaged: true };

export function planClusterRemoval(input: RemovalInput<AtlasClusterSpec, InProject>, observed: AtlasClusterRemoval): RemovalPlan {
  // Never touched in Atlas, so not deleted there either: the user decides.
  if ('unmanaged' in observed) return { writes: [], settle: () => ({ gone: false, message: `${V08_SHAPE_MESSAGE} and not deleted there`, wait: 'rejected', keepHint: true }) };
  return removeCluster(WORDS, DEDICATED_API, input.spec.name ?? '', input.scope.groupId, observed, { lift: false, how: 'turn it off in Atlas to delete the cluster' });
}
