/**
 * Every response the simulator gives in this scenario, which walks each implemented route
 * through its successes and its errors, must validate against the official spec for the
 * version that was asked for.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AtlasApiError } from '../../src/atlas/errors.js';
import { AtlasAdmin } from '../helpers/atlas-admin.js';
import { AtlasHttp } from '../../src/atlas/http.js';
import { buildSimulator, DEMO_ORG } from '../../src/sim/server.js';
import { demoKey } from '../helpers/sim.js';
import { SPEC_PATH, SpecValidator, skipWithoutSpec } from '../helpers/shared.js';

/** The simulator listening on loopback, and a client for it that never retries; both closed on teardown. */
async function listenWithClient(t: { teardown(fn: () => Promise<void>): void }, app: ReturnType<typeof buildSimulator>['app']): Promise<AtlasHttp> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const http = new AtlasHttp({ baseUrl: url, maxAttempts: 1 });
  t.teardown(async () => {
    await http.close();
    await app.close();
  });
  return http;
}

interface Seen {
  method: string;
  route: string;
  status: number;
  mediaType: string;
  body: unknown;
}

t.test('simulator responses validate against spec.yaml', { skip: skipWithoutSpec }, async (t) => {
  const { app, control } = buildSimulator({ rateLimit: false, provisionSeconds: 60 });
  const seen: Seen[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? request.url;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const text = String(payload);
      const mediaType = String(reply.getHeader('content-type') ?? '').split(';')[0]!;
      if (route.startsWith('/api/atlas/v2') && text) {
        seen.push({ method: request.method, route, status: reply.statusCode, mediaType, body: JSON.parse(text) });
      }
    }
    return payload;
  });
  const http = await listenWithClient(t, app);
  const atlas = new AtlasAdmin(http, { credentials: demoKey });
  const ignore = (p: Promise<unknown>) => p.catch(() => undefined);
  const call = (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', path: string, version: string, body?: unknown) =>
    ignore(http.call({ method, path, route: path, version, body }, { credentials: demoKey }));

  await atlas.organizations.list();
  // Projects
  const project = await atlas.projects.create({ name: 'Contract-Project', orgId: DEMO_ORG.id });
  const id = project.id;
  await atlas.projects.get(id);
  await atlas.projects.getByName('Contract-Project');
  await atlas.projects.getByName('missing');
  await ignore(atlas.projects.create({ name: 'Contract-Project', orgId: DEMO_ORG.id }));
  await call('GET', '/api/atlas/v2/groups', '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}`, '2023-01-01', { name: 'Contract-Project-2' });
  await call('GET', '/api/atlas/v2/groups/aaaaaaaaaaaaaaaaaaaaaaaa', '2023-01-01');
  // Project settings
  await call('GET', `/api/atlas/v2/groups/${id}/settings`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/settings`, '2023-01-01', { isDataExplorerEnabled: false });
  // Maintenance window
  await call('GET', `/api/atlas/v2/groups/${id}/maintenanceWindow`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/maintenanceWindow`, '2023-01-01', { dayOfWeek: 3, hourOfDay: 5, autoDeferOnceEnabled: true });
  await call('GET', `/api/atlas/v2/groups/${id}/maintenanceWindow`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/maintenanceWindow`, '2023-01-01', { dayOfWeek: 9 });
  for (let i = 0; i < 3; i++) await call('POST', `/api/atlas/v2/groups/${id}/maintenanceWindow/defer`, '2023-01-01');
  await ignore(http.call({ method: 'DELETE', path: `/api/atlas/v2/groups/${id}/maintenanceWindow`, route: '', version: '2023-01-01' }, { credentials: demoKey }));
  // Auditing
  await call('GET', `/api/atlas/v2/groups/${id}/auditLog`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/auditLog`, '2023-01-01', { enabled: true, auditFilter: '{"atype":"authenticate"}', auditAuthorizationSuccess: false });
  await call('GET', `/api/atlas/v2/groups/${id}/auditLog`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/auditLog`, '2023-01-01', { auditFilter: 'not json' });
  // Organization users and teams, and teams in the project
  const org = `/api/atlas/v2/orgs/${DEMO_ORG.id}`;
  const people = (await http.call<{ results: Array<{ id: string; username: string }> }>({ method: 'GET', path: `${org}/users`, route: '', version: '2025-02-19' }, { credentials: demoKey })).body.results;
  const ada = people.find((u) => u.username === 'ada@example.com')!;
  const grace = people.find((u) => u.username === 'grace@example.com')!;
  const created = (await http.call<{ id: string }>({ method: 'POST', path: `${org}/teams`, route: '', version: '2023-01-01', body: { name: 'Developers', usernames: ['ada@example.com'] } }, { credentials: demoKey })).body;
  await call('POST', `${org}/teams`, '2023-01-01', { name: 'Developers', usernames: ['ada@example.com'] });
  await call('POST', `${org}/teams`, '2023-01-01', { name: 'Empty', usernames: [] });
  await call('POST', `${org}/teams`, '2023-01-01', { name: 'Strangers', usernames: ['nobody@example.com'] });
  await call('GET', `${org}/teams`, '2023-01-01');
  await call('GET', `${org}/teams/byName/Developers`, '2023-01-01');
  await call('GET', `${org}/teams/byName/Missing`, '2023-01-01');
  await call('GET', `${org}/teams/${created.id}`, '2023-01-01');
  await call('POST', `${org}/teams/${created.id}:addUser`, '2025-02-19', { id: grace.id });
  await call('POST', `${org}/teams/${created.id}:addUser`, '2025-02-19', { id: grace.id });
  await call('GET', `${org}/teams/${created.id}/users`, '2025-02-19');
  await call('POST', `${org}/teams/${created.id}:removeUser`, '2025-02-19', { id: ada.id });
  await call('POST', `/api/atlas/v2/groups/${id}/teams`, '2023-01-01', [{ teamId: created.id, roleNames: ['GROUP_READ_ONLY'] }]);
  await call('POST', `/api/atlas/v2/groups/${id}/teams`, '2023-01-01', [{ teamId: created.id, roleNames: ['GROUP_OWNER'] }]);
  await call('GET', `/api/atlas/v2/groups/${id}/teams`, '2023-01-01');
  await call('DELETE', `${org}/teams/${created.id}`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/teams/${created.id}`, '2023-01-01', { roleNames: ['GROUP_OWNER'] });
  await call('DELETE', `/api/atlas/v2/groups/${id}/teams/${created.id}`, '2023-01-01');
  await call('DELETE', `/api/atlas/v2/groups/${id}/teams/${created.id}`, '2023-01-01');
  await call('DELETE', `${org}/teams/${created.id}`, '2023-01-01');
  await call('DELETE', `${org}/teams/${created.id}`, '2023-01-01');
  // Custom database roles
  const roles = `/api/atlas/v2/groups/${id}/customDBRoles/roles`;
  await call('POST', roles, '2023-01-01', { roleName: 'reader', actions: [{ action: 'FIND', resources: [{ db: 'shop', collection: 'orders' }] }, { action: 'LIST_SESSIONS', resources: [{ cluster: true }] }] });
  await call('POST', roles, '2023-01-01', { roleName: 'reader', inheritedRoles: [{ role: 'read', db: 'x' }] });
  await call('POST', roles, '2023-01-01', { roleName: 'empty' });
  await call('GET', roles, '2023-01-01');
  await call('GET', `${roles}/reader`, '2023-01-01');
  await call('GET', `${roles}/missing`, '2023-01-01');
  await call('PATCH', `${roles}/reader`, '2023-01-01', { inheritedRoles: [{ role: 'read', db: 'x' }] });
  await call('DELETE', `${roles}/reader`, '2023-01-01');
  // Access list
  await atlas.accessList.add(id, [{ ipAddress: '192.0.2.15', comment: 'app' }, { cidrBlock: '203.0.113.0/24' }]);
  await ignore(atlas.accessList.add(id, [{ ipAddress: '192.0.2.1dfdfd5' }]));
  await atlas.accessList.list(id);
  await call('GET', `/api/atlas/v2/groups/${id}/accessList/192.0.2.15`, '2023-01-01');
  await atlas.accessList.status(id, '192.0.2.15');
  await atlas.accessList.delete(id, '203.0.113.0/24');
  await ignore(atlas.accessList.delete(id, '203.0.113.0/24'));
  // Clusters, in each version
  const m10 = {
    clusterType: 'REPLICASET',
    replicationSpecs: [{ zoneName: 'Zone 1', regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  };
  const m0 = {
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }],
  };
  await atlas.clusters.create(id, { name: 'c1', ...m10 });
  await call('POST', `/api/atlas/v2/groups/${id}/clusters`, '2023-02-01', { name: 'c2', diskSizeGB: 20, ...m10, replicationSpecs: [{ ...m10.replicationSpecs[0], numShards: 2 }], clusterType: 'SHARDED' });
  await call('POST', `/api/atlas/v2/groups/${id}/clusters`, '2024-08-05', { name: 'free', ...m0 });
  await ignore(atlas.clusters.create(id, { name: 'c1', ...m10 }));
  for (const version of ['2023-02-01', '2024-08-05']) {
    await call('GET', `/api/atlas/v2/groups/${id}/clusters/c1`, version);
    await call('GET', `/api/atlas/v2/groups/${id}/clusters/c2`, version);
    await call('GET', `/api/atlas/v2/groups/${id}/clusters/free`, version);
    await call('GET', `/api/atlas/v2/groups/${id}/clusters`, version);
  }
  control.advance(60);
  for (const version of ['2023-02-01', '2024-08-05']) await call('GET', `/api/atlas/v2/groups/${id}/clusters/c1`, version);
  await atlas.clusters.update(id, 'c1', { mongoDBMajorVersion: '7.0' });
  await call('PATCH', `/api/atlas/v2/groups/${id}/clusters/c2`, '2023-02-01', { diskSizeGB: 40 });
  await ignore(atlas.clusters.get(id, 'missing'));
  // The backup schedule, in both versions
  const schedulePath = `/api/atlas/v2/groups/${id}/clusters/c1/backup/schedule`;
  for (const version of ['2023-01-01', '2024-08-05']) await call('GET', schedulePath, version);
  const zoneId = (await http.call<{ replicationSpecs: Array<{ zoneId: string }> }>({ method: 'GET', path: `/api/atlas/v2/groups/${id}/clusters/c1`, route: '', version: '2024-08-05' }, { credentials: demoKey })).body.replicationSpecs[0]!.zoneId;
  await call('PATCH', schedulePath, '2024-08-05', {
    referenceHourOfDay: 10,
    referenceMinuteOfHour: 10,
    restoreWindowDays: 2,
    copySettings: [{ cloudProvider: 'AWS', regionName: 'US_WEST_1', shouldCopyOplogs: false, frequencies: ['WEEKLY'], zoneId }],
    policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 6, retentionUnit: 'days', retentionValue: 2 }] }],
  });
  await call('GET', schedulePath, '2023-01-01');
  await call('PATCH', schedulePath, '2024-08-05', { restoreWindowDays: 'two' });
  await ignore(http.call({ method: 'DELETE', path: schedulePath, route: '', version: '2024-08-05' }, { credentials: demoKey }));
  // Advanced configuration options
  const processArgs = `/api/atlas/v2/groups/${id}/clusters/c1/processArgs`;
  for (const version of ['2023-01-01', '2024-08-05']) await call('GET', processArgs, version);
  await call('PATCH', processArgs, '2023-01-01', { javascriptEnabled: false, oplogMinRetentionHours: 24, defaultReadConcern: 'local' });
  await call('PATCH', processArgs, '2024-08-05', { noTableScan: true });
  await call('PATCH', processArgs, '2024-08-05', { defaultReadConcern: 'local' });
  // Flex clusters: their own API, refused by the cluster API
  const flex = `/api/atlas/v2/groups/${id}/flexClusters`;
  await call('POST', flex, '2024-11-13', { name: 'flex1', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' }, tags: [{ key: 'team', value: 'a' }] });
  await call('POST', flex, '2024-11-13', { name: 'flex1', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } });
  await call('GET', `${flex}/flex1`, '2024-11-13');
  control.advance(60);
  await call('GET', `${flex}/flex1`, '2024-11-13');
  await call('GET', flex, '2024-11-13');
  await call('PATCH', `${flex}/flex1`, '2024-11-13', { terminationProtectionEnabled: true });
  await ignore(http.call({ method: 'DELETE', path: `${flex}/flex1`, route: '', version: '2024-11-13' }, { credentials: demoKey }));
  await call('PATCH', `${flex}/flex1`, '2024-11-13', { terminationProtectionEnabled: false });
  await call('GET', `${flex}/missing`, '2024-11-13');
  await call('POST', `${flex}:tenantUpgrade`, '2024-11-13', { name: 'c1', ...m10 });
  await call('POST', flex, '2024-11-13', { name: 'to-upgrade', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } });
  await call('POST', `${flex}:tenantUpgrade`, '2024-11-13', { name: 'to-upgrade', ...m10 });
  await call('GET', `/api/atlas/v2/groups/${id}/clusters/to-upgrade`, '2024-08-05');
  await http.call({ method: 'DELETE', path: `${flex}/flex1`, route: '', version: '2024-11-13' }, { credentials: demoKey });
  // The legacy 2023-01-01 shape: one region, several regions, sharded, shared tier; a PATCH; a list
  const legacy = { providerSettings: { providerName: 'AWS', instanceSizeName: 'M10', regionName: 'US_EAST_1' } };
  await call('POST', `/api/atlas/v2/groups/${id}/clusters`, '2023-01-01', { name: 'legacy1', ...legacy, diskSizeGB: 20, autoScaling: { diskGBEnabled: true } });
  await call('POST', `/api/atlas/v2/groups/${id}/clusters`, '2023-01-01', {
    name: 'legacy2',
    clusterType: 'SHARDED',
    ...legacy,
    replicationSpecs: [{ numShards: 2, zoneName: 'Zone 1', regionsConfig: { US_EAST_1: { electableNodes: 3, priority: 7, readOnlyNodes: 0 }, US_WEST_2: { electableNodes: 0, priority: 0, readOnlyNodes: 1 } } }],
  });
  await call('POST', `/api/atlas/v2/groups/${id}/clusters`, '2023-01-01', { name: 'legacy3', providerSettings: { providerName: 'TENANT', backingProviderName: 'AWS', instanceSizeName: 'M0', regionName: 'US_EAST_1' } });
  control.advance(60);
  for (const name of ['legacy1', 'legacy2', 'legacy3']) await call('GET', `/api/atlas/v2/groups/${id}/clusters/${name}`, '2023-01-01');
  await call('PATCH', `/api/atlas/v2/groups/${id}/clusters/legacy1`, '2023-01-01', { providerSettings: { providerName: 'AWS', instanceSizeName: 'M20' } });
  await call('GET', `/api/atlas/v2/groups/${id}/clusters`, '2023-01-01');
  // Database users
  await atlas.databaseUsers.create(id, { username: 'david', databaseName: 'admin', password: 'a-long-password', roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }], scopes: [{ name: 'c1', type: 'CLUSTER' }] });
  await ignore(atlas.databaseUsers.create(id, { username: 'david', databaseName: 'admin', password: 'a-long-password', roles: [{ roleName: 'read', databaseName: 'admin' }] }));
  await atlas.databaseUsers.get(id, 'admin', 'david');
  await atlas.databaseUsers.list(id);
  await atlas.clusters.changeStatus(id, 'c1');
  await atlas.databaseUsers.update(id, 'admin', 'david', { roles: [{ roleName: 'read', databaseName: 'admin' }] });
  await atlas.databaseUsers.delete(id, 'admin', 'david');
  await ignore(atlas.databaseUsers.get(id, 'admin', 'david'));
  // Deletes and refusals
  await ignore(atlas.projects.delete(id));
  for (const name of ['c1', 'c2', 'free', 'to-upgrade']) await atlas.clusters.delete(id, name);
  for (const name of ['legacy1', 'legacy2', 'legacy3']) await ignore(http.call({ method: 'DELETE', path: `/api/atlas/v2/groups/${id}/clusters/${name}`, route: '', version: '2023-01-01' }, { credentials: demoKey }));
  await call('GET', `/api/atlas/v2/groups/${id}/clusters/c1`, '2024-08-05');
  control.advance(60);
  await atlas.projects.delete(id);

  const validator = new SpecValidator();
  const failures = seen
    .map((s) => ({ ...s, error: validator.validate(s.method, s.route, s.status, s.mediaType, s.body) }))
    .filter((s) => s.error)
    .map((s) => `${s.method} ${s.route} ${s.status} ${s.mediaType}: ${s.error}`);
  t.same(failures, [], 'every response matches the spec');
  const covered = new Set(seen.map((s) => `${s.method} ${s.route}`));
  t.ok(covered.size >= 18, `${seen.length} responses over ${covered.size} routes validated`);
  t.comment(`validated ${seen.length} responses over ${covered.size} routes and ${new Set(seen.map((s) => s.status)).size} statuses`);
});

