/**
 * AtlasCluster: one Atlas advanced cluster in a project an AtlasProject manages
 * (project-access.ts finds the project and its credentials). A hook never waits for Atlas:
 * it starts work, reports ClusterCreating or ClusterUpdating, and asks to be called again.
 */
import { AtlasClusterSpec } from '../api/atlascluster.js';
import { API_VERSION, RESOURCE_POLICY_ANNOTATION } from '../api/common.js';
import type { AtlasClient, Cluster } from '../atlas/client.js';
import { AtlasApiError } from '../atlas/errors.js';
import { kubeTime } from './conditions.js';
import { goneWithProject } from './identity.js';
import { progressResync } from './resync.js';
import { projectAccess, projectRelatedRules } from './project-access.js';
import { createBody, planClusterChanges } from './cluster-translation.js';
import type { FinalizeResult, HookContext, KindController, SyncResult } from './kind.js';
import { createOrAdopt, schemaProblem } from './spec-check.js';

export const CLUSTER_READY = 'ClusterReady';

interface ClusterStatusFields {
  stateName?: string;
  mongoDBVersion?: string;
  connectionStrings?: Record<string, string>;
  mongoURIUpdated?: string;
}

type Spec = AtlasClusterSpec;

type SpecCheck = { ok: true; spec: Spec } | { ok: false; message: string };

export function checkClusterSpec(spec: unknown): SpecCheck {
  const problem = schemaProblem(AtlasClusterSpec, spec);
  if (problem) return { ok: false, message: problem };
  const valid = spec as Spec;
  const p = valid.providerSettings;
  if (p.providerName === 'TENANT' && !p.backingProviderName) {
    return { ok: false, message: 'spec.providerSettings.backingProviderName is required when providerName is TENANT' };
  }
  if (!valid.replicationSpecs?.length && !p.regionName) {
    return { ok: false, message: 'spec.providerSettings.regionName is required unless spec.replicationSpecs lists the regions' };
  }
  for (const [i, r] of (valid.replicationSpecs ?? []).entries()) {
    if (Object.keys(r.regionsConfig ?? {}).length === 0) return { ok: false, message: `spec.replicationSpecs[${i}].regionsConfig must name at least one region` };
  }
  return { ok: true, spec: valid };
}

function observedStatus(ctx: HookContext): ClusterStatusFields {
  const { stateName, mongoDBVersion, connectionStrings, mongoURIUpdated } = (ctx.parent.status ?? {}) as ClusterStatusFields;
  return {
    ...(stateName ? { stateName } : {}),
    ...(mongoDBVersion ? { mongoDBVersion } : {}),
    ...(connectionStrings ? { connectionStrings } : {}),
    ...(mongoURIUpdated ? { mongoURIUpdated } : {}),
  };
}

function statusFrom(ctx: HookContext, cluster: Cluster): ClusterStatusFields {
  const observed = observedStatus(ctx);
  const strings = Object.fromEntries(
    (['standard', 'standardSrv', 'private', 'privateSrv'] as const).flatMap((k) => (cluster.connectionStrings?.[k] ? [[k, cluster.connectionStrings[k]]] : [])),
  ) as Record<string, string>;
  const changed = JSON.stringify(strings) !== JSON.stringify(observed.connectionStrings ?? {});
  const updated = changed && strings.standard ? kubeTime(ctx.env.now()) : observed.mongoURIUpdated;
  return {
    stateName: cluster.stateName,
    ...(cluster.mongoDBVersion ? { mongoDBVersion: cluster.mongoDBVersion } : {}),
    ...(Object.keys(strings).length ? { connectionStrings: strings } : {}),
    ...(updated ? { mongoURIUpdated: updated } : {}),
  };
}

const progress = (ctx: HookContext) => progressResync(ctx.conditions.get(CLUSTER_READY), ctx.env.now());

async function findOrCreate(atlas: AtlasClient, groupId: string, spec: Spec): Promise<Cluster> {
  const existing = await atlas.clusters.get(groupId, spec.name);
  if (existing) return existing;
  return createOrAdopt(() => atlas.clusters.create(groupId, createBody(spec)), 'DUPLICATE_CLUSTER_NAME', () => atlas.clusters.get(groupId, spec.name));
}

