/**
 * For kinds that live in an AtlasProject (clusters, users): the referenced project, its
 * Atlas id and the credentials it names. customize cannot read the project's spec, so it
 * asks for the project, the Secrets of the project's namespace and the global Secret; the
 * hooks then use the one the project names. The official operator required the label
 * atlas.mongodb.com/type=credentials from v0.8 on but not before, and its v0.5.0 quick
 * start creates the Secret without it, so any Secret is read. Connection Secrets are left
 * out: they are ours, and every write of one would otherwise re-sync every cluster and user
 * of the namespace.
 *
 * Identity before destruction: a project records its organization (status.orgId) and its
 * clusters and users inherit it; a not-found counts as gone only from credentials proven
 * to act for that organization, confirmed by a second, independent read.
 */
import type { AtlasClient } from '../atlas/client.js';
import { AtlasApiError } from '../atlas/errors.js';
import type { OperatorIdentity } from '../config/identity.js';
import { relatedObject, stringAt, type KubeObject, type RelatedResourceRule } from '../kernel/contract.js';
import { credentialsFrom, foreignSecretProblem, projectCredentialsRef, secretRule, type SecretRef } from '../kernel/credentials.js';
import { ACCESS_NOT_CONFIGURED, organizationMismatch } from '../kernel/identity.js';
import type { Connect, Facts } from '../kernel/managed.js';
import { projectReads } from './atlasproject/atlas.js';
import { API_VERSION } from './common.js';
import { CONNECTION_SECRET_LABEL } from './connection-secrets.js';

export interface InProject {
  groupId: string;
  /** The project's recorded organization, else the credentials'. */
  orgId: string;
  /** The AtlasProject's spec.name: connection Secrets are named after it. */
  projectName: string;
}

export function projectRefOf(parent: KubeObject): { namespace: string; name: string } {
  return {
    namespace: stringAt(parent.spec, 'projectRef', 'namespace') || parent.metadata.namespace || 'default',
    name: stringAt(parent.spec, 'projectRef', 'name') ?? '',
  };
}