/** The resource versions spec.yaml lists for an operation, from its request and response media types. */
function specVersions(spec: Record<string, any>, path: string, method: string): string[] {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  const versions = new Set<string>();
  const collect = (content: Record<string, unknown> | undefined) => {
    for (const mediaType of Object.keys(content ?? {})) {
      const match = /^application\/vnd\.atlas\.(\d{4}-\d\d-\d\d)\+json$/.exec(mediaType);
      if (match) versions.add(match[1]!);
    }
  };
  collect(operation?.requestBody?.content);
  for (const response of Object.values(operation?.responses ?? {})) collect((response as { content?: Record<string, unknown> }).content);
  return [...versions].sort();
}

t.test('the simulator serves exactly the versions spec.yaml lists, for every route and method', { skip: skipWithoutSpec }, async (t) => {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 });
  const { app, control } = buildSimulator({ rateLimit: false, provisionSeconds: 0 });
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD' && route.url.startsWith('/api/atlas/v2')) routes.push({ method, url: route.url });
  });
  const http = await listenWithClient(t, app);
  // Real objects behind every path, so each answer is about the version, not a missing id.
  const atlas = new AtlasAdmin(http, { credentials: demoKey });
  const { id } = await atlas.projects.create({ name: 'Versions', orgId: DEMO_ORG.id });
  await atlas.clusters.create(id, { name: 'c1', clusterType: 'REPLICASET', replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }] });
  await atlas.databaseUsers.create(id, { username: 'u', databaseName: 'admin', password: 'a-long-password', roles: [{ roleName: 'read', databaseName: 'admin' }] });
  await atlas.accessList.add(id, [{ ipAddress: '192.0.2.1' }]);
  await http.call({ method: 'POST', path: `/api/atlas/v2/groups/${id}/flexClusters`, route: '', version: '2024-11-13', body: { name: 'f1', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } } }, { credentials: demoKey });
  control.advance(1);
  const params: Record<string, string> = { groupId: id, clusterName: 'c1', name: 'f1', databaseName: 'admin', username: 'u', entryValue: '192.0.2.1', groupName: 'Versions', orgId: DEMO_ORG.id, teamId: 'aaaaaaaaaaaaaaaaaaaaaaaa', teamName: 'Developers', roleName: 'reader' };
  const order = ['GET', 'POST', 'PATCH', 'DELETE'];
  routes.sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method) || b.url.length - a.url.length);
  const refused: string[] = [];
  const table: string[] = [];
  for (const route of routes) {
    const versions = specVersions(spec, SpecValidator.specPath(route.url), route.method);
    t.ok(versions.length > 0, `${route.method} ${route.url} is in the spec`);
    table.push(`${route.method} ${route.url}: ${versions.join(', ')}`);
    const path = route.url.replace(/::/g, '\0').replace(/:(\w+)(\([^)]*\))?/g, (_m, name: string) => encodeURIComponent(params[name]!)).replace(/\0/g, ':');
    const ask = async (version: string) => {
      try {
        await http.call({ method: route.method as 'GET', path, route: route.url, version, body: route.method === 'POST' || route.method === 'PATCH' ? {} : undefined }, { credentials: demoKey });
        return 'ok';
      } catch (error) {
        return error instanceof AtlasApiError ? error.errorCode : String(error);
      }
    };
    for (const version of versions) if ((await ask(version)) === 'INVALID_VERSION_DATE') refused.push(`${route.method} ${route.url} ${version}`);
    t.equal(await ask('2022-01-01'), 'INVALID_VERSION_DATE', `${route.method} ${route.url}: a date before its first version is refused`);
  }
  t.same(refused, [], 'no version the spec lists is refused');
  t.comment(`versions asked: ${table.join('; ')}`);
});
