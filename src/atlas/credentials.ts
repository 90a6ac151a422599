/** Atlas credentials, per call: one hook server serves many organisations and keys at once. */
import { createHash } from 'node:crypto';

export type AtlasCredentials =
  | { kind: 'apiKey'; orgId: string; publicKey: string; privateKey: string }
  | { kind: 'serviceAccount'; orgId: string; clientId: string; clientSecret: string };

/** One hash per credentials object: a sync makes several calls with the same one. */
const identities = new WeakMap<AtlasCredentials, string>();

/** A stable identity for caches and sessions that never contains the secret itself. */
export function credentialIdentity(credentials: AtlasCredentials): string {
  let identity = identities.get(credentials);
  if (identity === undefined) identities.set(credentials, (identity = hashedIdentity(credentials)));
  return identity;
}

function hashedIdentity(credentials: AtlasCredentials): string {
  const secret = credentials.kind === 'apiKey' ? credentials.privateKey : credentials.clientSecret;
  const id = credentials.kind === 'apiKey' ? credentials.publicKey : credentials.clientId;
  return `${credentials.kind}:${id}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}
