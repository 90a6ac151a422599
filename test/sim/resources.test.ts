import t from 'tap';
import { AtlasApiError } from '../../src/atlas/errors.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { rejects, startSimHarness } from '../helpers/sim.js';

const M10 = {
  name: 'c1',
  clusterType: 'REPLICASET',
  replicationSpecs: [{ zoneName: 'Zone 1', regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
};

async function project(h: Awaited<ReturnType<typeof startSimHarness>>, name = 'Test Project') {
  return h.client().projects.create({ name, orgId: DEMO_ORG.id });
}

t.test('projects', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const created = await project(h);
  t.match(created, { name: 'Test Project', orgId: DEMO_ORG.id, clusterCount: 0, withDefaultAlertsSettings: true });
  t.match(created.id, /^[a-f0-9]{24}$/);
  t.same(await atlas.projects.get(created.id), created);
  t.same(await atlas.projects.getByName('Test Project'), created);
  const missing = await atlas.projects.getByName('nope').catch((e) => e);
  t.equal(missing, undefined, 'a missing name is absent (NOT_IN_GROUP)');
  await rejects(t, project(h), { errorCode: 'GROUP_ALREADY_EXISTS', httpStatus: 409 });
  await atlas.clusters.create(created.id, M10);
  const refused = await atlas.projects.delete(created.id).catch((e: AtlasApiError) => e);
  t.match(refused, { errorCode: 'CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS', httpStatus: 409 });
  await atlas.clusters.delete(created.id, 'c1');
  h.sim.control.advance(1);
  await atlas.projects.delete(created.id);
  t.equal(await atlas.projects.get(created.id), undefined);
});

t.test('the access list: upsert, normalisation, %2F paths, status, expiry', async (t) => {
  const h = await startSimHarness(t, { provisionSeconds: 30 });
  const atlas = h.client();
  const { id } = await project(h);
  const inAWeek = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
  const page = await atlas.accessList.add(id, [
    { ipAddress: '192.0.2.15', comment: 'app server' },
    { cidrBlock: '203.0.113.0/24', deleteAfterDate: inAWeek },
  ]);
  t.equal(page.totalCount, 2);
  t.same(
    page.results.map((e) => [e.cidrBlock, e.ipAddress]),
    [['192.0.2.15/32', '192.0.2.15'], ['203.0.113.0/24', undefined]],
    'an IP is stored with its /32 block',
  );
  t.equal(await atlas.accessList.status(id, '192.0.2.15/32'), 'PENDING');
  h.sim.control.advance(30);
  t.equal(await atlas.accessList.status(id, '192.0.2.15/32'), 'ACTIVE');
  await atlas.accessList.add(id, [{ ipAddress: '192.0.2.15', comment: 'renamed' }]);
  t.equal((await atlas.accessList.list(id)).find((e) => e.ipAddress)?.comment, 'renamed', 're-posting updates in place');
  t.equal(await atlas.accessList.status(id, '192.0.2.15/32'), 'ACTIVE', 'and stays active');
  const bad = await atlas.accessList.add(id, [{ ipAddress: '192.0.2.16' }, { ipAddress: '192.0.2.1dfdfd5' }]).catch((e) => e);
  t.equal(
    bad.message,
    `POST ${h.sim.url}/api/atlas/v2/groups/${id}/accessList: 400 (request "INVALID_IP_ADDRESS_OR_CIDR_NOTATION") The address 192.0.2.1dfdfd5 must be in valid IP address or CIDR notation.`,
  );
  t.equal((await atlas.accessList.list(id)).length, 2, 'a rejected POST changes nothing');
  await atlas.accessList.delete(id, '203.0.113.0/24');
  t.same((await atlas.accessList.list(id)).map((e) => e.cidrBlock), ['192.0.2.15/32']);
  await atlas.accessList.add(id, [{ cidrBlock: '198.51.100.0/24', deleteAfterDate: inAWeek }]);
  h.sim.control.advance(4 * 24 * 3600);
  t.same((await atlas.accessList.list(id)).map((e) => e.cidrBlock), ['192.0.2.15/32'], 'expired entries are gone');
  await rejects(t, atlas.accessList.add(id, [{ ipAddress: '192.0.2.1', cidrBlock: '192.0.2.0/24' }]), {
    errorCode: 'MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY',
  });
});

t.test('clusters: CREATING → IDLE → UPDATING → IDLE → DELETING → gone', async (t) => {
  const h = await startSimHarness(t, { provisionSeconds: 600 });
  const atlas = h.client();
  const { id } = await project(h);
  const created = await atlas.clusters.create(id, M10);
  t.equal(created.stateName, 'CREATING');
  t.same(created.connectionStrings, {});
  t.equal(created.mongoDBVersion, '8.0.29');
  await rejects(t, atlas.clusters.create(id, M10), { errorCode: 'DUPLICATE_CLUSTER_NAME', httpStatus: 400 });
  h.sim.control.advance(599);
  t.equal((await atlas.clusters.get(id, 'c1'))!.stateName, 'CREATING');
  h.sim.control.advance(1);
  const idle = (await atlas.clusters.get(id, 'c1'))!;
  t.equal(idle.stateName, 'IDLE');
  t.match(idle.connectionStrings.standardSrv, /^mongodb\+srv:\/\/c1\.[a-f0-9]{6}\.mongodb\.net$/);
  t.match(idle.connectionStrings.standard, /^mongodb:\/\/c1-shard-00-00/);
  const spec = idle.replicationSpecs[0].regionConfigs[0];
  t.match(spec.electableSpecs, { instanceSize: 'M10', nodeCount: 3, diskSizeGB: 10, diskIOPS: 3000, ebsVolumeType: 'STANDARD' });
  const patched = await atlas.clusters.update(id, 'c1', { replicationSpecs: [{ regionConfigs: [{ ...M10.replicationSpecs[0]!.regionConfigs[0], electableSpecs: { instanceSize: 'M20', nodeCount: 3 } }] }] });
  t.equal(patched.stateName, 'UPDATING');
  h.sim.control.advance(600);
  const updated = (await atlas.clusters.get(id, 'c1'))!;
  t.equal(updated.stateName, 'IDLE');
  t.equal(updated.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize, 'M20');
  await atlas.clusters.update(id, 'c1', { paused: true });
  h.sim.control.advance(600);
  await rejects(t, atlas.clusters.update(id, 'c1', { paused: true, mongoDBMajorVersion: '7.0' }), { errorCode: 'CANNOT_UPDATE_PAUSED_CLUSTER' });
  await atlas.clusters.update(id, 'c1', { paused: false });
  await atlas.clusters.delete(id, 'c1');
  t.equal((await atlas.clusters.get(id, 'c1'))!.stateName, 'DELETING');
  h.sim.control.advance(600);
  t.equal(await atlas.clusters.get(id, 'c1'), undefined, 'CLUSTER_NOT_FOUND once deleted');
});

t.test('termination protection and the 2023-02-01 shape', async (t) => {
  const h = await startSimHarness(t, { provisionSeconds: 0 });
  const atlas = h.client();
  const { id } = await project(h);
  await atlas.clusters.create(id, { ...M10, terminationProtectionEnabled: true, clusterType: 'SHARDED', replicationSpecs: [M10.replicationSpecs[0], M10.replicationSpecs[0]] });
  await rejects(t, atlas.clusters.delete(id, 'c1'), { errorCode: 'CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED' });
  const old = await h.http.call<any>({ method: 'GET', path: `/api/atlas/v2/groups/${id}/clusters/c1`, route: 'x', version: '2023-02-01' }, { credentials: (await import('../helpers/sim.js')).demoKey });
  t.equal(old.body.replicationSpecs.length, 1, 'identical shards fold into numShards');
  t.equal(old.body.replicationSpecs[0].numShards, 2);
  t.equal(old.body.diskSizeGB, 10);
  t.notOk('diskSizeGB' in old.body.replicationSpecs[0].regionConfigs[0].electableSpecs);
});

t.test('the legacy 2023-01-01 shape: what it creates, how it reads back, a PATCH, a delete', async (t) => {
  const h = await startSimHarness(t, { provisionSeconds: 0 });
  const { demoKey } = await import('../helpers/sim.js');
  const { id } = await project(h);
  const legacy = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
    h.http.call<any>({ method, path: `/api/atlas/v2/groups/${id}/clusters${path}`, route: 'x', version: '2023-01-01', body }, { credentials: demoKey });
  await legacy('POST', '', { name: 'old', providerSettings: { providerName: 'AWS', instanceSizeName: 'M10', regionName: 'US_EAST_1' }, diskSizeGB: 20 });
  const stored = (await h.client().clusters.get(id, 'old'))!;
  t.match(stored.replicationSpecs[0].regionConfigs[0], { providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M10', nodeCount: 3, diskSizeGB: 20 } }, 'the same cluster in the current shape');
  const read = (await legacy('GET', '/old')).body;
  t.match(read, {
    clusterType: 'REPLICASET',
    providerSettings: { providerName: 'AWS', instanceSizeName: 'M10', regionName: 'US_EAST_1' },
    diskSizeGB: 20,
    numShards: 1,
    replicationFactor: 3,
    replicationSpec: { US_EAST_1: { electableNodes: 3, priority: 7, readOnlyNodes: 0, analyticsNodes: 0 } },
    replicationSpecs: [{ numShards: 1, zoneName: 'Zone 1', regionsConfig: { US_EAST_1: { electableNodes: 3 } } }],
    srvAddress: /^mongodb\+srv:\/\/old\./,
  });
  await legacy('PATCH', '/old', { providerSettings: { providerName: 'AWS', instanceSizeName: 'M20' } });
  h.sim.control.advance(1);
  t.match((await legacy('GET', '/old')).body, { providerSettings: { instanceSizeName: 'M20', regionName: 'US_EAST_1' }, replicationFactor: 3, stateName: 'IDLE' }, 'a PATCH changes what it names');
  t.equal((await legacy('DELETE', '/old')).status, 202);
});

t.test('POST /groups takes regionUsageRestrictions NONE, as the official operator sends it', async (t) => {
  const h = await startSimHarness(t);
  const { demoKey } = await import('../helpers/sim.js');
  const res = await h.http.call<any>({ method: 'POST', path: '/api/atlas/v2/groups', route: 'x', version: '2023-01-01', body: { name: 'p', orgId: DEMO_ORG.id, regionUsageRestrictions: 'NONE' } }, { credentials: demoKey });
  t.equal(res.status, 201);
});

t.test('database users, and clusters applying their changes', async (t) => {
  const h = await startSimHarness(t, { provisionSeconds: 120 });
  const atlas = h.client();
  const { id } = await project(h);
  await atlas.clusters.create(id, M10);
  const user = { username: 'david', databaseName: 'admin', password: 'a-long-password', roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }] };
  const created = await atlas.databaseUsers.create(id, user);
  t.notOk('password' in created, 'the password is never returned');
  t.match(created, { username: 'david', x509Type: 'NONE', awsIAMType: 'NONE', labels: [], scopes: [] });
  t.equal(await atlas.clusters.changeStatus(id, 'c1'), 'PENDING');
  h.sim.control.advance(120);
  t.equal(await atlas.clusters.changeStatus(id, 'c1'), 'APPLIED');
  await rejects(t, atlas.databaseUsers.create(id, user), { errorCode: 'USER_ALREADY_EXISTS', httpStatus: 409 });
  const before = h.sim.control.state().projects[0]!.databaseUsers[0]!.passwordSha256;
  await atlas.databaseUsers.update(id, 'admin', 'david', { password: 'another-long-password' });
  t.not(h.sim.control.state().projects[0]!.databaseUsers[0]!.passwordSha256, before, 'the password changed');
  t.equal(await atlas.clusters.changeStatus(id, 'c1'), 'PENDING');
  const x509 = await atlas.databaseUsers.create(id, { username: 'CN=app,O=acme', databaseName: '$external', x509Type: 'CUSTOMER', roles: [{ roleName: 'read', databaseName: 'db' }] });
  t.equal(x509.username, 'CN=app,O=acme');
  t.ok(await atlas.databaseUsers.get(id, '$external', 'CN=app,O=acme'));
  await atlas.databaseUsers.delete(id, 'admin', 'david');
  t.equal(await atlas.databaseUsers.get(id, 'admin', 'david'), undefined, 'USERNAME_NOT_FOUND');
});

t.test('request bodies are checked like Atlas checks them', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const { id } = await project(h);
  await rejects(t, atlas.clusters.create(id, { ...M10, numShards: 2 }), { errorCode: 'INVALID_ATTRIBUTE', detail: 'Invalid attribute numShards specified.' });
  await rejects(t, atlas.clusters.create(id, { ...M10, paused: 'no' }), { errorCode: 'VALIDATION_ERROR' });
  await rejects(t, atlas.databaseUsers.create(id, { username: 'u', databaseName: 'admin', password: 'a-long-password', roles: [] }), { errorCode: 'MISSING_ATTRIBUTE' });
  await rejects(t, atlas.projects.create({ name: 'bad/name', orgId: DEMO_ORG.id }), { errorCode: 'INVALID_ATTRIBUTE' });
});

