/**
 * AtlasDatabaseUser's decisions, pure: the Atlas user, then its propagation to the
 * project's clusters, then one connection Secret per cluster in scope (as children).
 *
 * Atlas never returns passwords, so a password change is seen as a new resourceVersion of
 * the password Secret (status.passwordVersion, as in the official operator). After a
 * change, the user is Ready and its Secrets carry the new password only once every cluster
 * in scope has applied it; until then the Secrets stay as they were, so applications keep
 * a password that works.
 */
import { Value } from '@sinclair/typebox/value';
import { NOT_FOUND } from '../../atlas/errors.js';
import { renderObservedChild } from '../../kernel/children.js';
import { groupKey, relatedObject, stringAt, type KubeObject } from '../../kernel/contract.js';
import { secretValues } from '../../kernel/credentials.js';
import { VALIDATION, type AtlasWrite, type Facts, type RemovalInput, type RemovalPlan, type StepInput, type StepPlan, type Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import type { Cluster } from '../clusters/atlas.js';
import { API_VERSION, projectReferenceProblem } from '../common.js';
import { canonical, sameInstant } from '../compare.js';
import { connectionSecret, connectionSecretName } from '../connection-secrets.js';
import { shareTargets, withShareLabels } from '../connectionsecretsharing/kind.js';
import { projectRefOf, type InProject } from '../project-scope.js';
import { userRequests, type DatabaseUser } from './atlas.js';
import { AtlasDatabaseUserSpec } from './schema.js';

export const USER_READY = 'DatabaseUserReady';

export interface UserScope extends InProject {
  /** The project's clusters in the user's scope, as Atlas lists them. */
  clusters: Cluster[];
  /** Whether this sync changed the user in Atlas. */
  wrote: boolean;
  password: string;
}

type Spec = AtlasDatabaseUserSpec & { shareWith: string[] };
type UserInput = StepInput<Spec, UserScope>;

export function checkUserSpec(facts: Facts): Validation<Spec> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'DatabaseUserInvalidSpec', message });
  const withDefaults = Value.Default(AtlasDatabaseUserSpec, structuredClone(facts.parent.spec ?? {}));
  const problem = schemaProblem(AtlasDatabaseUserSpec, withDefaults);
  if (problem) return invalid(problem);
  const valid = withDefaults as AtlasDatabaseUserSpec;
  if (valid.deleteAfterDate !== undefined && Number.isNaN(Date.parse(valid.deleteAfterDate))) return invalid(`spec.deleteAfterDate: "${valid.deleteAfterDate}" is not an ISO-8601 date`);
  const reference = projectReferenceProblem(valid);
  if (reference) return invalid(reference);
  if (!['NONE', 'MANAGED', 'CUSTOMER'].includes(valid.x509Type ?? 'NONE')) return invalid(`spec.x509Type: "${String(valid.x509Type).slice(0, 40)}" is not NONE, MANAGED or CUSTOMER`);
  const passwordless = [valid.x509Type, valid.oidcAuthType, valid.awsIamType].some((type) => (type ?? 'NONE') !== 'NONE');
  if (!valid.passwordSecretRef && !passwordless) return invalid('spec.passwordSecretRef is required unless x509Type, oidcAuthType or awsIamType is set');
  const sharing = shareTargets(facts.parent);
  if (!sharing.ok) return invalid(sharing.message);
  return { ok: true, spec: { ...valid, shareWith: sharing.namespaces } };
}

/** The password and the resourceVersion that identifies it, or the official complaint. */
export function readPassword(facts: Facts, spec: AtlasDatabaseUserSpec): { ok: true; password?: string; version?: string } | { ok: false; message: string } {
  if (!spec.passwordSecretRef) return { ok: true };
  const namespace = facts.parent.metadata.namespace ?? 'default';
  const secret = relatedObject(facts.related, 'Secret', 'v1', namespace, spec.passwordSecretRef.name);
  if (!secret) return { ok: false, message: `Secret "${spec.passwordSecretRef.name}" not found in namespace "${namespace}"` };
  const values = secretValues(secret);
  if (!('password' in values)) return { ok: false, message: `secret ${namespace}/${secret.metadata.name} is invalid: it doesn't contain 'password' field` };
  if (values.password === '') return { ok: false, message: `secret ${namespace}/${secret.metadata.name} is invalid: the 'password' field is empty` };
  return { ok: true, password: values.password!, version: secret.metadata.resourceVersion ?? '' };
}

