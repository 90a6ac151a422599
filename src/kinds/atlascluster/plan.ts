/** AtlasCluster's decisions, pure: its validation, and the shared cluster plans in its words. */
import type { Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import { advancedShapeProblem } from '../atlasdeployment/plan.js';
import type { Cluster } from '../clusters/atlas.js';
import { DEDICATED_API, planClusterRemoval as removeCluster, planClusterStep, type ClusterRemovalObservation, type ClusterWords } from '../clusters/plan.js';
import type { InProject } from '../project-scope.js';
import { AtlasClusterSpec, AtlasClusterStoredSpec } from './schema.js';
import { clusterIntent, clusterNameOf, fromAdvancedClusterSpec } from './translation.js';

export const CLUSTER_READY = 'ClusterReady';

const WORDS: ClusterWords = { noun: 'cluster', creating: 'ClusterCreating', updating: 'ClusterUpdating', deleting: 'ClusterDeleting' };

/** The seed-era fields' own rules, at the top or under v0.8's clusterSpec (`at`). */
function seedProblem(spec: Omit<AtlasClusterSpec, 'projectRef'>, at: string): string | undefined {
  const p = spec.providerSettings;
  if (p.providerName === 'TENANT' && !p.backingProviderName) return `${at}providerSettings.backingProviderName is required when providerName is TENANT`;
  if (!spec.replicationSpecs?.length && !p.regionName) return `${at}providerSettings.regionName is required unless ${at}replicationSpecs lists the regions`;
  for (const [i, r] of (spec.replicationSpecs ?? []).entries()) {
    if (Object.keys(r.regionsConfig ?? {}).length === 0) return `${at}replicationSpecs[${i}].regionsConfig must name at least one region`;
  }
  return undefined;
}

export function checkClusterSpec(facts: Facts): Validation<AtlasClusterStoredSpec> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'ClusterSpecInvalid', message });
  const stored = schemaProblem(AtlasClusterStoredSpec, facts.parent.spec);
  if (stored) return invalid(stored);
  const spec = facts.parent.spec as AtlasClusterStoredSpec;
  if (spec.clusterSpec && spec.advancedClusterSpec) return invalid('only one of spec.clusterSpec, spec.advancedClusterSpec may be set');
  if (spec.advancedClusterSpec) {
    if (!spec.advancedClusterSpec.name) return invalid('spec.advancedClusterSpec.name is required');
    const shape = advancedShapeProblem(fromAdvancedClusterSpec(spec.advancedClusterSpec), 'spec.advancedClusterSpec');
    return shape ? { ok: false, reason: shape.reason ?? 'ClusterSpecInvalid', message: shape.message } : { ok: true, spec };
  }
  if (spec.clusterSpec) {
    const problem = seedProblem(spec.clusterSpec, 'spec.clusterSpec.');
    return problem ? invalid(problem) : { ok: true, spec };
  }
  // The seed-era shape: name and providerSettings at the top.
  const seed = schemaProblem(AtlasClusterSpec, spec) ?? seedProblem(spec as AtlasClusterSpec, 'spec.');
  return seed ? invalid(seed) : { ok: true, spec };
}

export function planCluster(input: StepInput<AtlasClusterStoredSpec, InProject>, cluster: Cluster | undefined): StepPlan<InProject> {
  return planClusterStep(WORDS, clusterIntent(input.spec), input, cluster);
}

export function planClusterRemoval(input: RemovalInput<AtlasClusterStoredSpec, InProject>, observed: ClusterRemovalObservation): RemovalPlan {
  return removeCluster(WORDS, DEDICATED_API, clusterNameOf(input.spec), input.scope.groupId, observed, { lift: false, how: 'turn it off in Atlas to delete the cluster' });
}
