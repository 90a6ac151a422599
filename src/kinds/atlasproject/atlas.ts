/**
 * The Atlas routes AtlasProject uses, pinned to the versions the official Go SDK uses for
 * them (../shared/reference/atlas-api.md §9): requests for the kernel to send, reads for
 * observe.
 */
import { atlasRequest, type AtlasClient } from '../../atlas/client.js';
import { NOT_FOUND } from '../../atlas/errors.js';

export interface Project {
  id: string;
  name: string;
  orgId: string;
  clusterCount: number;
  created: string;
  withDefaultAlertsSettings?: boolean;
}

export interface Organization {
  id: string;
  name: string;
}

export interface AccessListEntry {
  ipAddress?: string;
  cidrBlock?: string;
  awsSecurityGroup?: string;
  comment?: string;
  deleteAfterDate?: string;
  groupId?: string;
}

export type AccessListStatus = 'PENDING' | 'ACTIVE' | 'FAILED';

const VERSION = '2023-01-01';

export const projectRequests = {
  list: () => atlasRequest('GET', '/groups', [], VERSION),
  get: (groupId: string) => atlasRequest('GET', '/groups/{groupId}', [groupId], VERSION),
  getByName: (name: string) => atlasRequest('GET', '/groups/byName/{groupName}', [name], VERSION),
  create: (body: { name: string; orgId: string; withDefaultAlertsSettings?: boolean; regionUsageRestrictions?: string }) => atlasRequest('POST', '/groups', [], VERSION, { body }),
  delete: (groupId: string) => atlasRequest('DELETE', '/groups/{groupId}', [groupId], VERSION),
  organizations: () => atlasRequest('GET', '/orgs', [], VERSION),
};

export const accessListRequests = {
  list: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/accessList', [groupId], VERSION),
  /** An upsert: Atlas answers with the whole list. Repeating it is harmless. */
  add: (groupId: string, entries: AccessListEntry[]) => atlasRequest('POST', '/groups/{groupId}/accessList', [groupId], VERSION, { body: entries, idempotent: true }),
  delete: (groupId: string, entry: string) => atlasRequest('DELETE', '/groups/{groupId}/accessList/{entryValue}', [groupId, entry], VERSION),
  status: (groupId: string, entry: string) => atlasRequest('GET', '/groups/{groupId}/accessList/{entryValue}/status', [groupId, entry], VERSION),
};

export type Settings = Record<string, boolean>;

export const settingsRequests = {
  get: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/settings', [groupId], VERSION),
  /** PATCH to the desired flags: repeating it is harmless. */
  update: (groupId: string, body: Settings) => atlasRequest('PATCH', '/groups/{groupId}/settings', [groupId], VERSION, { body, idempotent: true }),
};

export interface MaintenanceWindow {
  dayOfWeek?: number;
  hourOfDay?: number;
  autoDeferOnceEnabled?: boolean;
  [field: string]: unknown;
}

export const maintenanceWindowRequests = {
  get: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/maintenanceWindow', [groupId], VERSION),
  /** PATCH to the desired window: repeating it is harmless. */
  update: (groupId: string, body: MaintenanceWindow) => atlasRequest('PATCH', '/groups/{groupId}/maintenanceWindow', [groupId], VERSION, { body, idempotent: true }),
  /** Defer the scheduled maintenance by one week (Atlas allows two in a row). */
  defer: (groupId: string) => atlasRequest('POST', '/groups/{groupId}/maintenanceWindow/defer', [groupId], VERSION),
  /** Back to Atlas's default window. */
  reset: (groupId: string) => atlasRequest('DELETE', '/groups/{groupId}/maintenanceWindow', [groupId], VERSION),
};

export interface Auditing {
  enabled?: boolean;
  auditFilter?: string;
  auditAuthorizationSuccess?: boolean;
  /** Read-only: how the filter was written (NONE, FILTER_BUILDER, FILTER_JSON). */
  configurationType?: string;
}

export const auditingRequests = {
  get: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/auditLog', [groupId], VERSION),
  /** PATCH to the desired configuration: repeating it is harmless. */
  update: (groupId: string, body: Auditing) => atlasRequest('PATCH', '/groups/{groupId}/auditLog', [groupId], VERSION, { body, idempotent: true }),
};

export const projectReads = {
  /** The organizations these credentials act for: an API key's or service account's own. */
  organizations: (atlas: AtlasClient) => atlas.all<Organization>(projectRequests.organizations()),
  /** The projects of the credentials' organization. */
  list: (atlas: AtlasClient) => atlas.all<Project>(projectRequests.list()),
  get: (atlas: AtlasClient, groupId: string) => atlas.find<Project>(projectRequests.get(groupId), NOT_FOUND.project),
  getByName: (atlas: AtlasClient, name: string) => atlas.find<Project>(projectRequests.getByName(name), NOT_FOUND.projectByName),
  accessList: (atlas: AtlasClient, groupId: string) => atlas.all<AccessListEntry>(accessListRequests.list(groupId)),
  settings: (atlas: AtlasClient, groupId: string) => atlas.send<Settings>(settingsRequests.get(groupId)),
  maintenanceWindow: (atlas: AtlasClient, groupId: string) => atlas.send<MaintenanceWindow>(maintenanceWindowRequests.get(groupId)),
  auditing: (atlas: AtlasClient, groupId: string) => atlas.send<Auditing>(auditingRequests.get(groupId)),
  accessListStatus: async (atlas: AtlasClient, groupId: string, entry: string) =>
    (await atlas.send<{ STATUS: AccessListStatus }>(accessListRequests.status(groupId, entry))).STATUS,
};
