/**
 * AtlasCluster's decisions, pure. A hook never waits for Atlas: it starts work, reports
 * ClusterCreating or ClusterUpdating, and asks to be called again on a lengthening schedule.
 */
import { NOT_FOUND } from '../../atlas/errors.js';
import { kubeTime } from '../../kernel/conditions.js';
import type { Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation, Verdict } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import type { InProject } from '../project-scope.js';
import { clusterRequests, type Cluster } from './atlas.js';
import { AtlasClusterSpec } from './schema.js';
import { createBody, planClusterChanges } from './translation.js';

export const CLUSTER_READY = 'ClusterReady';

export interface ClusterStatusFields {
  stateName?: string;
  mongoDBVersion?: string;
  connectionStrings?: Record<string, string>;
  mongoURIUpdated?: string;
}

type ClusterInput = StepInput<AtlasClusterSpec, InProject>;

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

/** The status as Atlas shows the cluster; mongoURIUpdated moves only when the strings do. */
export function clusterStatus(observed: ClusterStatusFields, cluster: Cluster, now: Date): ClusterStatusFields {
  const strings = Object.fromEntries(
    (['standard', 'standardSrv', 'private', 'privateSrv'] as const).flatMap((k) => (cluster.connectionStrings?.[k] ? [[k, cluster.connectionStrings[k]]] : [])),
  ) as Record<string, string>;
  const changed = JSON.stringify(strings) !== JSON.stringify(observed.connectionStrings ?? {});
  const updated = changed && strings.standard ? kubeTime(now) : observed.mongoURIUpdated;
  return {
    stateName: cluster.stateName,
    mongoDBVersion: cluster.mongoDBVersion || undefined,
    connectionStrings: Object.keys(strings).length ? strings : undefined,
    mongoURIUpdated: updated,
  };
}

function inProgress(cluster: Cluster): Verdict<InProject> | undefined {
  switch (cluster.stateName) {
    case 'CREATING':
      return { condition: { status: 'False', reason: 'ClusterCreating', message: 'cluster is provisioning' }, wait: 'progress' };
    case 'UPDATING':
    case 'REPAIRING':
      return { condition: { status: 'False', reason: 'ClusterUpdating', message: `cluster is ${cluster.stateName === 'REPAIRING' ? 'repairing' : 'updating'}` }, wait: 'progress' };
    case 'DELETING':
      return { condition: { status: 'False', reason: 'ClusterDeleting', message: 'the cluster is being deleted in Atlas; it is created again once it is gone' }, wait: 'progress' };
  }
  return undefined;
}

export function planCluster(input: ClusterInput, cluster: Cluster | undefined): StepPlan<InProject> {
  const { spec, scope, facts } = input;
  const observedStatus = input.status as ClusterStatusFields;
  const statusOf = (c: Cluster) => ({ ...clusterStatus(observedStatus, c, facts.now) });
  if (!cluster) {
    return {
      writes: [{ verb: 'create', request: clusterRequests.create(scope.groupId, createBody(spec)), summary: `create cluster ${spec.name}`, alreadyExists: 'DUPLICATE_CLUSTER_NAME' }],
      settle: (answers) => {
        const created = answers?.[0] as Cluster | undefined;
        const provisioning = inProgress({ name: spec.name, stateName: 'CREATING' })!;
        return created ? { ...(inProgress(created) ?? provisioning), status: statusOf(created) } : provisioning;
      },
    };
  }
  const busy = inProgress(cluster);
  if (busy) return { writes: [], settle: () => ({ ...busy, status: statusOf(cluster) }) };
  const plan = planClusterChanges(spec, cluster);
  // A pause change goes alone, first: Atlas refuses other changes to a paused cluster.
  const change = plan.pause ?? plan.update;
  if (!change) return { writes: [], settle: () => ({ condition: { status: 'True' }, status: statusOf(cluster) }) };
  const what = plan.pause ? 'paused' : plan.differences.filter((d) => d !== 'paused').join(', ');
  return {
    writes: [{ verb: 'update', request: clusterRequests.update(scope.groupId, spec.name, change), summary: `update cluster ${spec.name}: ${what}` }],
    status: statusOf(cluster),
    settle: (answers) => {
      const updated = answers?.[0] as Cluster | undefined;
      return { condition: { status: 'False', reason: 'ClusterUpdating', message: `updating ${what}` }, status: statusOf(updated ?? cluster), wait: 'progress' };
    },
  };
}

export type ClusterRemovalObservation = { cluster: Cluster } | { cluster: undefined; listed: boolean } | { unmanaged: true };

export function planClusterRemoval(input: RemovalInput<AtlasClusterSpec, InProject>, observed: ClusterRemovalObservation): RemovalPlan {
  const name = input.spec.name ?? '';
  const deleting = { gone: false as const, reason: 'ClusterDeleting', message: 'the cluster is being deleted in Atlas', wait: 'progress' as const };
  // Never touched in Atlas, so not deleted there either: the user decides.
  if ('unmanaged' in observed) return { writes: [], settle: () => ({ gone: false, message: `${V08_SHAPE_MESSAGE} and not deleted there`, wait: 'rejected', keepHint: true }) };
  if (!observed.cluster) {
    // CLUSTER_NOT_FOUND counts once the project's cluster list (a second read) agrees.
    return { writes: [], settle: () => (observed.listed ? { gone: false, message: `Atlas answered CLUSTER_NOT_FOUND for ${name} but still lists it; looking again`, wait: 'soon' } : { gone: true }) };
  }
  if (observed.cluster.stateName === 'DELETING') return { writes: [], settle: () => deleting };
  return {
    writes: [{ verb: 'delete', request: clusterRequests.delete(input.scope.groupId, name), summary: `delete cluster ${name}`, alreadyDone: NOT_FOUND.cluster }],
    settle: () => deleting,
  };
}
