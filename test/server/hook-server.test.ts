import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHookServer, projectParent } from '../helpers/hook-server.js';
import { nextHang, testKind } from '../helpers/test-kind.js';

const secretChild = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'keep-me', namespace: 'team-a' },
  type: 'Opaque',
  data: { password: 'c2VjcmV0' },
};

t.test('health, readiness and metrics', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  t.equal((await server.get('/healthz')).status, 200);
  t.equal((await server.get('/readyz')).status, 200);
  await server.post('/hooks/atlasproject/sync', { parent: projectParent() });
  const metrics = await server.get('/metrics');
  t.match(metrics.text, /atlas_metacontroller_hook_calls_total\{kind="atlasproject",hook="sync",outcome="ready"\} 1/);
  t.match(metrics.text, /atlas_metacontroller_hook_duration_seconds_count\{kind="atlasproject",hook="sync"\} 1/);
});

t.test('malformed requests get a 400 naming the field, and the server stays up', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const cases: Array<[string, unknown, string | undefined, RegExp]> = [
    ['not JSON', '{"parent":', undefined, /not JSON/],
    ['no parent', { children: {} }, '/parent', /\/parent must have required property 'parent'/],
    ['parent without a name', { parent: { ...projectParent(), metadata: { namespace: 'x' } } }, '/parent/metadata/name', /name/],
    ['wrong type', { parent: projectParent(), finalizing: 'yes' }, '/finalizing', /must be boolean/],
    [
      'a parent of another kind',
      { parent: { ...projectParent(), kind: 'AtlasCluster' } },
      '/parent/kind',
      /parent is AtlasCluster atlas.mongodb.com\/v1, but \/hooks\/atlasproject serves AtlasProject/,
    ],
  ];
  for (const [name, body, field, message] of cases) {
    const res = await server.post('/hooks/atlasproject/sync', body);
    t.equal(res.status, 400, name);
    t.equal(res.json.field, field, `${name}: field`);
    t.match(res.json.message, message, `${name}: message`);
  }
  const wrongType = await server.post('/hooks/atlasproject/sync', 'x', { 'content-type': 'text/plain' });
  t.equal(wrongType.status, 415);
  const warnLines = server.logText().split('\n').filter((l) => l.includes('"rejected hook request"'));
  t.equal(warnLines.length, cases.length + 1, 'each rejected request is logged once');
  t.ok(warnLines.every((l) => l.includes('"level":"warn"')));
  t.equal((await server.post('/hooks/atlasproject/sync', { parent: projectParent() })).status, 200, 'still serving');
  const metrics = await server.get('/metrics');
  t.match(metrics.text, /outcome="bad_request"\} 6/);
});

t.test('a body over the limit gets a 413 that says which limit', async (t) => {
  const server = await startTestHookServer([testKind], ['--body-limit', '2048']);
  t.teardown(() => server.shutdown());
  const children = { 'Secret.v1': Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`team-a/s${i}`, secretChild])) };
  const res = await server.post('/hooks/atlasproject/sync', { parent: projectParent(), children });
  t.equal(res.status, 413);
  t.match(res.json.message, /exceeds the 2048-byte limit; raise --body-limit/);
});

t.test('the default body limit takes a parent with hundreds of children', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const many = Object.fromEntries(
    Array.from({ length: 500 }, (_, i) => [`team-a/s${i}`, { ...secretChild, metadata: { name: `s${i}`, namespace: 'team-a' } }]),
  );
  const res = await server.post('/hooks/atlasproject/sync', { parent: projectParent(), children: { 'Secret.v1': many } });
  t.equal(res.status, 200);
});

t.test('customize answers relatedResources', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const res = await server.post('/hooks/atlasproject/customize', { controller: {}, parent: projectParent() });
  t.equal(res.status, 200);
  t.same(res.json, { relatedResources: [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team-a', names: ['creds'] }] });
});

t.test('the same request twice gives byte-identical answers', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const first = await server.post('/hooks/atlasproject/sync', { parent: projectParent({ spec: { behavior: 'step-failed' } }) });
  // Metacontroller writes our status back; the next request carries it.
  const observed = projectParent({ spec: { behavior: 'step-failed' }, status: first.json.status });
  const second = await server.post('/hooks/atlasproject/sync', { parent: observed });
  const third = await server.post('/hooks/atlasproject/sync', { parent: observed });
  t.equal(second.text, third.text);
  t.same(second.json.status, first.json.status, 'nothing moves once the status is stored');
  t.same(Object.keys(first.json).sort(), ['children', 'status']);
  t.equal(first.json.status.observedGeneration, 3);
  t.same(
    first.json.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ['Ready=False', 'ProjectReady=True', 'IPAccessListReady=False'],
  );
});

t.test('work that outlives the budget is reported, with status and children kept', async (t) => {
  const server = await startTestHookServer([testKind], ['--hook-timeout', '1s', '--hook-budget', '200ms']);
  t.teardown(() => server.shutdown());
  const parent = projectParent({
    spec: { behavior: 'hang' },
    status: { id: '6a79400ac0eb9e7a1771922b', conditions: [], observedGeneration: 2 },
  });
  const res = await server.post('/hooks/atlasproject/sync', { parent, children: { 'Secret.v1': { 'team-a/keep-me': secretChild } } });
  t.equal(res.status, 200);
  t.equal(res.json.status.id, '6a79400ac0eb9e7a1771922b', 'status fields survive');
  t.same(res.json.children, [secretChild], 'children survive');
  t.equal(res.json.status.conditions[0].reason, 'ReconcileInProgress');
  t.equal(res.json.resyncAfterSeconds, 2);
});

t.test('a rate limit becomes resyncAfterSeconds', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const res = await server.post('/hooks/atlasproject/sync', { parent: projectParent({ spec: { behavior: 'rate-limited' } }) });
  t.equal(res.json.resyncAfterSeconds, 42);
  t.equal(res.json.status.conditions[0].reason, 'AtlasRateLimited');
  t.match(res.json.status.conditions[0].message, /GET https:\/\/cloud.mongodb.com\/api\/atlas\/v2\/groups: 429 \(request "RATE_LIMITED"\) Too many requests./);
});

