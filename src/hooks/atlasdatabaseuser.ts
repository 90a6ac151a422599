/**
 * AtlasDatabaseUser: an Atlas database user and, as Metacontroller children, one
 * connection Secret per cluster in its scope.
 *
 * Atlas never returns passwords, so a password change is seen as a new resourceVersion of
 * the password Secret (status.passwordVersion, as in the official operator). After a
 * change, the user is Ready and its Secrets carry the new password only once every cluster
 * in scope has applied it; until then the Secrets stay as they were, so applications keep
 * a password that works.
 */
import { Value } from '@sinclair/typebox/value';
import { AtlasDatabaseUserSpec } from '../api/atlasdatabaseuser.js';
import { API_VERSION, RESOURCE_POLICY_ANNOTATION } from '../api/common.js';
import type { AtlasClient, Cluster, DatabaseUser } from '../atlas/client.js';
import { AtlasApiError, gone, NOT_FOUND } from '../atlas/errors.js';
import type { OperatorIdentity } from '../config/identity.js';
import { groupKey, relatedObject, stringAt, type KubeObject, type RelatedResourceRule } from './contract.js';
import { renderObservedChild } from './children.js';
import { shareTargets, withShareLabels } from './connection-secret-sharing.js';
import { connectionSecret, connectionSecretName } from './connection-secrets.js';
import { goneWithProject } from './identity.js';
import { progressResync } from './resync.js';
import { secretValues } from './credentials.js';
import type { FinalizeResult, HookContext, KindController, SyncResult } from './kind.js';
import { schemaProblem } from './spec-check.js';
import { projectAccess, projectRefOf, projectRelatedRules } from './project-access.js';

export const USER_READY = 'DatabaseUserReady';

type Spec = AtlasDatabaseUserSpec;

interface UserStatusFields {
  passwordVersion?: string;
  name?: string;
}

const RESYNC = { pending: 10, atlasError: 30 } as const;

