/**
 * A flex cluster for flexSpec, pure. Atlas lets only its tags and termination protection
 * change (the provider and region are immutable, as the CRD says); only what the spec sets
 * is enforced.
 */
import type { StepPlan } from '../../kernel/managed.js';
import { flexRequests, type FlexCluster } from '../clusters/atlas.js';
import { clusterStatus, inProgress, type ClusterStatusFields, type ClusterStepInput, type ClusterWords } from '../clusters/plan.js';
import type { InProject } from '../project-scope.js';
import type { FlexSpec } from './schema.js';

export function flexCreateBody(spec: FlexSpec): Record<string, unknown> {
  return {
    name: spec.name,
    providerSettings: { backingProviderName: spec.providerSettings.backingProviderName, regionName: spec.providerSettings.regionName },
    ...(spec.tags !== undefined ? { tags: spec.tags } : {}),
    ...(spec.terminationProtectionEnabled !== undefined ? { terminationProtectionEnabled: spec.terminationProtectionEnabled } : {}),
  };
}

/** The settable fields the spec sets and Atlas does not have. */
export function flexChanges(spec: FlexSpec, actual: FlexCluster): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (spec.tags !== undefined && JSON.stringify(spec.tags.map(({ key, value }) => ({ key, value }))) !== JSON.stringify((actual.tags ?? []).map(({ key, value }) => ({ key, value })))) changes.tags = spec.tags;
  if (spec.terminationProtectionEnabled !== undefined && spec.terminationProtectionEnabled !== (actual.terminationProtectionEnabled === true)) {
    changes.terminationProtectionEnabled = spec.terminationProtectionEnabled;
  }
  return changes;
}

export function planFlexStep(words: ClusterWords, spec: FlexSpec, input: ClusterStepInput, flex: FlexCluster | undefined): StepPlan<InProject> {
  const { scope, facts } = input;
  const statusOf = (c: FlexCluster) => ({ ...clusterStatus(input.status as ClusterStatusFields, c, facts.now) });
  const flexWords = { ...words, noun: `flex ${words.noun}` };
  const provisioning = inProgress(flexWords, { name: spec.name, stateName: 'CREATING' })!;
  if (!flex) {
    return {
      writes: [{ verb: 'create', request: flexRequests.create(scope.groupId, flexCreateBody(spec)), summary: `create ${flexWords.noun} ${spec.name}`, alreadyExists: 'DUPLICATE_CLUSTER_NAME' }],
      settle: (answers) => {
        const created = answers?.[0] as FlexCluster | undefined;
        return created ? { ...provisioning, status: statusOf(created) } : provisioning;
      },
    };
  }
  const busy = inProgress(flexWords, flex);
  if (busy) return { writes: [], settle: () => ({ ...busy, status: statusOf(flex) }) };
  const changes = flexChanges(spec, flex);
  if (Object.keys(changes).length === 0) return { writes: [], settle: () => ({ condition: { status: 'True' }, status: statusOf(flex) }) };
  const what = Object.keys(changes).join(', ');
  return {
    writes: [{ verb: 'update', request: flexRequests.update(scope.groupId, spec.name, changes), summary: `update ${flexWords.noun} ${spec.name}: ${what}` }],
    status: statusOf(flex),
    // Tags and protection apply at once: the answer is the flex cluster as it now is.
    settle: (answers) => ({ condition: { status: 'True' }, status: statusOf((answers?.[0] as FlexCluster | undefined) ?? flex) }),
  };
}
