/**
 * Every response the simulator gives in this scenario, which walks each implemented route
 * through its successes and its errors, must validate against the official spec for the
 * version that was asked for.
 */
import t from 'tap';
import { AtlasClient } from '../../src/atlas/client.js';
import { AtlasHttp } from '../../src/atlas/http.js';
import { buildSimulator, DEMO_ORG } from '../../src/sim/server.js';
import { demoKey } from '../helpers/sim.js';
import { SpecValidator, skipWithoutSpec } from '../helpers/shared.js';

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
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const http = new AtlasHttp({ baseUrl: url, readCacheMs: 0, maxAttempts: 1 });
  t.teardown(async () => {
    await http.close();
    await app.close();
  });
  const atlas = new AtlasClient(http, { credentials: demoKey });
  const ignore = (p: Promise<unknown>) => p.catch(() => undefined);
  const call = (method: 'GET' | 'PATCH' | 'POST', path: string, version: string, body?: unknown) =>
    ignore(http.call({ method, path, route: path, version, body }, { credentials: demoKey }));

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
  for (const name of ['c1', 'c2', 'free']) await atlas.clusters.delete(id, name);
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