export function userRelatedRules(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[] {
  const namespace = parent.metadata.namespace ?? 'default';
  const project = projectRefOf(parent);
  const password = stringAt(parent.spec, 'passwordSecretRef', 'name');
  return [
    ...projectRelatedRules(parent, identity),
    ...(password ? [{ apiVersion: 'v1', resource: 'secrets', namespace, names: [password] }] : []),
    // A new or changed AtlasCluster in the project re-syncs its users (and their Secrets).
    { apiVersion: API_VERSION, resource: 'atlasclusters', namespace: project.namespace, labelSelector: {} },
  ];
}

export function checkUserSpec(spec: unknown): { ok: true; spec: Spec } | { ok: false; message: string } {
  const withDefaults = Value.Default(AtlasDatabaseUserSpec, structuredClone(spec ?? {}));
  const problem = schemaProblem(AtlasDatabaseUserSpec, withDefaults);
  if (problem) return { ok: false, message: problem };
  const valid = withDefaults as Spec;
  if (valid.deleteAfterDate !== undefined && Number.isNaN(Date.parse(valid.deleteAfterDate))) {
    return { ok: false, message: `spec.deleteAfterDate: "${valid.deleteAfterDate}" is not an ISO-8601 date` };
  }
  if (!valid.passwordSecretRef && (valid.x509Type ?? 'NONE') === 'NONE') {
    return { ok: false, message: 'spec.passwordSecretRef is required unless x509Type is CUSTOMER or MANAGED' };
  }
  return { ok: true, spec: valid };
}

/** The password and the resourceVersion that identifies it, or the official complaint. */
function readPassword(ctx: HookContext, spec: Spec): { ok: true; password?: string; version?: string } | { ok: false; message: string } {
  if (!spec.passwordSecretRef) return { ok: true };
  const namespace = ctx.parent.metadata.namespace ?? 'default';
  const secret = relatedObject(ctx.related, 'Secret', 'v1', namespace, spec.passwordSecretRef.name);
  if (!secret) return { ok: false, message: `Secret "${spec.passwordSecretRef.name}" not found in namespace "${namespace}"` };
  const values = secretValues(secret);
  if (!('password' in values)) return { ok: false, message: `secret ${namespace}/${secret.metadata.name} is invalid: it doesn't contain 'password' field` };
  if (values.password === '') return { ok: false, message: `secret ${namespace}/${secret.metadata.name} is invalid: the 'password' field is empty` };
  return { ok: true, password: values.password!, version: secret.metadata.resourceVersion ?? '' };
}

/** The fields we manage, as Atlas would hold them. */
function desiredUser(spec: Spec, groupId: string): DatabaseUser {
  return {
    username: spec.username,
    databaseName: spec.databaseName,
    groupId,
    roles: spec.roles,
    scopes: spec.scopes ?? [],
    labels: spec.labels ?? [],
    ...(spec.deleteAfterDate ? { deleteAfterDate: spec.deleteAfterDate } : {}),
    x509Type: spec.x509Type ?? 'NONE',
  };
}

const canonical = (value: unknown) => JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

function userDiffers(want: DatabaseUser, have: DatabaseUser): boolean {
  const sameDate = (a?: string, b?: string) => (a === undefined ? b === undefined : b !== undefined && Date.parse(a) === Date.parse(b));
  return (
    canonical(want.roles) !== canonical(have.roles ?? []) ||
    canonical(want.scopes) !== canonical(have.scopes ?? []) ||
    canonical(want.labels) !== canonical(have.labels ?? []) ||
    (want.x509Type ?? 'NONE') !== (have.x509Type ?? 'NONE') ||
    !sameDate(want.deleteAfterDate, have.deleteAfterDate)
  );
}

function observedStatus(ctx: HookContext): UserStatusFields {
  const { passwordVersion, name } = (ctx.parent.status ?? {}) as UserStatusFields;
  return { ...(passwordVersion !== undefined ? { passwordVersion } : {}), ...(name ? { name } : {}) };
}

function observedSecrets(ctx: HookContext): Map<string, KubeObject> {
  return new Map(Object.values(ctx.children[groupKey('Secret', 'v1')] ?? {}).map((s) => [s.metadata.name, s]));
}

async function syncUser(ctx: HookContext): Promise<SyncResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  const check = checkUserSpec(ctx.parent.spec);
  if (!check.ok) {
    conditions.false('ValidationSucceeded', 'DatabaseUserInvalidSpec', check.message);
    return { status };
  }
  const sharing = shareTargets(ctx.parent);
  if (!sharing.ok) {
    conditions.false('ValidationSucceeded', 'DatabaseUserInvalidSpec', sharing.message);
    return { status };
  }
  conditions.true('ValidationSucceeded');
  const spec = check.spec;
  const shared = (secrets: KubeObject[]) => secrets.map((secret) => withShareLabels(secret, sharing.namespaces));
  const access = projectAccess(ctx.parent, ctx.related, ctx.env.identity);
  if (!access.ok) {
    conditions.false(USER_READY, access.reason, access.message);
    return { status, resyncAfterSeconds: RESYNC.pending };
  }
  const atlas = ctx.atlas(access.creds.credentials);
  const { groupId } = access;

  if (spec.deleteAfterDate && Date.parse(spec.deleteAfterDate) <= ctx.env.now().getTime()) {
    // Expired: gone from Atlas, its Secrets dropped, and nothing more to retry.
    await gone(atlas.databaseUsers.delete(groupId, spec.databaseName, spec.username), NOT_FOUND.databaseUser);
    conditions.false(USER_READY, 'DatabaseUserExpired', 'The database user is expired and has been removed from Atlas');
    return { status, children: [] };
  }

  const password = readPassword(ctx, spec);
  if (!password.ok) {
    conditions.false(USER_READY, 'DatabaseUserPasswordSecretInvalid', password.message);
    return { status };
  }

  const clusters = await atlas.clusters.list(groupId);
  const scoped = (spec.scopes ?? []).filter((s) => s.type === 'CLUSTER').map((s) => s.name);
  const missing = scoped.find((name) => !clusters.some((c) => c.name === name));
  if (missing) {
    conditions.false('ValidationSucceeded', 'DatabaseUserInvalidSpec', `"scopes" field references cluster named "${missing}" but such cluster doesn't exist in Atlas`);
    return { status, resyncAfterSeconds: RESYNC.atlasError };
  }
  const inScope = scoped.length > 0 ? clusters.filter((c) => scoped.includes(c.name)) : clusters;
  const declared = declaredClusters(ctx).filter((name) => scoped.length === 0 || scoped.includes(name));

  let wrote: boolean;
  try {
    wrote = await applyUser(atlas, groupId, spec, password, status);
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    const reason = error.method === 'GET' ? 'InternalError' : status.name ? 'DatabaseUserNotUpdatedInAtlas' : 'DatabaseUserNotCreatedInAtlas';
    conditions.false(USER_READY, reason, error.message);
    return { status, resyncAfterSeconds: RESYNC.atlasError };
  }
  if (password.version !== undefined) status.passwordVersion = password.version;
  if (status.name && status.name !== spec.username) {
    // The username changed: the new user exists now, so the old one goes (its Secrets are
    // no longer among the children, so Metacontroller deletes them).
    await gone(atlas.databaseUsers.delete(groupId, spec.databaseName, status.name), NOT_FOUND.databaseUser);
  }
  status.name = spec.username;

  const wasReady = conditions.get(USER_READY)?.status === 'True';
  if (wrote || !wasReady) {
    const pending: string[] = [];
    for (const cluster of inScope) {
      if ((await atlas.clusters.changeStatus(groupId, cluster.name)) !== 'APPLIED') pending.push(cluster.name);
    }
    if (pending.length > 0) {
      conditions.false(
        USER_READY,
        'ClustersAppliedDatabaseUsersChanges',
        `${inScope.length - pending.length} out of ${inScope.length} clusters have applied database user changes`,
      );
      return { status, resyncAfterSeconds: progressResync(conditions.get(USER_READY), ctx.env.now()) };
    }
  }

  const projectName = (access.project.spec as { name?: string }).name ?? '';
  const children = connectionSecrets(ctx, spec, inScope, declared, projectName, groupId, password.password ?? '');
  if (children.waiting.length > 0) {
    conditions.false(USER_READY, 'DatabaseUserConnectionSecretsNotCreated', `Waiting for clusters to get created/updated: ${children.waiting.join(', ')}`);
    return { status, children: shared(children.secrets), resyncAfterSeconds: progressResync(conditions.get(USER_READY), ctx.env.now()) };
  }
  conditions.true(USER_READY);
  return { status, children: shared(children.secrets) };
}

