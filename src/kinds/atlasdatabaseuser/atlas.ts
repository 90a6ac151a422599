/** The Atlas routes AtlasDatabaseUser uses, pinned to the official SDK's versions. */
import { atlasRequest, type AtlasClient } from '../../atlas/client.js';
import { NOT_FOUND } from '../../atlas/errors.js';

export interface DatabaseUser {
  username: string;
  databaseName: string;
  groupId?: string;
  password?: string;
  roles: Array<{ roleName: string; databaseName: string; collectionName?: string }>;
  scopes?: Array<{ name: string; type: string }>;
  labels?: Array<{ key: string; value: string }>;
  deleteAfterDate?: string;
  x509Type?: string;
  oidcAuthType?: string;
  /** Atlas spells it so; the CRD's field is awsIamType. */
  awsIAMType?: string;
  description?: string;
}

const VERSION = '2023-01-01';
const USER = '/groups/{groupId}/databaseUsers/{databaseName}/{username}';

export const userRequests = {
  list: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/databaseUsers', [groupId], VERSION),
  get: (groupId: string, databaseName: string, username: string) => atlasRequest('GET', USER, [groupId, databaseName, username], VERSION),
  create: (groupId: string, body: DatabaseUser) => atlasRequest('POST', '/groups/{groupId}/databaseUsers', [groupId], VERSION, { body }),
  update: (groupId: string, databaseName: string, username: string, body: Partial<DatabaseUser>) =>
    atlasRequest('PATCH', USER, [groupId, databaseName, username], VERSION, { body, idempotent: true }),
  delete: (groupId: string, databaseName: string, username: string) => atlasRequest('DELETE', USER, [groupId, databaseName, username], VERSION),
};

export const userReads = {
  list: (atlas: AtlasClient, groupId: string) => atlas.all<DatabaseUser>(userRequests.list(groupId)),
  get: (atlas: AtlasClient, groupId: string, databaseName: string, username: string) =>
    atlas.find<DatabaseUser>(userRequests.get(groupId, databaseName, username), NOT_FOUND.databaseUser),
};