t.test('an unexpected error is a condition, not a lost status; credentials never reach it', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const parent = projectParent({ spec: { behavior: 'throw' }, status: { id: 'kept' } });
  const res = await server.post('/hooks/atlasproject/finalize', { parent, children: { 'Secret.v1': { 'team-a/keep-me': secretChild } } });
  t.equal(res.status, 200);
  t.equal(res.json.finalized, true, 'finalize of the test kind succeeds');
  const sync = await server.post('/hooks/atlasproject/sync', { parent, children: { 'Secret.v1': { 'team-a/keep-me': secretChild } } });
  t.equal(sync.json.status.id, 'kept');
  t.same(sync.json.children, [secretChild]);
  t.equal(sync.json.status.conditions[0].reason, 'InternalError');
  t.equal(sync.json.status.conditions[0].message, 'boom: mongodb+srv://[REDACTED]@cluster0.example.net', 'no credential in the condition');
  t.equal(sync.json.resyncAfterSeconds, 30);
  t.notMatch(server.logText(), /hunter2-password/);
});

t.test('on the failure path children come back as we render them, never with server-set metadata', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const observed = {
    ...secretChild,
    metadata: {
      ...secretChild.metadata,
      uid: 'a1b2',
      resourceVersion: '4711',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'atlas.mongodb.com/type': 'credentials', 'controller-uid': 'u-1' },
      annotations: { 'metacontroller.k8s.io/last-applied-configuration': '{}', 'atlas.mongodb.com/ours': 'yes' },
      ownerReferences: [{ apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', name: 'my-project', uid: 'u-1', controller: true }],
      managedFields: [{ manager: 'metacontroller' }],
      finalizers: ['x'],
    },
    status: { anything: true },
  };
  const parent = projectParent({ spec: { behavior: 'throw' } });
  const res = await server.post('/hooks/atlasproject/sync', { parent, children: { 'Secret.v1': { 'team-a/keep-me': observed } } });
  t.equal(res.json.status.conditions[0].reason, 'InternalError');
  t.same(res.json.children, [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'keep-me', namespace: 'team-a', labels: { 'atlas.mongodb.com/type': 'credentials' }, annotations: { 'atlas.mongodb.com/ours': 'yes' } },
      data: secretChild.data,
      type: 'Opaque',
    },
  ]);
});

t.test('SIGTERM-style shutdown fails readiness and lets in-flight hooks finish', async (t) => {
  const server = await startTestHookServer([testKind], ['--hook-timeout', '2s', '--hook-budget', '300ms']);
  const started = nextHang();
  const inFlight = server.post('/hooks/atlasproject/sync', { parent: projectParent({ spec: { behavior: 'hang' } }) });
  await started;
  server.startDraining();
  t.equal((await server.get('/readyz')).status, 503);
  const closing = server.shutdown();
  const res = await inFlight;
  t.equal(res.status, 200, 'the in-flight hook got its answer');
  await closing;
});

t.test('requests to kinds this server does not serve add no metric series', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'the-token');
  const server = await startTestHookServer([testKind], ['--auth-token-file', tokenFile]);
  t.teardown(() => server.shutdown());
  const token = { authorization: 'Bearer the-token' };
  for (let i = 0; i < 3; i++) {
    t.equal((await server.post(`/hooks/nosuchkind${'abc'[i]}/sync`, { parent: projectParent() })).status, 401, 'without the token: refused');
    const refused = await server.post(`/hooks/nosuchkind${'abc'[i]}/sync`, '{"parent":', token);
    t.equal(refused.status, 400, 'with it, a body that is not JSON: refused as such');
  }
  t.equal((await server.post('/hooks/atlasproject/sync', { parent: projectParent() })).status, 401);
  const metrics = await server.get('/metrics');
  t.notMatch(metrics.text, /nosuchkind/, 'an unknown kind is no label value');
  t.match(metrics.text, /atlas_metacontroller_hook_calls_total\{kind="atlasproject",hook="sync",outcome="unauthorized"\} 1/, 'a served kind is still counted');
});