/** Creates or updates the user; true when something was written. */
async function applyUser(atlas: AtlasClient, groupId: string, spec: Spec, password: { password?: string; version?: string }, status: UserStatusFields): Promise<boolean> {
  const want = desiredUser(spec, groupId);
  const have = await atlas.databaseUsers.get(groupId, spec.databaseName, spec.username);
  const withPassword = password.password !== undefined ? { password: password.password } : {};
  if (!have) {
    try {
      await atlas.databaseUsers.create(groupId, { ...want, ...withPassword });
      return true;
    } catch (error) {
      if (!(error instanceof AtlasApiError && error.is('USER_ALREADY_EXISTS'))) throw error;
    }
  }
  const passwordChanged = password.version !== undefined && password.version !== status.passwordVersion;
  if (have && !passwordChanged && !userDiffers(want, have)) return false;
  const { username: _u, databaseName: _d, groupId: _g, ...changes } = want;
  await atlas.databaseUsers.update(groupId, spec.databaseName, spec.username, { ...changes, ...(passwordChanged || !have ? withPassword : {}) });
  return true;
}

/** States in which a cluster's connection strings are its current ones. */
const SERVING = new Set(['IDLE', 'UPDATING', 'REPAIRING']);

/**
 * Names of the clusters that AtlasCluster objects declare in this project (they may not be
 * in Atlas yet): a user is not Ready while a cluster it will get a Secret for is missing.
 */
function declaredClusters(ctx: HookContext): string[] {
  const user = projectRefOf(ctx.parent);
  return Object.values(ctx.related[groupKey('AtlasCluster', API_VERSION)] ?? {})
    .filter((cluster) => !cluster.metadata.deletionTimestamp)
    .filter((cluster) => {
      const ref = projectRefOf(cluster);
      return ref.namespace === user.namespace && ref.name === user.name;
    })
    .flatMap((cluster) => {
      const name = stringAt(cluster.spec, 'name');
      return name ? [name] : [];
    });
}

