/**
 * AtlasDatabaseUser: an Atlas database user and, as Metacontroller children, one
 * connection Secret per cluster in its scope. Decisions are in plan.ts; this module reads
 * Atlas for them and hands both to the kernel's sequence.
 */
import type { KubeObject, RelatedResourceRule } from '../../kernel/contract.js';
import { stringAt } from '../../kernel/contract.js';
import { step, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { readEach } from '../../kernel/status-reads.js';
import type { OperatorIdentity } from '../../config/identity.js';
import { clusterReads, flexReads } from '../clusters/atlas.js';
import { API_VERSION } from '../common.js';
import { projectReads } from '../atlasproject/atlas.js';
import { connectToProjectWith, goneWithProject, projectOrExternalRules, projectRefOf, type InProject } from '../project-scope.js';
import { userReads } from './atlas.js';
import {
  checkUserSpec,
  declaresFlexCluster,
  isExpired,
  planPropagation,
  planSecrets,
  planUser,
  planUserRemoval,
  secretsReleased,
  USER_READY,
  type UserObservation,
  type UserRemovalObservation,
  type UserScope,
} from './plan.js';
import { AtlasDatabaseUserSpec } from './schema.js';

type Spec = AtlasDatabaseUserSpec & { shareWith: string[] };

export function userRelatedRules(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[] {
  const namespace = parent.metadata.namespace ?? 'default';
  const project = projectRefOf(parent);
  const password = stringAt(parent.spec, 'passwordSecretRef', 'name');
  return [
    ...projectOrExternalRules(parent, identity),
    ...(password ? [{ apiVersion: 'v1', resource: 'secrets', namespace, names: [password] }] : []),
    // A new or changed AtlasCluster or AtlasDeployment in the project re-syncs its users (and their Secrets).
    { apiVersion: API_VERSION, resource: 'atlasclusters', namespace: project.namespace, labelSelector: {} },
    { apiVersion: API_VERSION, resource: 'atlasdeployments', namespace: project.namespace, labelSelector: {} },
  ];
}

function observedStatus(parent: KubeObject): Record<string, unknown> {
  const { passwordVersion, name, orgId } = (parent.status ?? {}) as { passwordVersion?: string; name?: string; orgId?: string };
  return { ...(passwordVersion !== undefined ? { passwordVersion } : {}), ...(name ? { name } : {}), ...(orgId ? { orgId } : {}) };
}

const reasons = { create: 'DatabaseUserNotCreatedInAtlas', update: 'DatabaseUserNotUpdatedInAtlas', delete: 'DatabaseUserNotDeletedInAtlas' };

const userStep = step({
  name: 'user',
  condition: USER_READY,
  reasons,
  async observe({ spec, scope, facts }, atlas): Promise<UserObservation> {
    if (isExpired(spec, facts.now)) return { expired: true };
    const [user, clusters, flex, project] = await Promise.all([
      userReads.get(atlas, scope.groupId, spec.databaseName, spec.username),
      clusterReads.list(atlas, scope.groupId),
      declaresFlexCluster(facts) ? flexReads.list(atlas, scope.groupId) : [],
      // Connection Secrets are named after the project: an external one's name is Atlas's.
      scope.projectName ? undefined : projectReads.get(atlas, scope.groupId),
    ]);
    return { expired: false, user, clusters: [...clusters, ...flex.map((cluster) => ({ ...cluster, flex: true }))], ...(project ? { projectName: project.name } : {}) };
  },
  plan: planUser,
});

const propagationStep = step({
  name: 'propagation',
  condition: USER_READY,
  reasons,
  async observe({ scope, facts, dryRun }, atlas) {
    // Only a change (or a wait not seen through yet) needs the clusters' word.
    if (dryRun || (!scope.wrote && facts.observed(USER_READY)?.status === 'True')) return undefined;
    // A flex cluster has no change-status route (the cluster API refuses it).
    const states = await readEach(scope.clusters.filter((c) => c.flex !== true), async (c) => ({ name: c.name, state: await clusterReads.changeStatus(atlas, scope.groupId, c.name) }));
    return states.filter((s) => s.state !== 'APPLIED').map((s) => s.name);
  },
  plan: planPropagation,
});

const secretsStep = step<Spec, UserScope, undefined>({
  name: 'connection secrets',
  condition: USER_READY,
  reasons,
  observe: async () => undefined,
  plan: (input) => planSecrets(input),
});

export const atlasDatabaseUserKind: ManagedKind<Spec, UserScope> = {
  kind: 'AtlasDatabaseUser',
  apiVersion: API_VERSION,
  route: 'atlasdatabaseuser',
  readyCondition: USER_READY,
  conditionTypes: [USER_READY],
  customize: userRelatedRules,
  validate: checkUserSpec,
  specSchema: AtlasDatabaseUserSpec,
  observedStatus,
  connect: connectToProjectWith({ clusters: [], wrote: false, password: '' }),
  steps: [userStep, propagationStep, secretsStep],
  deletion: {
    noun: 'the database user',
    async observe({ scope, spec, confirming }, atlas): Promise<UserRemovalObservation | undefined> {
      // Deleting is harmless to repeat, so the first pass deletes without looking.
      if (!confirming || !spec.username) return undefined;
      const databaseName = spec.databaseName ?? 'admin';
      const [one, all] = await Promise.all([userReads.get(atlas, scope.groupId, databaseName, spec.username), userReads.list(atlas, scope.groupId)]);
      return { left: Boolean(one) || all.some((u) => u.username === spec.username && u.databaseName === databaseName) };
    },
    plan: planUserRemoval,
    goneOn: (error, { scope }, atlas) => goneWithProject(error, scope as InProject, atlas),
  },
  released: secretsReleased,
};

export const atlasDatabaseUser = managedController(atlasDatabaseUserKind);