t.test('pagination', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const { id } = await project(h);
  await atlas.accessList.add(id, Array.from({ length: 7 }, (_, i) => ({ ipAddress: `192.0.2.${i + 1}` })));
  const demo = (await import('../helpers/sim.js')).demoKey;
  const page = (query: Record<string, string | number | boolean>) =>
    h.http.call<any>({ method: 'GET', path: `/api/atlas/v2/groups/${id}/accessList`, route: 'x', version: '2023-01-01', query }, { credentials: demo });
  const first = (await page({ itemsPerPage: 3, pageNum: 1 })).body;
  t.equal(first.results.length, 3);
  t.equal(first.totalCount, 7);
  t.same(first.links.map((l: any) => l.rel), ['self', 'next']);
  t.match(first.links[1].href, /pageNum=2&itemsPerPage=3/);
  const last = (await page({ itemsPerPage: 3, pageNum: 3, includeCount: false })).body;
  t.equal(last.results.length, 1);
  t.notOk('totalCount' in last);
  t.same(last.links.map((l: any) => l.rel), ['self']);
  await rejects(t, page({ itemsPerPage: 501 }), { errorCode: 'INVALID_ATTRIBUTE' });
  t.equal((await atlas.accessList.list(id)).length, 7, 'the client reads every page');
});

