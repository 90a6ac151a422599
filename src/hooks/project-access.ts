/**
 * For kinds that live in an AtlasProject (clusters, users): the referenced project, its
 * Atlas id and the credentials it names. customize cannot read the project's spec, so it
 * asks for the project, the Secrets of the project's namespace and the global Secret; the
 * hooks then use the one the project names. The official operator required the label
 * atlas.mongodb.com/type=credentials from v0.8 on but not before, and its v0.5.0 quick
 * start creates the Secret without it, so any Secret is read. Connection Secrets are left
 * out: they are ours, and every write of one would otherwise re-sync every cluster and user
 * of the namespace.
 */
import { API_VERSION } from '../api/common.js';
import type { OperatorIdentity } from '../config/identity.js';
import { relatedObject, stringAt, type KubeObject, type ObjectMap, type RelatedResourceRule } from './contract.js';
import { credentialsFrom, projectCredentialsRef, secretRule, type CredentialsResult } from './credentials.js';
import { CONNECTION_SECRET_LABEL } from './connection-secrets.js';
import { ACCESS_NOT_CONFIGURED, organizationMismatch } from './identity.js';


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

export type ProjectAccess =
  /** orgId: the project's recorded organization, else the credentials'. */
  | { ok: true; project: KubeObject; groupId: string; orgId: string; creds: Extract<CredentialsResult, { ok: true }> }
  | { ok: false; reason: string; message: string };

export function projectAccess(parent: KubeObject, related: ObjectMap, identity: OperatorIdentity): ProjectAccess {
  const ref = projectRefOf(parent);
  const project = relatedObject(related, 'AtlasProject', API_VERSION, ref.namespace, ref.name);
  if (!project) return { ok: false, reason: 'ProjectNotFound', message: `AtlasProject ${ref.namespace}/${ref.name} not found` };
  const groupId = (project.status as { id?: string } | undefined)?.id;
  if (!groupId) {
    return { ok: false, reason: 'ProjectNotReady', message: `AtlasProject ${ref.namespace}/${ref.name} has no Atlas project id yet` };
  }
  const secretRef = projectCredentialsRef(project, identity);
  const creds = credentialsFrom(related, secretRef);
  if (!creds.ok) return { ok: false, reason: creds.reason, message: creds.message };
  const recordedOrgId = (project.status as { orgId?: string } | undefined)?.orgId;
  const mismatch = organizationMismatch(recordedOrgId, creds.credentials.orgId, secretRef, `the Atlas project ${groupId} of AtlasProject ${ref.namespace}/${ref.name}`);
  if (mismatch) return { ok: false, reason: ACCESS_NOT_CONFIGURED, message: mismatch };
  return { ok: true, project, groupId, orgId: recordedOrgId ?? creds.credentials.orgId, creds };
}
