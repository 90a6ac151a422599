import t from 'tap';
import { pathSegment } from '../../src/atlas/client.js';
import { AtlasAdmin } from '../helpers/atlas-admin.js';
import { AtlasApiError, AtlasRateLimitedError, isAtlasNotFound, NOT_FOUND } from '../../src/atlas/errors.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { demoKey, demoServiceAccount, rejects, startSimHarness } from '../helpers/sim.js';


t.test('digest keeps the nonce: N calls cost N+1 round trips, not 2N', async (t) => {
  const h = await startSimHarness(t);
  const stats = { atlasCalls: 0 };
  const atlas = h.client({ stats });
  for (let i = 0; i < 10; i++) await atlas.projects.getByName(`p${i}`);
  const counts = h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName']!;
  t.same(counts, { requests: 11, authenticated: 10 });
  t.equal(stats.atlasCalls, 11, 'the hook log counts HTTP requests');
});

t.test('the official operator pattern pays a challenge every call', async (t) => {
  const h = await startSimHarness(t, {}, { digestMode: 'challenge-per-request' });
  const atlas = h.client();
  for (let i = 0; i < 10; i++) await atlas.projects.getByName(`p${i}`);
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName'], { requests: 20, authenticated: 10 });
});

t.test('a stale nonce is answered transparently', async (t) => {
  const h = await startSimHarness(t, { nonceTtlSeconds: 60 });
  const atlas = h.client();
  await atlas.projects.getByName('a');
  h.sim.control.advance(61);
  t.equal(await atlas.projects.getByName('a'), undefined, 'the call succeeded (the project is just absent)');
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName'], { requests: 4, authenticated: 2 });
});

t.test('a nonce the server forgot is answered transparently', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  await atlas.projects.getByName('a');
  h.sim.control.reset();
  t.equal(await atlas.projects.getByName('a'), undefined);
});

t.test('a wrong key fails with 401 after one fresh challenge', async (t) => {
  const h = await startSimHarness(t);
  const atlas = new AtlasAdmin(h.http, { credentials: { ...demoKey, privateKey: 'wrong' } as typeof demoKey });
  const error: AtlasApiError = await atlas.projects.getByName('a').catch((e: AtlasApiError) => e) as AtlasApiError;
  t.ok(error instanceof AtlasApiError);
  t.equal(error.httpStatus, 401);
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName'], { requests: 2, authenticated: 0 });
  t.notMatch(error.message, /wrong/, 'the key is not in the message');
});

t.test('service accounts: one token for many calls, a new one once it expires', async (t) => {
  const h = await startSimHarness(t, { tokenTtlSeconds: 3600 });
  const atlas = new AtlasAdmin(h.http, { credentials: demoServiceAccount });
  await Promise.all([atlas.projects.getByName('a'), atlas.projects.getByName('b')]);
  await atlas.projects.getByName('c');
  t.equal(h.sim.control.requestCounts()['POST /api/oauth/token']!.requests, 1, 'one token fetch, shared');
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName'], { requests: 3, authenticated: 3 });
  h.sim.control.advance(3601);
  await atlas.projects.getByName('d');
  t.equal(h.sim.control.requestCounts()['POST /api/oauth/token']!.requests, 2, 'an expired token is replaced after its 401');
  const wrong = new AtlasAdmin(h.http, { credentials: { ...demoServiceAccount, clientSecret: 'nope' } as typeof demoServiceAccount });
  await rejects(t, wrong.projects.getByName('a'), { httpStatus: 401, errorCode: 'INVALID_CLIENT_CREDENTIALS' });
});

t.test('a parent\'s not-found never reads as the object being gone', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  await rejects(t, atlas.clusters.get('aaaaaaaaaaaaaaaaaaaaaaaa', 'c1'), { errorCode: 'GROUP_NOT_FOUND' });
  await rejects(t, atlas.databaseUsers.get('aaaaaaaaaaaaaaaaaaaaaaaa', 'admin', 'u'), { errorCode: 'GROUP_NOT_FOUND' });
  t.equal(await atlas.projects.get('aaaaaaaaaaaaaaaaaaaaaaaa'), undefined, 'but for the project itself it is its not-found');
  t.same((await atlas.organizations.list()).map((o) => o.id), [DEMO_ORG.id], 'a key sees its own organization');
});

t.test('errors carry Atlas code, detail and the official message form', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const { id } = await atlas.projects.create({ name: 'p', orgId: DEMO_ORG.id });
  const error = await atlas.clusters.delete(id, 'nope').catch((e) => e);
  t.ok(isAtlasNotFound(error, NOT_FOUND.cluster));
  t.notOk(isAtlasNotFound(error, NOT_FOUND.project), 'a cluster\'s not-found is not its project\'s');
  t.match(error, {
    httpStatus: 404,
    errorCode: 'CLUSTER_NOT_FOUND',
    detail: `No cluster named nope exists in group ${id}.`,
    parameters: ['nope', id],
    method: 'DELETE',
  });
  t.equal((error as AtlasApiError).message, `DELETE ${h.sim.url}/api/atlas/v2/groups/${id}/clusters/nope: 404 (request "CLUSTER_NOT_FOUND") No cluster named nope exists in group ${id}.`);
});

