/**
 * Atlas credentials from a Secret, as the official operator reads them: `orgId` plus either
 * an API key (`publicApiKey`, `privateApiKey`) or a service account (`clientId`,
 * `clientSecret`), never both. Missing or empty keys are named in its words:
 * "the following fields are missing in the Secret <ns>/<name>: [privateApiKey]".
 */
import type { AtlasCredentials } from '../atlas/credentials.js';
import type { OperatorIdentity } from '../config/identity.js';
import { relatedObject, stringAt, type KubeObject, type ObjectMap, type RelatedResourceRule } from './contract.js';

export const CREDENTIALS_NOT_PROVIDED = 'AtlasCredentialsNotProvided';

export interface SecretRef {
  namespace: string;
  name: string;
}

export type CredentialsResult =
  | { ok: true; credentials: AtlasCredentials; ref: SecretRef }
  | { ok: false; reason: string; message: string; ref: SecretRef };

/** The project's own Secret (spec.connectionSecretRef, its namespace) or the global one. */
export function projectCredentialsRef(project: KubeObject, identity: OperatorIdentity): SecretRef {
  const name = stringAt(project.spec, 'connectionSecretRef', 'name');
  return name
    ? { namespace: project.metadata.namespace ?? 'default', name }
    : { namespace: identity.namespace, name: identity.globalSecretName };
}

/**
 * The problem with a connectionSecretRef naming another namespace, if it does. Credentials
 * are read only from the object's own namespace (or the operator's global Secret): whoever
 * may create an AtlasProject in one namespace must not thereby use another namespace's keys.
 */
export function foreignSecretProblem(project: KubeObject): string | undefined {
  const namespace = stringAt(project.spec, 'connectionSecretRef', 'namespace');
  const own = project.metadata.namespace ?? 'default';
  if (!namespace || namespace === own) return undefined;
  return `spec.connectionSecretRef.namespace: the Secret must be in the project's own namespace (${own}), not ${namespace}; credentials are never read across namespaces`;
}

export function secretRule(ref: SecretRef): RelatedResourceRule {
  return { apiVersion: 'v1', resource: 'secrets', namespace: ref.namespace, names: [ref.name] };
}

export function secretValues(secret: KubeObject): Record<string, string> {
  const values: Record<string, string> = {};
  const data = (secret.data ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(data)) values[key] = Buffer.from(value, 'base64').toString('utf8');
  // A payload written by hand may carry stringData; the API server would have merged it.
  Object.assign(values, (secret.stringData ?? {}) as Record<string, string>);
  return values;
}

export function credentialsFrom(related: ObjectMap, ref: SecretRef): CredentialsResult {
  const secret = relatedObject(related, 'Secret', 'v1', ref.namespace, ref.name);
  if (!secret) {
    return {
      ok: false,
      reason: CREDENTIALS_NOT_PROVIDED,
      message: `Secret "${ref.name}" not found in namespace "${ref.namespace}"`,
      ref,
    };
  }
  const v = secretValues(secret);
  const present = (key: string) => typeof v[key] === 'string' && v[key] !== '';
  const apiKey = present('publicApiKey') || present('privateApiKey');
  const serviceAccount = present('clientId') || present('clientSecret');
  if (apiKey && serviceAccount) {
    return {
      ok: false,
      reason: CREDENTIALS_NOT_PROVIDED,
      message: `the Secret ${ref.namespace}/${ref.name} contains both API key and service account credentials; only one type is allowed`,
      ref,
    };
  }
  const required = serviceAccount ? ['orgId', 'clientId', 'clientSecret'] : ['orgId', 'publicApiKey', 'privateApiKey'];
  const missing = required.filter((key) => !present(key));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: CREDENTIALS_NOT_PROVIDED,
      message: `the following fields are missing in the Secret ${ref.namespace}/${ref.name}: [${missing.join(' ')}]`,
      ref,
    };
  }
  const credentials: AtlasCredentials = serviceAccount
    ? { kind: 'serviceAccount', orgId: v.orgId!, clientId: v.clientId!, clientSecret: v.clientSecret! }
    : { kind: 'apiKey', orgId: v.orgId!, publicKey: v.publicApiKey!, privateKey: v.privateApiKey! };
  return { ok: true, credentials, ref };
}
