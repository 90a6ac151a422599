/**
 * The Atlas client with the kinds' operations gathered by resource, for tests that act on
 * Atlas directly (a change in the UI, a project someone else created, recordings replayed).
 */
import { AtlasClient } from '../../src/atlas/client.js';
import { clusterReads, clusterRequests } from '../../src/kinds/clusters/atlas.js';
import { userReads, userRequests, type DatabaseUser } from '../../src/kinds/atlasdatabaseuser/atlas.js';
import { accessListRequests, projectReads, projectRequests, type AccessListEntry, type Project } from '../../src/kinds/atlasproject/atlas.js';

export class AtlasAdmin extends AtlasClient {
  readonly organizations = { list: () => projectReads.organizations(this) };

  readonly projects = {
    list: () => projectReads.list(this),
    get: (groupId: string) => projectReads.get(this, groupId),
    getByName: (name: string) => projectReads.getByName(this, name),
    create: (body: { name: string; orgId: string; withDefaultAlertsSettings?: boolean }) => this.send<Project>(projectRequests.create(body)),
    delete: (groupId: string) => this.send<unknown>(projectRequests.delete(groupId)),
  };

  readonly accessList = {
    list: (groupId: string) => projectReads.accessList(this, groupId),
    add: (groupId: string, entries: AccessListEntry[]) => this.send<{ results: AccessListEntry[]; totalCount: number }>(accessListRequests.add(groupId, entries)),
    delete: (groupId: string, entry: string) => this.send<unknown>(accessListRequests.delete(groupId, entry)),
    status: (groupId: string, entry: string) => projectReads.accessListStatus(this, groupId, entry),
  };

  readonly clusters = {
    // Tests read any field of Atlas's answer.
    list: (groupId: string) => clusterReads.list(this, groupId) as Promise<Array<Record<string, any>>>,
    get: (groupId: string, name: string) => clusterReads.get(this, groupId, name) as Promise<Record<string, any> | undefined>,
    create: (groupId: string, body: Record<string, unknown>) => this.send<Record<string, any>>(clusterRequests.create(groupId, body)),
    update: (groupId: string, name: string, body: Record<string, unknown>) => this.send<Record<string, any>>(clusterRequests.update(groupId, name, body)),
    delete: (groupId: string, name: string) => this.send<unknown>(clusterRequests.delete(groupId, name)),
    changeStatus: (groupId: string, name: string) => clusterReads.changeStatus(this, groupId, name),
  };

  readonly databaseUsers = {
    list: (groupId: string) => userReads.list(this, groupId),
    get: (groupId: string, databaseName: string, username: string) => userReads.get(this, groupId, databaseName, username),
    create: (groupId: string, body: DatabaseUser) => this.send<DatabaseUser>(userRequests.create(groupId, body)),
    update: (groupId: string, databaseName: string, username: string, body: Partial<DatabaseUser>) => this.send<DatabaseUser>(userRequests.update(groupId, databaseName, username, body)),
    delete: (groupId: string, databaseName: string, username: string) => this.send<unknown>(userRequests.delete(groupId, databaseName, username)),
  };
}
