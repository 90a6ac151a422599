/**
 * For kinds that live in an AtlasProject (clusters, users): the referenced project, its
 * Atlas id and the credentials it names. customize cannot read the project's spec, so it
 * asks for the project, the Secrets labelled atlas.mongodb.com/type=credentials in the
 * project's namespace (the label the official operator requires since v0.8) and the global
 * Secret; the hooks then use the one the project names.
 */
import { API_VERSION } from '../api/common.js';
import type { OperatorIdentity } from '../config/identity.js';
import { relatedObject, type KubeObject, type ObjectMap, type RelatedResourceRule } from './contract.js';
import { credentialsFrom, projectCredentialsRef, secretRule, type CredentialsResult } from './credentials.js';

export const CREDENTIALS_LABEL = { 'atlas.mongodb.com/type': 'credentials' } as const;

export function projectRefOf(parent: KubeObject): { namespace: string; name: string } {
  const ref = (parent.spec as { projectRef?: { name?: string; namespace?: string } } | undefined)?.projectRef;
  return { namespace: ref?.namespace || parent.metadata.namespace || 'default', name: ref?.name ?? '' };
}

export function projectRelatedRules(parent: KubeObject, identity: OperatorIdentity): RelatedResourceRule[] {
  const project = projectRefOf(parent);
  return [
    { apiVersion: API_VERSION, resource: 'atlasprojects', namespace: project.namespace, names: [project.name] },
    { apiVersion: 'v1', resource: 'secrets', namespace: project.namespace, labelSelector: { matchLabels: { ...CREDENTIALS_LABEL } } },
    secretRule({ namespace: identity.namespace, name: identity.globalSecretName }),
  ];
}

export type ProjectAccess =
  | { ok: true; project: KubeObject; groupId: string; creds: Extract<CredentialsResult, { ok: true }> }
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
  if (creds.ok) return { ok: true, project, groupId, creds };
  const global = secretRef.namespace === identity.namespace && secretRef.name === identity.globalSecretName;
  const unlabelled = !global && !relatedObject(related, 'Secret', 'v1', secretRef.namespace, secretRef.name);
  return {
    ok: false,
    reason: creds.reason,
    message: unlabelled
      ? `${creds.message}, or it lacks the label atlas.mongodb.com/type=credentials that AtlasClusters and AtlasDatabaseUsers need to read it (kubectl label secret ${secretRef.name} -n ${secretRef.namespace} atlas.mongodb.com/type=credentials)`
      : creds.message,
  };
}