async function syncCluster(ctx: HookContext): Promise<SyncResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  const check = checkClusterSpec(ctx.parent.spec);
  if (!check.ok) {
    conditions.false('ValidationSucceeded', 'ClusterSpecInvalid', check.message);
    return { status, children: [] };
  }
  conditions.true('ValidationSucceeded');
  const spec = check.spec;
  const access = projectAccess(ctx.parent, ctx.related, ctx.env.identity);
  if (!access.ok) {
    conditions.false(CLUSTER_READY, access.reason, access.message);
    return { status, children: [], resyncAfterSeconds: 10 };
  }
  const atlas = ctx.atlas(access.creds.credentials);

  let cluster: Cluster;
  try {
    cluster = await findOrCreate(atlas, access.groupId, spec);
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    // A failed read is not a failed create: say which it was.
    conditions.false(CLUSTER_READY, error.method === 'POST' ? 'ClusterNotCreatedInAtlas' : 'InternalError', error.message);
    return { status, children: [], resyncAfterSeconds: 30 };
  }

  switch (cluster.stateName) {
    case 'CREATING':
      conditions.false(CLUSTER_READY, 'ClusterCreating', 'cluster is provisioning');
      return { status: statusFrom(ctx, cluster), children: [], resyncAfterSeconds: progress(ctx) };
    case 'UPDATING':
    case 'REPAIRING':
      conditions.false(CLUSTER_READY, 'ClusterUpdating', `cluster is ${cluster.stateName === 'REPAIRING' ? 'repairing' : 'updating'}`);
      return { status: statusFrom(ctx, cluster), children: [], resyncAfterSeconds: progress(ctx) };
    case 'DELETING':
      conditions.false(CLUSTER_READY, 'ClusterDeleting', 'the cluster is being deleted in Atlas; it is created again once it is gone');
      return { status: statusFrom(ctx, cluster), children: [], resyncAfterSeconds: 30 };
  }

  const plan = planClusterChanges(spec, cluster);
  const change = plan.pause ?? plan.update;
  if (!change) {
    conditions.true(CLUSTER_READY);
    return { status: statusFrom(ctx, cluster), children: [] };
  }
  try {
    const updated = await atlas.clusters.update(access.groupId, spec.name, change);
    conditions.false(CLUSTER_READY, 'ClusterUpdating', `updating ${plan.pause ? 'paused' : plan.differences.filter((d) => d !== 'paused').join(', ')}`);
    return { status: statusFrom(ctx, updated), children: [], resyncAfterSeconds: 10 };
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    conditions.false(CLUSTER_READY, 'ClusterNotUpdatedInAtlas', error.message);
    return { status: statusFrom(ctx, cluster), children: [], resyncAfterSeconds: 30 };
  }
}

async function finalizeCluster(ctx: HookContext): Promise<FinalizeResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  const waiting = (reason: string, message: string, resyncAfterSeconds: number): FinalizeResult => {
    conditions.false(CLUSTER_READY, reason, message);
    return { status, children: [], finalized: false, resyncAfterSeconds };
  };
  if (ctx.parent.metadata.annotations?.[RESOURCE_POLICY_ANNOTATION] === 'keep') return { status, children: [], finalized: true };
  const access = projectAccess(ctx.parent, ctx.related, ctx.env.identity);
  if (!access.ok) {
    return waiting(
      'AtlasFinalizerNotRemoved',
      `${access.message}: the Atlas cluster cannot be deleted; add the annotation ${RESOURCE_POLICY_ANNOTATION}: keep to release the AtlasCluster and leave the cluster in Atlas`,
      30,
    );
  }
  const atlas = ctx.atlas(access.creds.credentials);
  const name = (ctx.parent.spec as Partial<Spec>).name ?? '';
  try {
    const cluster = await atlas.clusters.get(access.groupId, name);
    // CLUSTER_NOT_FOUND counts once the project's cluster list (a second read) agrees.
    if (!cluster && !(await atlas.clusters.list(access.groupId)).some((c) => c.name === name)) return { status, children: [], finalized: true };
    if (!cluster) return waiting('AtlasFinalizerNotRemoved', `Atlas answered CLUSTER_NOT_FOUND for ${name} but still lists it; looking again`, 10);
    if (cluster.stateName !== 'DELETING') await atlas.clusters.delete(access.groupId, name);
    return waiting('ClusterDeleting', 'the cluster is being deleted in Atlas', progress(ctx));
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    if (await goneWithProject(error, atlas, access.orgId, access.groupId)) return { status, children: [], finalized: true };
    return waiting('AtlasFinalizerNotRemoved', error.message, 30);
  }
}

export const atlasCluster: KindController = {
  kind: 'AtlasCluster',
  apiVersion: API_VERSION,
  route: 'atlascluster',
  conditionTypes: ['ValidationSucceeded', CLUSTER_READY],
  customize: projectRelatedRules,
  sync: syncCluster,
  finalize: finalizeCluster,
};