t.test('rate limits: headers, then 429 with Retry-After', async (t) => {
  const h = await startSimHarness(t, { rateLimit: { capacity: 3, refillPerSecond: 1 } }, { maxAttempts: 1 });
  const demo = (await import('../helpers/sim.js')).demoKey;
  const get = () => h.http.call({ method: 'GET', path: '/api/atlas/v2/groups', route: 'x', version: '2023-01-01', query: { n: Math.random() } }, { credentials: demo });
  await get();
  await get();
  await get();
  const limited = await get().catch((e) => e);
  t.equal(limited.name, 'AtlasRateLimitedError');
  t.equal(limited.atlasError.errorCode, 'RATE_LIMITED');
  t.equal(limited.atlasError.retryAfterSeconds, 1);
  h.sim.control.advance(1);
  t.equal((await get()).status, 200, 'tokens refill with time');
});

t.test('the control plane checks its bodies and answers 400 naming the field', async (t) => {
  const h = await startSimHarness(t);
  const post = (path: string, body: unknown) => h.raw('POST', path, { 'content-type': 'application/json' }, JSON.stringify(body));
  const cases: Array<[string, unknown, string]> = [
    ['/__sim/clock/advance', { seconds: 'abc' }, '/seconds'],
    ['/__sim/clock/advance', { seconds: -1e12 }, '/seconds'],
    ['/__sim/clock/advance', {}, '/seconds'],
    ['/__sim/faults', { route: '*', kind: 'explode' }, '/kind'],
    ['/__sim/faults', { route: '*', kind: 'error', status: 200 }, '/status'],
    ['/__sim/faults', { route: '*', kind: 'error', status: 404, errorCode: 'lower case' }, '/errorCode'],
    ['/__sim/faults', { kind: 'hang' }, '/route'],
  ];
  for (const [path, body, field] of cases) {
    const res = await post(path, body);
    t.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
    t.equal(res.json.field, field);
    t.match(res.json.message, new RegExp(`^body ${field}: `));
  }
  const before = Date.parse((await post('/__sim/clock/advance', { seconds: 0 })).json.now);
  t.ok(Number.isFinite(before) && before > Date.parse('2020-01-01'), 'the clock was neither poisoned nor sent back');
  t.equal((await post('/__sim/clock/advance', { seconds: 60 })).status, 200);
  t.equal((await post('/__sim/faults', { route: '*', kind: 'latency', latencyMs: 1, count: 1 })).json.ok, true);
  t.throws(() => h.sim.control.advance(Number.NaN), /the clock moves by a finite number of seconds/, 'in code too');
});
