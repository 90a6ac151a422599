/** The custom database role routes (2023-01-01, as the official Go SDK uses them). */
import { atlasRequest, type AtlasClient } from '../../atlas/client.js';

export interface AtlasCustomDbRole {
  roleName: string;
  actions?: Array<{ action: string; resources?: Array<{ cluster?: boolean; db?: string; collection?: string }> }>;
  inheritedRoles?: Array<{ role: string; db: string }>;
}

const VERSION = '2023-01-01';
export const ROLE_NOT_FOUND = ['ATLAS_CUSTOM_ROLE_NOT_FOUND'] as const;

export const customRoleRequests = {
  list: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/customDBRoles/roles', [groupId], VERSION),
  get: (groupId: string, roleName: string) => atlasRequest('GET', '/groups/{groupId}/customDBRoles/roles/{roleName}', [groupId, roleName], VERSION),
  create: (groupId: string, body: AtlasCustomDbRole) => atlasRequest('POST', '/groups/{groupId}/customDBRoles/roles', [groupId], VERSION, { body }),
  /** PATCH to the desired actions and inherited roles (the name is in the path): repeating it is harmless. */
  update: (groupId: string, roleName: string, body: Omit<AtlasCustomDbRole, 'roleName'>) =>
    atlasRequest('PATCH', '/groups/{groupId}/customDBRoles/roles/{roleName}', [groupId, roleName], VERSION, { body, idempotent: true }),
  delete: (groupId: string, roleName: string) => atlasRequest('DELETE', '/groups/{groupId}/customDBRoles/roles/{roleName}', [groupId, roleName], VERSION),
};

export const customRoleReads = {
  /** The list answers a bare array, not a paginated envelope. */
  list: (atlas: AtlasClient, groupId: string) => atlas.send<AtlasCustomDbRole[]>(customRoleRequests.list(groupId)),
  get: (atlas: AtlasClient, groupId: string, roleName: string) => atlas.find<AtlasCustomDbRole>(customRoleRequests.get(groupId, roleName), ROLE_NOT_FOUND),
};