t.test('reads retry 503 and connection resets; writes do not', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups/byName/:groupName', kind: 'error', status: 503, count: 2 });
  t.equal(await atlas.projects.getByName('a'), undefined, 'succeeded on the third attempt');
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups/byName/:groupName', kind: 'reset', count: 1 });
  t.equal(await atlas.projects.getByName('a'), undefined, 'a reset connection is retried');
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups', method: 'POST', kind: 'error', status: 503, count: 1 });
  await rejects(t, atlas.projects.create({ name: 'p', orgId: DEMO_ORG.id }), { httpStatus: 503, errorCode: 'SERVICE_UNAVAILABLE' });
  t.equal(h.sim.control.state().projects.length, 0, 'the failed create was not repeated');
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups', method: 'POST', kind: 'rate-limit', retryAfterSeconds: 0, count: 1 });
  await atlas.projects.create({ name: 'p', orgId: DEMO_ORG.id });
  t.equal(h.sim.control.state().projects.length, 1, 'a 429 was never processed, so even a create repeats it');
});

t.test('a 429 that cannot be waited out inside the deadline surfaces with its Retry-After', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client({ deadline: performance.now() + 2_000 });
  h.sim.control.injectFault({ route: '*', kind: 'rate-limit', retryAfterSeconds: 30, count: 5 });
  const error: unknown = await atlas.projects.getByName('a').catch((e: unknown) => e);
  t.ok(error instanceof AtlasRateLimitedError);
  t.equal((error as AtlasRateLimitedError).retryAfterSeconds, 30);
  t.equal(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName']!.requests, 1, 'it did not wait for a retry');
});

t.test('a hung Atlas is abandoned when the budget signal fires', async (t) => {
  const h = await startSimHarness(t);
  h.sim.control.injectFault({ route: '*', kind: 'hang', count: 1 });
  const signal = AbortSignal.timeout(200);
  const error: unknown = await h.client({ signal }).projects.getByName('a').catch((e: unknown) => e);
  t.ok(error instanceof Error);
  t.ok(signal.aborted);
});

t.test('concurrent identical reads share one request; nothing outlives it; a write is never answered by an older read', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const { id } = await atlas.projects.create({ name: 'p', orgId: DEMO_ORG.id });
  await atlas.accessList.list(id); // learn the nonce
  h.sim.control.clearRequestCounts();
  const lists = await Promise.all(Array.from({ length: 20 }, () => atlas.accessList.list(id)));
  t.ok(lists.every((l) => l.length === 0));
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/accessList'], { requests: 1, authenticated: 1 }, 'one request for twenty callers');
  lists[0]!.push({ ipAddress: 'mutated' });
  t.equal(lists[1]!.length, 0, 'each caller has its own copy');
  await atlas.accessList.list(id);
  t.equal(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/accessList']!.requests, 2, 'a later read asks Atlas again');
  t.equal(h.http.reads.size, 0, 'nothing is held once answered');

  // A read in flight when a write lands: a read after the write does not join it.
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/accessList', method: 'GET', kind: 'latency', latencyMs: 200, count: 1 });
  const before = atlas.accessList.list(id);
  await atlas.accessList.add(id, [{ ipAddress: '192.0.2.1' }]);
  const after = await atlas.accessList.list(id);
  t.equal(after.length, 1, 'the read after the write sees it');
  await before;
});

t.test('a call that joins another\'s in-flight read keeps its own budget', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  const { id } = await atlas.projects.create({ name: 'p', orgId: DEMO_ORG.id });
  await atlas.accessList.list(id); // learn the nonce
  h.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/accessList', method: 'GET', kind: 'latency', latencyMs: 300, count: 1 });
  h.sim.control.clearRequestCounts();
  const first = new AbortController();
  const soon = performance.now() + 100;
  const a = h.client({ signal: first.signal, deadline: soon }).accessList.list(id).then(() => 'answered', (e: unknown) => `failed: ${(e as Error).name}`);
  const b = h.client({ deadline: performance.now() + 30_000 }).accessList.list(id);
  first.abort(); // the first caller's budget ends while the read is in flight
  t.match(await a, /^failed/, 'the first caller gives up at its own deadline');
  t.same(await b, [], 'the second gets the answer within its own budget');
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/accessList'], { requests: 1, authenticated: 1 }, 'from the one shared request');
});

t.test('concurrent first calls of a key share one digest challenge', async (t) => {
  const h = await startSimHarness(t);
  const atlas = h.client();
  await Promise.all(Array.from({ length: 20 }, (_, i) => atlas.projects.getByName(`p${i}`)));
  t.same(h.sim.control.requestCounts()['GET /api/atlas/v2/groups/byName/:groupName'], { requests: 21, authenticated: 20 }, 'one challenge, then 20 answered calls');
});

t.test('path segments are escaped as the Go clients escape them', async (t) => {
  t.equal(pathSegment('10.0.0.0/24'), '10.0.0.0%2F24');
  t.equal(pathSegment('$external'), '$external');
  t.equal(pathSegment('CN=app,O=acme'), 'CN=app,O=acme');
  t.equal(pathSegment('arn:aws:iam::123:role/x'), 'arn:aws:iam::123:role%2Fx');
  t.equal(pathSegment('a b?'), 'a%20b%3F');
});
