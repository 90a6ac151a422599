/**
 * Typed Atlas Admin API operations. Each is pinned to the resource version the official Go
 * SDK uses for it (../shared/reference/atlas-api.md §9), so what we send is what Atlas
 * already sees from the official operator.
 */
import type { AtlasHttp, AtlasRequest, CallContext } from './http.js';
import { isAtlasNotFound } from './errors.js';

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

  /** Undefined where Atlas answers that the object does not exist. */
  private async maybe<T>(request: AtlasRequest): Promise<T | undefined> {
    try {
      return await this.call<T>(request);
    } catch (error) {
      if (isAtlasNotFound(error)) return undefined;
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

  readonly projects = {
    getByName: (name: string) =>
      this.maybe<Project>({ method: 'GET', path: `${V2}/groups/byName/${pathSegment(name)}`, route: `${V2}/groups/byName/{groupName}`, version: '2023-01-01' }),
    get: (groupId: string) =>
      this.maybe<Project>({ method: 'GET', path: `${V2}/groups/${pathSegment(groupId)}`, route: `${V2}/groups/{groupId}`, version: '2023-01-01' }),
    create: (body: { name: string; orgId: string; withDefaultAlertsSettings?: boolean }) =>
      this.call<Project>({ method: 'POST', path: `${V2}/groups`, route: `${V2}/groups`, version: '2023-01-01', body }),
    delete: (groupId: string) =>
      this.call<unknown>({ method: 'DELETE', path: `${V2}/groups/${pathSegment(groupId)}`, route: `${V2}/groups/{groupId}`, version: '2023-01-01' }),
  };

  readonly accessList = {
    list: (groupId: string) =>
      this.all<AccessListEntry>({ method: 'GET', path: `${V2}/groups/${pathSegment(groupId)}/accessList`, route: `${V2}/groups/{groupId}/accessList`, version: '2023-01-01' }),
    /** An upsert: Atlas answers with the whole list. Repeating it is harmless. */
    add: (groupId: string, entries: AccessListEntry[]) =>
      this.call<Page<AccessListEntry>>({
        method: 'POST',
        path: `${V2}/groups/${pathSegment(groupId)}/accessList`,
        route: `${V2}/groups/{groupId}/accessList`,
        version: '2023-01-01',
        body: entries,
        idempotent: true,
      }),
    delete: (groupId: string, entry: string) =>
      this.call<unknown>({
        method: 'DELETE',
        path: `${V2}/groups/${pathSegment(groupId)}/accessList/${pathSegment(entry)}`,
        route: `${V2}/groups/{groupId}/accessList/{entryValue}`,
        version: '2023-01-01',
      }),
    status: async (groupId: string, entry: string) =>
      (
        await this.call<{ STATUS: AccessListStatus }>({
          method: 'GET',
          path: `${V2}/groups/${pathSegment(groupId)}/accessList/${pathSegment(entry)}/status`,
          route: `${V2}/groups/{groupId}/accessList/{entryValue}/status`,
          version: '2023-01-01',
        })
      ).STATUS,
  };

  readonly clusters = {
    list: (groupId: string) =>
      this.all<Cluster>({ method: 'GET', path: `${V2}/groups/${pathSegment(groupId)}/clusters`, route: `${V2}/groups/{groupId}/clusters`, version: '2024-08-05' }),
    get: (groupId: string, name: string) =>
      this.maybe<Cluster>({
        method: 'GET',
        path: `${V2}/groups/${pathSegment(groupId)}/clusters/${pathSegment(name)}`,
        route: `${V2}/groups/{groupId}/clusters/{clusterName}`,
        version: '2024-08-05',
      }),
    create: (groupId: string, body: Record<string, unknown>) =>
      this.call<Cluster>({ method: 'POST', path: `${V2}/groups/${pathSegment(groupId)}/clusters`, route: `${V2}/groups/{groupId}/clusters`, version: '2024-10-23', body }),
    /** PATCH to a desired state: repeating it is harmless. */
    update: (groupId: string, name: string, body: Record<string, unknown>) =>
      this.call<Cluster>({
        method: 'PATCH',
        path: `${V2}/groups/${pathSegment(groupId)}/clusters/${pathSegment(name)}`,
        route: `${V2}/groups/{groupId}/clusters/{clusterName}`,
        version: '2024-10-23',
        body,
        idempotent: true,
      }),
    delete: (groupId: string, name: string) =>
      this.call<unknown>({
        method: 'DELETE',
        path: `${V2}/groups/${pathSegment(groupId)}/clusters/${pathSegment(name)}`,
        route: `${V2}/groups/{groupId}/clusters/{clusterName}`,
        version: '2023-02-01',
      }),
    changeStatus: async (groupId: string, name: string) =>
      (
        await this.call<{ changeStatus: 'PENDING' | 'APPLIED' }>({
          method: 'GET',
          path: `${V2}/groups/${pathSegment(groupId)}/clusters/${pathSegment(name)}/status`,
          route: `${V2}/groups/{groupId}/clusters/{clusterName}/status`,
          version: '2023-01-01',
        })
      ).changeStatus,
  };

  readonly databaseUsers = {
    list: (groupId: string) =>
      this.all<DatabaseUser>({ method: 'GET', path: `${V2}/groups/${pathSegment(groupId)}/databaseUsers`, route: `${V2}/groups/{groupId}/databaseUsers`, version: '2023-01-01' }),
    get: (groupId: string, databaseName: string, username: string) =>
      this.maybe<DatabaseUser>({
        method: 'GET',
        path: userPath(groupId, databaseName, username),
        route: `${V2}/groups/{groupId}/databaseUsers/{databaseName}/{username}`,
        version: '2023-01-01',
      }),
    create: (groupId: string, body: DatabaseUser) =>
      this.call<DatabaseUser>({
        method: 'POST',
        path: `${V2}/groups/${pathSegment(groupId)}/databaseUsers`,
        route: `${V2}/groups/{groupId}/databaseUsers`,
        version: '2023-01-01',
        body,
      }),
    update: (groupId: string, databaseName: string, username: string, body: Partial<DatabaseUser>) =>
      this.call<DatabaseUser>({
        method: 'PATCH',
        path: userPath(groupId, databaseName, username),
        route: `${V2}/groups/{groupId}/databaseUsers/{databaseName}/{username}`,
        version: '2023-01-01',
        body,
        idempotent: true,
      }),
    delete: (groupId: string, databaseName: string, username: string) =>
      this.call<unknown>({
        method: 'DELETE',
        path: userPath(groupId, databaseName, username),
        route: `${V2}/groups/{groupId}/databaseUsers/{databaseName}/{username}`,
        version: '2023-01-01',
      }),
  };
}

function userPath(groupId: string, databaseName: string, username: string): string {
  return `${V2}/groups/${pathSegment(groupId)}/databaseUsers/${pathSegment(databaseName)}/${pathSegment(username)}`;
}