/**
 * One Secret per cluster in scope, rendered from Atlas's current connection strings. A
 * cluster still provisioning keeps the Secret it had (re-rendered, never echoed), and a
 * cluster that is being deleted, or is gone, loses it. `waiting` names every cluster whose
 * Secret is missing or not current.
 */
function connectionSecrets(
  ctx: HookContext,
  spec: Spec,
  clusters: Cluster[],
  declared: string[],
  projectName: string,
  projectId: string,
  password: string,
): { secrets: KubeObject[]; waiting: string[] } {
  const observed = observedSecrets(ctx);
  const secrets: KubeObject[] = [];
  const waiting: string[] = [];
  for (const cluster of clusters) {
    if (cluster.stateName === 'DELETING') continue;
    const strings = cluster.connectionStrings ?? {};
    if (SERVING.has(cluster.stateName ?? '') && strings.standardSrv) {
      secrets.push(
        connectionSecret({ namespace: ctx.parent.metadata.namespace ?? 'default', projectName, projectId, clusterName: cluster.name, username: spec.username, password, strings }),
      );
      continue;
    }
    const kept = observed.get(connectionSecretName(projectName, cluster.name, spec.username));
    if (kept) secrets.push(renderObservedChild(kept));
    waiting.push(cluster.name);
  }
  const inAtlas = new Set(clusters.map((c) => c.name));
  for (const name of declared) if (!inAtlas.has(name)) waiting.push(name);
  return { secrets, waiting: [...new Set(waiting)].sort() };
}

async function finalizeUser(ctx: HookContext): Promise<FinalizeResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  // Connection Secrets go in every case, keep included, as in the official operator. Once
  // a response says finalized, Metacontroller drops its finalizer before it manages
  // children, so we say it only when the Secrets are already gone.
  const secretsLeft = observedSecrets(ctx).size;
  const done: FinalizeResult =
    secretsLeft === 0
      ? { status, children: [], finalized: true }
      : { status, children: [], finalized: false, resyncAfterSeconds: 1 };
  if (ctx.parent.metadata.annotations?.[RESOURCE_POLICY_ANNOTATION] === 'keep') return done;
  const spec = (ctx.parent.spec ?? {}) as Partial<Spec>;
  const access = projectAccess(ctx.parent, ctx.related, ctx.env.identity);
  if (!access.ok) {
    conditions.false(
      USER_READY,
      'AtlasFinalizerNotRemoved',
      `${access.message}: the database user cannot be deleted; add the annotation ${RESOURCE_POLICY_ANNOTATION}: keep to release the AtlasDatabaseUser and leave the user in Atlas`,
    );
    return { status, children: [], finalized: false, resyncAfterSeconds: RESYNC.atlasError };
  }
  const atlas = ctx.atlas(access.creds.credentials);
  const databaseName = spec.databaseName ?? 'admin';
  try {
    for (const username of new Set([spec.username, status.name].filter((u): u is string => Boolean(u)))) {
      await gone(atlas.databaseUsers.delete(access.groupId, databaseName, username), NOT_FOUND.databaseUser);
    }
    // Finalized only once Atlas answers USERNAME_NOT_FOUND and its user list agrees.
    const left = async (username: string) =>
      Boolean(await atlas.databaseUsers.get(access.groupId, databaseName, username)) ||
      (await atlas.databaseUsers.list(access.groupId)).some((u) => u.username === username && u.databaseName === databaseName);
    if (spec.username && (await left(spec.username))) {
      return { status, children: [], finalized: false, resyncAfterSeconds: RESYNC.pending };
    }
    return done;
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    if (await goneWithProject(error, atlas, access.orgId, access.groupId)) return done;
    conditions.false(USER_READY, 'AtlasFinalizerNotRemoved', error.message);
    return { status, children: [], finalized: false, resyncAfterSeconds: RESYNC.atlasError };
  }
}

export const atlasDatabaseUser: KindController = {
  kind: 'AtlasDatabaseUser',
  apiVersion: API_VERSION,
  route: 'atlasdatabaseuser',
  conditionTypes: ['ValidationSucceeded', USER_READY],
  customize: userRelatedRules,
  sync: syncUser,
  finalize: finalizeUser,
};