/** The fields we manage, as Atlas would hold them. */
function desiredUser(spec: AtlasDatabaseUserSpec, groupId: string): DatabaseUser {
  return {
    username: spec.username,
    databaseName: spec.databaseName,
    groupId,
    roles: spec.roles,
    scopes: spec.scopes ?? [],
    labels: spec.labels ?? [],
    ...(spec.deleteAfterDate ? { deleteAfterDate: spec.deleteAfterDate } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    x509Type: spec.x509Type ?? 'NONE',
    oidcAuthType: spec.oidcAuthType ?? 'NONE',
    awsIAMType: spec.awsIamType ?? 'NONE',
  };
}

function userDiffers(want: DatabaseUser, have: DatabaseUser): boolean {
  return (
    canonical(want.roles) !== canonical(have.roles ?? []) ||
    canonical(want.scopes) !== canonical(have.scopes ?? []) ||
    canonical(want.labels) !== canonical(have.labels ?? []) ||
    (want.x509Type ?? 'NONE') !== (have.x509Type ?? 'NONE') ||
    (want.oidcAuthType ?? 'NONE') !== (have.oidcAuthType ?? 'NONE') ||
    (want.awsIAMType ?? 'NONE') !== (have.awsIAMType ?? 'NONE') ||
    (want.description !== undefined && want.description !== (have.description ?? '')) ||
    !sameInstant(want.deleteAfterDate, have.deleteAfterDate)
  );
}

export const isExpired = (spec: AtlasDatabaseUserSpec, now: Date) => spec.deleteAfterDate !== undefined && Date.parse(spec.deleteAfterDate) <= now.getTime();

/** The clusters the user's scopes name; none means every cluster of the project. */
const scopedClusters = (spec: AtlasDatabaseUserSpec) => (spec.scopes ?? []).filter((s) => s.type === 'CLUSTER').map((s) => s.name);

export type UserObservation =
  | { expired: true }
  /** projectName: read from Atlas for an external project, which no AtlasProject names. */
  | { expired: false; user: DatabaseUser | undefined; clusters: Cluster[]; projectName?: string };

export function planUser(input: UserInput, observed: UserObservation): StepPlan<UserScope> {
  const { spec, scope, facts, status } = input;
  const deleteUser = (username: string, why: string): AtlasWrite => ({
    verb: 'delete',
    request: userRequests.delete(scope.groupId, spec.databaseName, username),
    summary: `delete database user ${spec.databaseName}/${username} (${why})`,
    alreadyDone: NOT_FOUND.databaseUser,
  });
  if (observed.expired) {
    // Expired: gone from Atlas, its Secrets dropped, and nothing more to retry.
    return {
      writes: [deleteUser(spec.username, 'expired')],
      settle: () => ({ condition: { status: 'False', reason: 'DatabaseUserExpired', message: 'The database user is expired and has been removed from Atlas' }, children: [] }),
    };
  }
  const password = readPassword(facts, spec);
  if (!password.ok) return { writes: [], settle: () => ({ condition: { status: 'False', reason: 'DatabaseUserPasswordSecretInvalid', message: password.message } }) };

  const scoped = scopedClusters(spec);
  const missing = scoped.find((name) => !observed.clusters.some((c) => c.name === name));
  if (missing) {
    const message = `"scopes" field references cluster named "${missing}" but such cluster doesn't exist in Atlas`;
    return { writes: [], settle: () => ({ type: VALIDATION, condition: { status: 'False', reason: 'DatabaseUserInvalidSpec', message }, wait: 'retry' }) };
  }
  const inScope = scoped.length > 0 ? observed.clusters.filter((c) => scoped.includes(c.name)) : observed.clusters;

  const want = desiredUser(spec, scope.groupId);
  const have = observed.user;
  const withPassword = password.password !== undefined ? { password: password.password } : {};
  const passwordChanged = password.version !== undefined && password.version !== status.passwordVersion;
  const { username: _u, databaseName: _d, groupId: _g, ...changes } = want;
  const drifted = have !== undefined && userDiffers(want, have);
  const writes: AtlasWrite[] = [];
  if (!have) {
    // Someone else's create (USER_ALREADY_EXISTS) is adopted: observed again, it is updated.
    writes.push({ verb: 'create', request: userRequests.create(scope.groupId, { ...want, ...withPassword }), summary: `create database user ${spec.databaseName}/${spec.username}`, alreadyExists: 'USER_ALREADY_EXISTS' });
  } else if (passwordChanged || drifted) {
    const what = [...(passwordChanged ? ['password'] : []), ...(drifted ? ['roles, scopes, labels, expiry, description or authentication type'] : [])].join(' and ');
    writes.push({
      verb: 'update',
      request: userRequests.update(scope.groupId, spec.databaseName, spec.username, { ...changes, ...(passwordChanged ? withPassword : {}) }),
      summary: `update database user ${spec.databaseName}/${spec.username}: ${what}`,
    });
  }
  const renamedFrom = typeof status.name === 'string' && status.name !== spec.username ? status.name : undefined;
  // The username changed: once the new user exists the old one goes (its Secrets are no
  // longer among the children, so Metacontroller deletes them).
  if (renamedFrom) writes.push(deleteUser(renamedFrom, `renamed to ${spec.username}`));
  return {
    writes,
    settle: () => ({
      condition: { status: 'True' },
      // For an external project, the organization Atlas answered for is put on record.
      status: { ...(password.version !== undefined ? { passwordVersion: password.version } : {}), name: spec.username, ...(spec.externalProjectRef ? { orgId: scope.orgId } : {}) },
      scope: { clusters: inScope, wrote: writes.length > 0, password: password.password ?? '', ...(observed.projectName ? { projectName: observed.projectName } : {}) },
    }),
  };
}

/** Clusters that have not applied the user's latest change, or undefined when nothing needs checking. */
export function planPropagation(input: UserInput, pending: string[] | undefined): StepPlan<UserScope> {
  const total = input.scope.clusters.length;
  // A plan's change is not sent, so no cluster has applied it.
  const notApplied = input.dryRun && input.scope.wrote ? input.scope.clusters.map((c) => c.name) : (pending ?? []);
  return {
    writes: [],
    settle: () =>
      notApplied.length > 0
        ? { condition: { status: 'False', reason: 'ClustersAppliedDatabaseUsersChanges', message: `${total - notApplied.length} out of ${total} clusters have applied database user changes` }, wait: 'progress' }
        : { condition: { status: 'True' } },
  };
}

/** States in which a cluster's connection strings are its current ones. */
const SERVING = new Set(['IDLE', 'UPDATING', 'REPAIRING']);

/** The AtlasClusters and AtlasDeployments that declare a cluster in the user's project. */
function clusterObjects(facts: Facts): KubeObject[] {
  const user = projectRefOf(facts.parent);
  const external = stringAt(facts.parent.spec, 'externalProjectRef', 'id');
  return ['AtlasCluster', 'AtlasDeployment'].flatMap((kind) =>
    Object.values(facts.related[groupKey(kind, API_VERSION)] ?? {})
      .filter((cluster) => !cluster.metadata.deletionTimestamp)
      .filter((cluster) => {
        if (external !== undefined) return stringAt(cluster.spec, 'externalProjectRef', 'id') === external;
        const ref = projectRefOf(cluster);
        return ref.namespace === user.namespace && ref.name === user.name;
      }),
  );
}

/**
 * Names of the clusters those objects declare (they may not be in Atlas yet): a user is
 * not Ready while a cluster it will get a Secret for is missing.
 */
function declaredClusters(facts: Facts): string[] {
  return clusterObjects(facts).flatMap((cluster) => {
    const name = stringAt(cluster.spec, 'name') ?? stringAt(cluster.spec, 'deploymentSpec', 'name') ?? stringAt(cluster.spec, 'flexSpec', 'name');
    return name ? [name] : [];
  });
}

/** Flex clusters have their own list: it is read only when an AtlasDeployment of the project declares one. */
export function declaresFlexCluster(facts: Facts): boolean {
  return clusterObjects(facts).some((cluster) => stringAt(cluster.spec, 'flexSpec', 'name') !== undefined);
}

function observedSecrets(facts: Facts): Map<string, KubeObject> {
  return new Map(Object.values(facts.children[groupKey('Secret', 'v1')] ?? {}).map((s) => [s.metadata.name, s]));
}

/**
 * One Secret per cluster in scope, rendered from Atlas's current connection strings. A
 * cluster still provisioning keeps the Secret it had (re-rendered, never echoed), and a
 * cluster that is being deleted, or is gone, loses it. Ready names every cluster whose
 * Secret is missing or not current.
 */
export function planSecrets(input: UserInput): StepPlan<UserScope> {
  const { spec, scope, facts } = input;
  const scoped = scopedClusters(spec);
  const declared = declaredClusters(facts).filter((name) => scoped.length === 0 || scoped.includes(name));
  const observed = observedSecrets(facts);
  const secrets: KubeObject[] = [];
  const waiting: string[] = [];
  for (const cluster of scope.clusters) {
    if (cluster.stateName === 'DELETING') continue;
    const strings = cluster.connectionStrings ?? {};
    if (SERVING.has(cluster.stateName ?? '') && strings.standardSrv) {
      const namespace = facts.parent.metadata.namespace ?? 'default';
      secrets.push(connectionSecret({ namespace, projectName: scope.projectName, projectId: scope.groupId, clusterName: cluster.name, username: spec.username, password: scope.password, strings }));
      continue;
    }
    const kept = observed.get(connectionSecretName(scope.projectName, cluster.name, spec.username));
    if (kept) secrets.push(renderObservedChild(kept));
    waiting.push(cluster.name);
  }
  const inAtlas = new Set(scope.clusters.map((c) => c.name));
  for (const name of declared) if (!inAtlas.has(name)) waiting.push(name);
  const children = secrets.map((secret) => withShareLabels(secret, spec.shareWith));
  const names = [...new Set(waiting)].sort();
  return {
    writes: [],
    settle: () =>
      names.length > 0
        ? { condition: { status: 'False', reason: 'DatabaseUserConnectionSecretsNotCreated', message: `Waiting for clusters to get created/updated: ${names.join(', ')}` }, children, wait: 'progress' }
        : { condition: { status: 'True' }, children },
  };
}

/** Connection Secrets go in every case, keep included, as in the official operator. */
export function secretsReleased(facts: Facts): { finalized: true } | { finalized: false; wait: 'children' } {
  // Once a response says finalized, Metacontroller drops its finalizer before it manages
  // children, so we say it only when the Secrets are already gone.
  return observedSecrets(facts).size === 0 ? { finalized: true } : { finalized: false, wait: 'children' };
}

export function usernames(spec: Partial<AtlasDatabaseUserSpec>, status: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([spec.username, status.name].filter((u): u is string => typeof u === 'string' && u !== ''))];
}

export type UserRemovalObservation = { left: boolean };

export function planUserRemoval(input: RemovalInput<AtlasDatabaseUserSpec, InProject>, observed: UserRemovalObservation | undefined): RemovalPlan {
  const databaseName = input.spec.databaseName ?? 'admin';
  if (observed) {
    // Finalized only once Atlas answers USERNAME_NOT_FOUND and its user list agrees.
    return { writes: [], settle: () => (observed.left ? { gone: false, message: `the database user ${databaseName}/${input.spec.username} is still listed in Atlas; looking again`, wait: 'soon' } : { gone: true }) };
  }
  return {
    writes: usernames(input.spec, input.status).map((username) => ({
      verb: 'delete' as const,
      request: userRequests.delete(input.scope.groupId, databaseName, username),
      summary: `delete database user ${databaseName}/${username}`,
      alreadyDone: NOT_FOUND.databaseUser,
    })),
    confirm: true,
    settle: () => ({ gone: true }),
  };
}
