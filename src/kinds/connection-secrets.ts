/**
 * Connection Secrets, named, labelled and keyed as the official operator makes them
 * (../shared/reference/atlas-operator.md §3), so applications move between operators
 * without a change. Returned as Metacontroller children with base64 `data`: stringData
 * never matches what the API server stores and would rewrite the Secret on every sync.
 */
import type { KubeObject } from '../kernel/contract.js';
import type { ConnectionStrings } from './clusters/atlas.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The official NormalizeIdentifier: valid DNS-1123 names pass unchanged. */
export function normalizeIdentifier(name: string): string {
  if (name.length <= 253 && DNS1123_SUBDOMAIN.test(name)) return name;
  return name
    .slice(0, 253)
    .toLowerCase()
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/[^a-z0-9.]+/g, '-');
}

/** A label value: at most 63 characters of [a-z0-9._-], starting and ending alphanumeric. */
export function normalizeLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .slice(0, 63)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

/** The label every connection Secret carries, and no credentials Secret does. */
export const CONNECTION_SECRET_LABEL = 'atlas.mongodb.com/cluster-name';

export function connectionSecretName(projectName: string, clusterName: string, username: string): string {
  return normalizeIdentifier(`${normalizeIdentifier(projectName)}-${normalizeIdentifier(clusterName)}-${normalizeIdentifier(username)}`);
}

/** Splices percent-encoded user info after the scheme; works for multi-host URIs too. */
export function withCredentials(uri: string | undefined, username: string, password: string): string {
  if (!uri) return '';
  const match = /^(mongodb(?:\+srv)?:\/\/)(.*)$/.exec(uri);
  if (!match) return '';
  return `${match[1]}${encodeURIComponent(username)}:${encodeURIComponent(password)}@${match[2]}`;
}

export function connectionSecret(options: {
  namespace: string;
  projectName: string;
  projectId: string;
  clusterName: string;
  username: string;
  password: string;
  strings: ConnectionStrings;
}): KubeObject {
  const { username, password, strings } = options;
  const values: Record<string, string> = {
    connectionStringPrivate: withCredentials(strings.private, username, password),
    connectionStringPrivateSrv: withCredentials(strings.privateSrv, username, password),
    connectionStringStandard: withCredentials(strings.standard, username, password),
    connectionStringStandardSrv: withCredentials(strings.standardSrv, username, password),
    password,
    username,
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: connectionSecretName(options.projectName, options.clusterName, username),
      namespace: options.namespace,
      labels: {
        [CONNECTION_SECRET_LABEL]: normalizeLabelValue(options.clusterName),
        'atlas.mongodb.com/project-id': options.projectId,
        'atlas.mongodb.com/type': 'credentials',
      },
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}
