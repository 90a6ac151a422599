/**
 * Identity before destruction. A project records the Atlas organization it lives in
 * (status.orgId), and its clusters and users inherit it. Credentials of another
 * organization (a connectionSecretRef pointing at the wrong Secret, or a removed one that
 * falls back to another organization's global Secret) must never create a twin project nor
 * let a finalizer go: Atlas's not-found for them says nothing about the real object.
 */
import type { AtlasClient } from '../atlas/client.js';
import { AtlasApiError } from '../atlas/errors.js';
import type { SecretRef } from './credentials.js';

export const ACCESS_NOT_CONFIGURED = 'AtlasAPIAccessNotConfigured';

/** Why these credentials may not act on an object of `recordedOrgId`, or undefined when they may. */
export function organizationMismatch(recordedOrgId: string | undefined, credentialsOrgId: string, ref: SecretRef, what: string): string | undefined {
  if (!recordedOrgId || recordedOrgId === credentialsOrgId) return undefined;
  return `the credentials in Secret ${ref.namespace}/${ref.name} are for organization ${credentialsOrgId}, but ${what} is in organization ${recordedOrgId}`;
}

/** Atlas's answer to credentials that cannot see a project (another organization's). */
export function notInGroup(error: unknown): boolean {
  return error instanceof AtlasApiError && error.is('NOT_IN_GROUP');
}

/**
 * True only when the credentials work and act for `orgId`: they read their organizations
 * and it is among them. Only then is a not-found of theirs evidence that an object is gone.
 */
export async function actsFor(atlas: AtlasClient, orgId: string): Promise<boolean> {
  return (await atlas.organizations.list()).some((org) => org.id === orgId);
}

/**
 * The project is gone for sure: the credentials act for its organization, and that
 * organization's project list (a second, independent read) does not hold it.
 */
export async function projectGone(atlas: AtlasClient, orgId: string, project: { id?: string; name?: string }): Promise<boolean> {
  if (!(await actsFor(atlas, orgId))) return false;
  return !(await atlas.projects.list()).some((p) => p.id === project.id || (!project.id && p.name === project.name));
}

/**
 * Atlas answered GROUP_NOT_FOUND for an object's project: the object is gone with it, if
 * the project is gone for sure.
 */
export async function goneWithProject(error: unknown, atlas: AtlasClient, orgId: string, groupId: string): Promise<boolean> {
  return error instanceof AtlasApiError && error.is('GROUP_NOT_FOUND') && (await projectGone(atlas, orgId, { id: groupId }));
}
