/** The Atlas routes AtlasCluster and AtlasDeployment (and users' connection Secrets) use, pinned to the official SDK's versions. */
import { atlasRequest, type AtlasClient } from '../../atlas/client.js';
import { NOT_FOUND } from '../../atlas/errors.js';

export interface ConnectionStrings {
  standard?: string;
  standardSrv?: string;
  private?: string;
  privateSrv?: string;
}

/**
 * An advanced cluster as Atlas sends it. The fields the reconciler reads are named; the
 * rest (replicationSpecs and the top-level settings) are compared by model.ts field by
 * field against what the spec sets.
 */
export interface Cluster {
  name: string;
  stateName: string;
  mongoDBVersion?: string;
  paused?: boolean;
  connectionStrings?: ConnectionStrings;
  replicationSpecs?: Array<Record<string, any>>;
  [field: string]: unknown;
}

export type ChangeStatus = 'PENDING' | 'APPLIED';

export const clusterRequests = {
  list: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/clusters', [groupId], '2024-08-05'),
  get: (groupId: string, name: string) => atlasRequest('GET', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2024-08-05'),
  create: (groupId: string, body: Record<string, unknown>) => atlasRequest('POST', '/groups/{groupId}/clusters', [groupId], '2024-10-23', { body }),
  /** PATCH to a desired state: repeating it is harmless. */
  update: (groupId: string, name: string, body: Record<string, unknown>) =>
    atlasRequest('PATCH', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2024-10-23', { body, idempotent: true }),
  delete: (groupId: string, name: string) => atlasRequest('DELETE', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2023-02-01'),
  changeStatus: (groupId: string, name: string) => atlasRequest('GET', '/groups/{groupId}/clusters/{clusterName}/status', [groupId, name], '2023-01-01'),
};

export const clusterReads = {
  list: (atlas: AtlasClient, groupId: string) => atlas.all<Cluster>(clusterRequests.list(groupId)),
  get: (atlas: AtlasClient, groupId: string, name: string) => atlas.find<Cluster>(clusterRequests.get(groupId, name), NOT_FOUND.cluster),
  /** Whether the cluster has applied the project's latest database-user change. */
  changeStatus: async (atlas: AtlasClient, groupId: string, name: string) =>
    (await atlas.send<{ changeStatus: ChangeStatus }>(clusterRequests.changeStatus(groupId, name))).changeStatus,
};

/** A flex cluster as Atlas sends it (2024-11-13); the fields status and Secrets use have a cluster's names. */
export interface FlexCluster extends Cluster {
  providerSettings?: { backingProviderName?: string; regionName?: string };
  tags?: Array<{ key: string; value: string }>;
  terminationProtectionEnabled?: boolean;
}

/** Flex clusters have their own API; the cluster API refuses them by name. */
export const flexRequests = {
  list: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/flexClusters', [groupId], '2024-11-13'),
  get: (groupId: string, name: string) => atlasRequest('GET', '/groups/{groupId}/flexClusters/{name}', [groupId, name], '2024-11-13'),
  create: (groupId: string, body: Record<string, unknown>) => atlasRequest('POST', '/groups/{groupId}/flexClusters', [groupId], '2024-11-13', { body }),
  update: (groupId: string, name: string, body: Record<string, unknown>) =>
    atlasRequest('PATCH', '/groups/{groupId}/flexClusters/{name}', [groupId, name], '2024-11-13', { body, idempotent: true }),
  delete: (groupId: string, name: string) => atlasRequest('DELETE', '/groups/{groupId}/flexClusters/{name}', [groupId, name], '2024-11-13'),
  /** The flex cluster becomes the dedicated cluster the body describes (a 2024-08-05 cluster with its name). */
  upgrade: (groupId: string, body: Record<string, unknown>) => atlasRequest('POST', '/groups/{groupId}/flexClusters:tenantUpgrade', [groupId], '2024-11-13', { body }),
};

export const flexReads = {
  list: (atlas: AtlasClient, groupId: string) => atlas.all<FlexCluster>(flexRequests.list(groupId)),
  get: (atlas: AtlasClient, groupId: string, name: string) => atlas.find<FlexCluster>(flexRequests.get(groupId, name), NOT_FOUND.cluster),
};

/** A cluster's cloud backup schedule (2024-08-05): the fields this operator sets, by Atlas's names. */
export interface BackupSchedule {
  referenceHourOfDay?: number;
  referenceMinuteOfHour?: number;
  restoreWindowDays?: number;
  autoExportEnabled?: boolean;
  useOrgAndGroupNamesInExportPrefix?: boolean;
  export?: { exportBucketId?: string; frequencyType?: string };
  copySettings?: Array<{ cloudProvider?: string; regionName?: string; shouldCopyOplogs?: boolean; frequencies?: string[]; zoneId?: string }>;
  policies?: Array<{ id?: string; policyItems: Array<{ id?: string; frequencyType: string; frequencyInterval: number; retentionUnit: string; retentionValue: number }> }>;
  [field: string]: unknown;
}

export const backupScheduleRequests = {
  get: (groupId: string, name: string) => atlasRequest('GET', '/groups/{groupId}/clusters/{clusterName}/backup/schedule', [groupId, name], '2024-08-05'),
  /** PATCH to a desired state: repeating it is harmless. */
  update: (groupId: string, name: string, body: Record<string, unknown>) =>
    atlasRequest('PATCH', '/groups/{groupId}/clusters/{clusterName}/backup/schedule', [groupId, name], '2024-08-05', { body, idempotent: true }),
};

export const backupScheduleReads = {
  get: (atlas: AtlasClient, groupId: string, name: string) => atlas.send<BackupSchedule>(backupScheduleRequests.get(groupId, name)),
};

/** Advanced configuration options (2023-01-01: the version that still has defaultReadConcern, which the official CRD carries). */
export type ProcessArgs = Record<string, string | number | boolean | null | undefined>;

export const processArgsRequests = {
  get: (groupId: string, name: string) => atlasRequest('GET', '/groups/{groupId}/clusters/{clusterName}/processArgs', [groupId, name], '2023-01-01'),
  update: (groupId: string, name: string, body: Record<string, unknown>) =>
    atlasRequest('PATCH', '/groups/{groupId}/clusters/{clusterName}/processArgs', [groupId, name], '2023-01-01', { body, idempotent: true }),
};

export const processArgsReads = {
  get: (atlas: AtlasClient, groupId: string, name: string) => atlas.send<ProcessArgs>(processArgsRequests.get(groupId, name)),
};
