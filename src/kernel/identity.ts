/**
 * Identity before destruction. Credentials of another organization (a connectionSecretRef
 * pointing at the wrong Secret, or a removed one that falls back to another organization's
 * global Secret) must never create a twin nor let a finalizer go: Atlas's not-found for
 * them says nothing about the real object.
 */
import { AtlasApiError } from '../atlas/errors.js';
import type { SecretRef } from './credentials.js';

export const ACCESS_NOT_CONFIGURED = 'AtlasAPIAccessNotConfigured';

/** Why these credentials may not act on an object of `recordedOrgId`, or undefined when they may. */
export function organizationMismatch(recordedOrgId: string | undefined, credentialsOrgId: string, ref: SecretRef, what: string): string | undefined {
  if (!recordedOrgId || recordedOrgId === credentialsOrgId) return undefined;
  return `the credentials in Secret ${ref.namespace}/${ref.name} are for organization ${credentialsOrgId}, but ${what} is in organization ${recordedOrgId}`;
}

/** Atlas's answer to credentials that cannot see a project (another organization's). */
export function notInGroup(error: unknown): error is AtlasApiError {
  return error instanceof AtlasApiError && error.is('NOT_IN_GROUP');
}
