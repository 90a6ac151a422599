/**
 * Typed Atlas Admin API operations. Each is pinned to the resource version the official Go
 * SDK uses for it (../shared/reference/atlas-api.md §9), so what we send is what Atlas
 * already sees from the official operator.
 */
import type { AtlasHttp, AtlasRequest, CallContext } from './http.js';
import { isAtlasNotFound, NOT_FOUND } from './errors.js';

export interface Link {
  href: string;
  rel: string;
}

export interface Project {
  id: string;
  name: string;
  orgId: string;
  clusterCount: number;
  created: string;
  withDefaultAlertsSettings?: boolean;
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

/** Clusters are returned as Atlas sends them; callers read the fields they compare. */
export type Cluster = Record<string, any> & { name: string; stateName: string };

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
  description?: string;
}

interface Page<T> {
  results: T[];
  links?: Link[];
  totalCount?: number;
}

const V2 = '/api/atlas/v2';
const ITEMS_PER_PAGE = 500;

/** Go's url.PathEscape: percent-encode a segment, but leave $&+,;=:@ as they are. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(24|26|2B|2C|3B|3D|3A|40)/gi, (match) => decodeURIComponent(match));
}

export class AtlasClient {
  constructor(
    private readonly http: AtlasHttp,
    private readonly ctx: CallContext,
  ) {}

  private async call<T>(request: AtlasRequest): Promise<T> {
    return (await this.http.call<T>(request, this.ctx)).body;
  }

  /** Undefined where Atlas answers that this object (not its parent) does not exist. */
  private async maybe<T>(request: AtlasRequest, notFound: readonly string[]): Promise<T | undefined> {
    try {
      return await this.call<T>(request);
    } catch (error) {
      if (isAtlasNotFound(error, notFound)) return undefined;
      throw error;
    }
  }

  private async all<T>(request: AtlasRequest): Promise<T[]> {
    const results: T[] = [];
    for (let pageNum = 1; ; pageNum++) {
      const page = await this.call<Page<T>>({ ...request, query: { ...request.query, pageNum, itemsPerPage: ITEMS_PER_PAGE } });
      results.push(...page.results);
      const hasNext = page.links?.some((l) => l.rel === 'next') ?? page.results.length === ITEMS_PER_PAGE;
      if (!hasNext || page.results.length === 0) return results;
    }
  }

  readonly organizations = {
    /** The organizations these credentials act for: an API key's or service account's own. */
    list: () => this.all<{ id: string; name: string }>(request('GET', '/orgs', [], '2023-01-01')),
  };

  readonly projects = {
    /** The projects of the credentials' organization. */
    list: () => this.all<Project>(request('GET', '/groups', [], '2023-01-01')),
    getByName: (name: string) => this.maybe<Project>(request('GET', '/groups/byName/{groupName}', [name], '2023-01-01'), NOT_FOUND.projectByName),
    get: (groupId: string) => this.maybe<Project>(request('GET', '/groups/{groupId}', [groupId], '2023-01-01'), NOT_FOUND.project),
    create: (body: { name: string; orgId: string; withDefaultAlertsSettings?: boolean }) =>
      this.call<Project>(request('POST', '/groups', [], '2023-01-01', { body })),
    delete: (groupId: string) => this.call<unknown>(request('DELETE', '/groups/{groupId}', [groupId], '2023-01-01')),
  };

  readonly accessList = {
    list: (groupId: string) => this.all<AccessListEntry>(request('GET', '/groups/{groupId}/accessList', [groupId], '2023-01-01')),
    /** An upsert: Atlas answers with the whole list. Repeating it is harmless. */
    add: (groupId: string, entries: AccessListEntry[]) =>
      this.call<Page<AccessListEntry>>(request('POST', '/groups/{groupId}/accessList', [groupId], '2023-01-01', { body: entries, idempotent: true })),
    delete: (groupId: string, entry: string) =>
      this.call<unknown>(request('DELETE', '/groups/{groupId}/accessList/{entryValue}', [groupId, entry], '2023-01-01')),
    status: async (groupId: string, entry: string) =>
      (await this.call<{ STATUS: AccessListStatus }>(request('GET', '/groups/{groupId}/accessList/{entryValue}/status', [groupId, entry], '2023-01-01'))).STATUS,
  };

  readonly clusters = {
    list: (groupId: string) => this.all<Cluster>(request('GET', '/groups/{groupId}/clusters', [groupId], '2024-08-05')),
    get: (groupId: string, name: string) => this.maybe<Cluster>(request('GET', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2024-08-05'), NOT_FOUND.cluster),
    create: (groupId: string, body: Record<string, unknown>) =>
      this.call<Cluster>(request('POST', '/groups/{groupId}/clusters', [groupId], '2024-10-23', { body })),
    /** PATCH to a desired state: repeating it is harmless. */
    update: (groupId: string, name: string, body: Record<string, unknown>) =>
      this.call<Cluster>(request('PATCH', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2024-10-23', { body, idempotent: true })),
    delete: (groupId: string, name: string) =>
      this.call<unknown>(request('DELETE', '/groups/{groupId}/clusters/{clusterName}', [groupId, name], '2023-02-01')),
    changeStatus: async (groupId: string, name: string) =>
      (
        await this.call<{ changeStatus: 'PENDING' | 'APPLIED' }>(
          request('GET', '/groups/{groupId}/clusters/{clusterName}/status', [groupId, name], '2023-01-01'),
        )
      ).changeStatus,
  };

  readonly databaseUsers = {
    list: (groupId: string) => this.all<DatabaseUser>(request('GET', '/groups/{groupId}/databaseUsers', [groupId], '2023-01-01')),
    get: (groupId: string, databaseName: string, username: string) =>
      this.maybe<DatabaseUser>(request('GET', USER, [groupId, databaseName, username], '2023-01-01'), NOT_FOUND.databaseUser),
    create: (groupId: string, body: DatabaseUser) =>
      this.call<DatabaseUser>(request('POST', '/groups/{groupId}/databaseUsers', [groupId], '2023-01-01', { body })),
    update: (groupId: string, databaseName: string, username: string, body: Partial<DatabaseUser>) =>
      this.call<DatabaseUser>(request('PATCH', USER, [groupId, databaseName, username], '2023-01-01', { body, idempotent: true })),
    delete: (groupId: string, databaseName: string, username: string) =>
      this.call<unknown>(request('DELETE', USER, [groupId, databaseName, username], '2023-01-01')),
  };
}

const USER = '/groups/{groupId}/databaseUsers/{databaseName}/{username}';

/**
 * One request from a route template: the metrics label is the template, the path fills
 * its {slots} with escaped segments, so the two can never disagree.
 */
function request(
  method: AtlasRequest['method'],
  template: string,
  params: string[],
  version: string,
  extra: Pick<AtlasRequest, 'body' | 'idempotent'> = {},
): AtlasRequest {
  let i = 0;
  const path = `${V2}${template.replace(/\{\w+\}/g, () => pathSegment(params[i++]!))}`;
  return { method, path, route: `${V2}${template}`, version, ...extra };
}