export function projectRelatedRules(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[] {
  const project = projectRefOf(parent);
  return [
    { apiVersion: API_VERSION, resource: 'atlasprojects', namespace: project.namespace, names: [project.name] },
    { apiVersion: 'v1', resource: 'secrets', namespace: project.namespace, labelSelector: { matchExpressions: [{ key: CONNECTION_SECRET_LABEL, operator: 'DoesNotExist' }] } },
    secretRule({ namespace: identity.namespace, name: identity.globalSecretName }),
  ];
}

/** Connect through the referenced AtlasProject: its id, its organization and its credentials. */
export const connectThroughProject: Connect<unknown, InProject> = (facts: Facts) => {
  if (stringAt(facts.parent.spec, 'externalProjectRef', 'id') !== undefined) {
    const message = 'spec.externalProjectRef is not managed by this operator yet';
    return { ok: false, reason: 'AtlasUnsupportedFeature', message, deleteMessage: `${message}, so nothing is deleted in Atlas for it` };
  }
  const ref = projectRefOf(facts.parent);
  const project = relatedObject(facts.related, 'AtlasProject', API_VERSION, ref.namespace, ref.name);
  if (!project) return { ok: false, reason: 'ProjectNotFound', message: `AtlasProject ${ref.namespace}/${ref.name} not found`, wait: 'dependency' };
  const groupId = stringAt(project.status, 'id');
  if (!groupId) {
    return { ok: false, reason: 'ProjectNotReady', message: `AtlasProject ${ref.namespace}/${ref.name} has no Atlas project id yet`, wait: 'dependency' };
  }
  const foreign = foreignSecretProblem(project);
  if (foreign) return { ok: false, reason: 'ProjectNotReady', message: `AtlasProject ${ref.namespace}/${ref.name}: ${foreign}`, wait: 'dependency' };
  const secret = projectCredentialsRef(project, facts.identity);
  const creds = credentialsFrom(facts.related, secret);
  if (!creds.ok) return { ok: false, reason: creds.reason, message: creds.message, wait: 'dependency' };
  const recordedOrgId = stringAt(project.status, 'orgId');
  const mismatch = organizationMismatch(recordedOrgId, creds.credentials.orgId, secret, `the Atlas project ${groupId} of AtlasProject ${ref.namespace}/${ref.name}`);
  if (mismatch) return { ok: false, reason: ACCESS_NOT_CONFIGURED, message: mismatch, wait: 'dependency' };
  return {
    ok: true,
    connection: {
      credentials: creds.credentials,
      secret,
      scope: { groupId, orgId: recordedOrgId ?? creds.credentials.orgId, projectName: stringAt(project.spec, 'name') ?? '' },
    },
  };
};

/**
 * True only when the credentials work and act for `orgId`: they read their organizations
 * and it is among them. Only then is a not-found of theirs evidence that an object is gone.
 */
export async function actsFor(atlas: AtlasClient, orgId: string): Promise<boolean> {
  return (await projectReads.organizations(atlas)).some((org) => org.id === orgId);
}

/**
 * The project is gone for sure: the credentials act for its organization, and that
 * organization's project list (a second, independent read) does not hold it.
 */
export async function projectGone(atlas: AtlasClient, orgId: string, project: { id?: string; name?: string }): Promise<boolean> {
  if (!(await actsFor(atlas, orgId))) return false;
  return !(await projectReads.list(atlas)).some((p) => p.id === project.id || (!project.id && p.name === project.name));
}

/** Atlas answered GROUP_NOT_FOUND for an object of this project: it is gone with it, if the project is gone for sure. */
export async function goneWithProject(error: AtlasApiError, scope: InProject, atlas: AtlasClient): Promise<boolean> {
  return error.is('GROUP_NOT_FOUND') && (await projectGone(atlas, scope.orgId, { id: scope.groupId }));
}

/** The Secret an object with externalProjectRef names for its credentials, in its own namespace. */
function externalCredentialsRef(parent: KubeObject): SecretRef | undefined {
  if (stringAt(parent.spec, 'externalProjectRef', 'id') === undefined) return undefined;
  return { namespace: parent.metadata.namespace ?? 'default', name: stringAt(parent.spec, 'connectionSecret', 'name') ?? '' };
}

/** Related objects for a kind that takes a projectRef or an externalProjectRef (with its connectionSecret). */
export function projectOrExternalRules(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[] {
  const external = externalCredentialsRef(parent);
  return external ? [secretRule(external)] : projectRelatedRules(parent, identity);
}

/**
 * Connect through the referenced AtlasProject, or straight to the Atlas project an
 * externalProjectRef names with the credentials its connectionSecret holds. For an external
 * project the organization is recorded in status (orgId) on the first answer Atlas gives, so
 * later credentials of another organization are refused and can never prove it gone.
 */
export const connectToProject: Connect<unknown, InProject> = (facts: Facts, spec) => {
  const secret = externalCredentialsRef(facts.parent);
  if (!secret) return connectThroughProject(facts, spec);
  const groupId = stringAt(facts.parent.spec, 'externalProjectRef', 'id') ?? '';
  const creds = credentialsFrom(facts.related, secret);
  if (!creds.ok) return { ok: false, reason: creds.reason, message: creds.message, wait: 'dependency' };
  const recordedOrgId = stringAt(facts.parent.status, 'orgId');
  const mismatch = organizationMismatch(recordedOrgId, creds.credentials.orgId, secret, `the Atlas project ${groupId}`);
  if (mismatch) return { ok: false, reason: ACCESS_NOT_CONFIGURED, message: mismatch, wait: 'dependency' };
  return { ok: true, connection: { credentials: creds.credentials, secret, scope: { groupId, orgId: recordedOrgId ?? creds.credentials.orgId, projectName: '' } } };
};

/**
 * With an externalProjectRef, the organization to keep in status.orgId: the first answer
 * records it, and connectToProject refuses credentials of any other from then on.
 */
export function orgOnRecord(spec: { externalProjectRef?: unknown }, scope: InProject): { orgId?: string } {
  return spec.externalProjectRef ? { orgId: scope.orgId } : {};
}

/** connectToProject, with the kind's own scope fields in their starting state. */
export function connectToProjectWith<Extra extends object>(start: Extra): Connect<unknown, InProject & Extra> {
  return (facts, spec) => {
    const link = connectToProject(facts, spec);
    return link.ok ? { ...link, connection: { ...link.connection, scope: { ...link.connection.scope, ...start } } } : link;
  };
}
