/**
 * The decisions both cluster kinds share, pure. A hook never waits for Atlas: it starts
 * work, reports creating or updating in the kind's own words, and asks to be called again
 * on a lengthening schedule.
 */
import type { AtlasClient } from '../../atlas/client.js';
import { NOT_FOUND } from '../../atlas/errors.js';
import { kubeTime } from '../../kernel/conditions.js';
import type { Facts, RemovalPlan, StepPlan, Verdict } from '../../kernel/managed.js';
import type { InProject } from '../project-scope.js';
import type { AtlasRequest } from '../../atlas/http.js';
import { clusterReads, clusterRequests, flexReads, flexRequests, type Cluster } from './atlas.js';
import { createBody, planClusterChanges, type DesiredCluster } from './model.js';

export interface ClusterStatusFields {
  stateName?: string;
  mongoDBVersion?: string;
  connectionStrings?: Record<string, string>;
  mongoURIUpdated?: string;
}

/** How a kind names its cluster and its states: the official operator's reasons differ by kind. */
export interface ClusterWords {
  noun: string;
  creating: string;
  updating: string;
  deleting: string;
}

/** The status fields a cluster kind keeps from one answer to the next. */
export function observedClusterStatus(status: unknown): Record<string, unknown> {
  const { stateName, mongoDBVersion, connectionStrings, mongoURIUpdated } = (status ?? {}) as ClusterStatusFields;
  return {
    ...(stateName ? { stateName } : {}),
    ...(mongoDBVersion ? { mongoDBVersion } : {}),
    ...(connectionStrings ? { connectionStrings } : {}),
    ...(mongoURIUpdated ? { mongoURIUpdated } : {}),
  };
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

/** Atlas is busy with the cluster: the verdict that waits, in the kind's words. */
export function inProgress(words: ClusterWords, cluster: Cluster): Verdict<InProject> | undefined {
  switch (cluster.stateName) {
    case 'CREATING':
      return { condition: { status: 'False', reason: words.creating, message: `${words.noun} is provisioning` }, wait: 'progress' };
    case 'UPDATING':
    case 'REPAIRING':
      return { condition: { status: 'False', reason: words.updating, message: `${words.noun} is ${cluster.stateName === 'REPAIRING' ? 'repairing' : 'updating'}` }, wait: 'progress' };
    case 'DELETING':
      return { condition: { status: 'False', reason: words.deleting, message: `the ${words.noun} is being deleted in Atlas; it is created again once it is gone` }, wait: 'progress' };
  }
  return undefined;
}

export interface ClusterStepInput {
  scope: InProject;
  facts: Facts;
  status: unknown;
}

/** Create the cluster, wait while Atlas is busy, or send the one change that makes it match. */
export function planClusterStep(words: ClusterWords, desired: DesiredCluster, input: ClusterStepInput, cluster: Cluster | undefined): StepPlan<InProject> {
  const { scope, facts } = input;
  const statusOf = (c: Cluster) => ({ ...clusterStatus(input.status as ClusterStatusFields, c, facts.now) });
  const name = desired.name;
  if (!cluster) {
    return {
      writes: [{ verb: 'create', request: clusterRequests.create(scope.groupId, createBody(desired)), summary: `create ${words.noun} ${name}`, alreadyExists: 'DUPLICATE_CLUSTER_NAME' }],
      settle: (answers) => {
        const created = answers?.[0] as Cluster | undefined;
        const provisioning = inProgress(words, { name, stateName: 'CREATING' })!;
        return created ? { ...(inProgress(words, created) ?? provisioning), status: statusOf(created) } : provisioning;
      },
    };
  }
  const busy = inProgress(words, cluster);
  if (busy) return { writes: [], settle: () => ({ ...busy, status: statusOf(cluster) }) };
  const plan = planClusterChanges(desired, cluster);
  // A pause change goes alone, first: Atlas refuses other changes to a paused cluster.
  const change = plan.pause ?? plan.update;
  if (!change) return { writes: [], settle: () => ({ condition: { status: 'True' }, status: statusOf(cluster) }) };
  const what = plan.pause ? 'paused' : plan.differences.filter((d) => d !== 'paused').join(', ');
  return {
    writes: [{ verb: 'update', request: clusterRequests.update(scope.groupId, name, change), summary: `update ${words.noun} ${name}: ${what}` }],
    status: statusOf(cluster),
    settle: (answers) => {
      const updated = answers?.[0] as Cluster | undefined;
      return { condition: { status: 'False', reason: words.updating, message: `updating ${what}` }, status: statusOf(updated ?? cluster), wait: 'progress' };
    },
  };
}

export type ClusterRemovalObservation = { cluster: Cluster } | { cluster: undefined; listed: boolean };

/** The routes a removal reads and writes: dedicated clusters and flex clusters have their own. */
export interface ClusterApi {
  get(atlas: AtlasClient, groupId: string, name: string): Promise<Cluster | undefined>;
  list(atlas: AtlasClient, groupId: string): Promise<Cluster[]>;
  update(groupId: string, name: string, body: Record<string, unknown>): AtlasRequest;
  delete(groupId: string, name: string): AtlasRequest;
}

export const DEDICATED_API: ClusterApi = { get: clusterReads.get, list: clusterReads.list, update: clusterRequests.update, delete: clusterRequests.delete };
export const FLEX_API: ClusterApi = { get: flexReads.get, list: flexReads.list, update: flexRequests.update, delete: flexRequests.delete };

/** What termination protection in Atlas means for a removal. */
export interface Protection {
  /** The spec asks for it off: turn it off in Atlas, then delete. */
  lift: boolean;
  /** How the user goes on while it stays on. */
  how: string;
}

/**
 * Delete the cluster and confirm it gone. Termination protection in Atlas is respected:
 * unless the spec asks for it off, the finalizer stays, with a message saying how to go on.
 */
export function planClusterRemoval(words: ClusterWords, api: ClusterApi, name: string, groupId: string, observed: ClusterRemovalObservation, protection: Protection): RemovalPlan {
  const deleting = { gone: false as const, reason: words.deleting, message: `the ${words.noun} is being deleted in Atlas`, wait: 'progress' as const };
  if (!observed.cluster) {
    // CLUSTER_NOT_FOUND counts once the project's cluster list (a second read) agrees.
    return { writes: [], settle: () => (observed.listed ? { gone: false, message: `Atlas answered CLUSTER_NOT_FOUND for ${name} but still lists it; looking again`, wait: 'soon' } : { gone: true }) };
  }
  if (observed.cluster.stateName === 'DELETING') return { writes: [], settle: () => deleting };
  if (observed.cluster.terminationProtectionEnabled === true) {
    if (protection.lift) {
      return {
        writes: [{ verb: 'update', request: api.update(groupId, name, { terminationProtectionEnabled: false }), summary: `update ${words.noun} ${name}: terminationProtectionEnabled` }],
        settle: () => ({ gone: false, reason: words.deleting, message: `termination protection of the ${words.noun} ${name} is being turned off, as the spec says; it is deleted next`, wait: 'soon' }),
      };
    }
    const message = `termination protection is enabled for the ${words.noun} ${name} in Atlas, so it is not deleted; ${protection.how}`;
    return { writes: [], settle: () => ({ gone: false, reason: 'AtlasDeletionProtection', message, wait: 'retry', keepHint: true }) };
  }
  return {
    writes: [{ verb: 'delete', request: api.delete(groupId, name), summary: `delete ${words.noun} ${name}`, alreadyDone: NOT_FOUND.cluster }],
    settle: () => deleting,
  };
}

/** What a cluster kind reads before deleting: the cluster, or the list that confirms it gone. */
export async function observeClusterRemoval(api: ClusterApi, atlas: AtlasClient, groupId: string, name: string): Promise<ClusterRemovalObservation> {
  const cluster = await api.get(atlas, groupId, name);
  if (cluster) return { cluster };
  return { cluster: undefined, listed: (await api.list(atlas, groupId)).some((c) => c.name === name) };
}
