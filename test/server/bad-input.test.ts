/**
 * Hostile or broken payloads get a 400 naming the field, never a 500, an InternalError
 * condition or an unbounded echo (issue: "survive any payload").
 */
import t from 'tap';
import { allKinds } from '../../src/kinds/index.js';
import { startTestHookServer } from '../helpers/hook-server.js';
import { startSimHarness } from '../helpers/sim.js';
import { AtlasAdmin } from '../helpers/atlas-admin.js';

const DEEP = '{"a":'.repeat(10_000) + '"x"' + '}'.repeat(10_000);
const user = {
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasDatabaseUser',
  metadata: { name: 'u', namespace: 'team-a' },
  spec: { projectRef: { name: 'p' }, username: 'u', passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'read', databaseName: 'admin' }] },
};
const project = (name: string) => ({ apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: { name: 'p', namespace: 'team-a' }, spec: { name, connectionSecretRef: { name: 'k' } } });
const keys = (values: Record<string, unknown>, field = 'stringData') => ({ 'Secret.v1': { 'team-a/k': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'team-a' }, [field]: values } } });

t.test('each bad payload is a 400 that names the field', async (t) => {
  const server = await startTestHookServer(allKinds());
  t.teardown(() => server.shutdown());
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'a child nested 10,000 deep',
      'atlasdatabaseuser',
      JSON.stringify({ parent: user, children: { 'Secret.v1': { 'team-a/s': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team-a' }, deep: '@' } } } }).replace('"@"', DEEP),
      /^request body \/children\/Secret\.v1\/team-a~1s\/deep[/a]+… is nested deeper than 100 levels$/,
    ],
    ['a spec nested 10,000 deep', 'atlasdatabaseuser', JSON.stringify({ parent: { ...user, spec: { ...user.spec, labels: '@' } } }).replace('"@"', DEEP), /^request body \/parent\/spec\/labels[/a]+… is nested/],
    ['a number as Secret data', 'atlasproject', JSON.stringify({ parent: project('P'), related: keys({ orgId: 'YQ==', publicApiKey: 12 }, 'data') }), /^request body \/related\/Secret\.v1\/team-a~1k\/data\/publicApiKey must be a string$/],
    ['an array as publicApiKey', 'atlasproject', JSON.stringify({ parent: project('P'), related: keys({ orgId: 'a', publicApiKey: ['x'], privateApiKey: 'y' }) }), /^request body \/related\/Secret\.v1\/team-a~1k\/stringData\/publicApiKey must be a string$/],
    ['a lone surrogate in a name', 'atlasproject', JSON.stringify({ parent: project('P\ud800') }), /^request body \/parent\/spec\/name is not well-formed Unicode/],
    ['a 4 MiB kind', 'atlasproject', JSON.stringify({ parent: { ...project('P'), kind: 'K'.repeat(4 * 1024 * 1024) } }), /^request body \/parent\/kind must NOT have more than 63 characters$/],
  ];
  for (const [what, route, body, message] of cases) {
    const res = await server.post(`/hooks/${route}/sync`, body);
    t.equal(res.status, 400, what);
    t.match(res.json?.message, message, what);
    t.ok(res.json?.field, `${what}: the field is named`);
    t.ok(res.text.length < 1_000, `${what}: the answer is small (${res.text.length} bytes)`);
  }
  const longest = Math.max(...server.logText().split('\n').map((line) => line.length));
  t.ok(longest < 4_000, `no log line echoes a huge value (longest ${longest} characters)`);
});

t.test('"__proto__" keys in valid JSON are dropped, not reported as invalid JSON', async (t) => {
  const server = await startTestHookServer(allKinds());
  t.teardown(() => server.shutdown());
  const body = '{"parent":{"apiVersion":"atlas.mongodb.com/v1","kind":"AtlasProject","metadata":{"name":"p","namespace":"team-a","labels":{"__proto__":{"polluted":"yes"}}},"spec":{"name":"P"}}}';
  const res = await server.post('/hooks/atlasproject/sync', body);
  t.equal(res.status, 200);
  t.equal(res.json.status.conditions[0].reason, 'AtlasCredentialsNotProvided', 'the sync ran');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'nothing was polluted');
});

t.test('state per distinct API key is bounded', async (t) => {
  const h = await startSimHarness(t);
  for (let i = 0; i < 1_200; i++) {
    const stranger = new AtlasAdmin(h.http, { credentials: { kind: 'apiKey', orgId: 'o', publicKey: `key-${i}`, privateKey: 'wrong' } });
    await stranger.organizations.list().catch(() => undefined);
  }
  t.ok(h.http.credentialsHeld <= 1_000, `${h.http.credentialsHeld} credentials held after 1,200 distinct keys`);
});

t.test('customize reads references before any schema check: an object where a name belongs is no 500', async (t) => {
  const server = await startTestHookServer(allKinds());
  t.teardown(() => server.shutdown());
  const cluster = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasCluster', metadata: { name: 'c', namespace: 'team-a' }, spec: { projectRef: { name: { toString: {} } } } };
  const res = await server.post('/hooks/atlascluster/customize', { parent: cluster });
  t.equal(res.status, 200);
  t.same(res.json.relatedResources[0], { apiVersion: 'atlas.mongodb.com/v1', resource: 'atlasprojects', namespace: 'team-a', names: [''] }, 'no project is asked for');
  const user = { ...cluster, kind: 'AtlasDatabaseUser', spec: { passwordSecretRef: { name: ['x'] }, projectRef: { name: 'p' } } };
  t.equal((await server.post('/hooks/atlasdatabaseuser/customize', { parent: user })).status, 200);
});
