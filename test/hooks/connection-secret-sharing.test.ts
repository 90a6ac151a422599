/**
 * Sharing connection Secrets into the namespaces where apps run: the DecoratorController's
 * hooks over HTTP, and the user's side (its Secrets labelled for each namespace it names).
 */
import t, { type Test } from 'tap';
import { allDecorators, allKinds } from '../../src/kinds/index.js';
import { startTestHookServer } from '../helpers/hook-server.js';
import { objectMap, secret, type Obj } from '../helpers/operator.js';

const ROUTE = '/hooks/connectionsecretsharing';
const namespace = (name: string, receives = true): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, uid: `uid-${name}`, ...(receives ? { labels: { 'atlas.mongodb.com/receive-connection-secrets': 'true' } } : {}) },
});
/** A connection Secret as a user's sync renders it, labelled for the namespaces it shares with. */
function source(ns: string, name: string, password: string, shareWith: string[]): Obj {
  const s = secret(ns, name, { username: 'david', password, connectionStringStandardSrv: `mongodb+srv://david:${password}@c.example.net` }, {
    'atlas.mongodb.com/cluster-name': 'test-cluster',
    'atlas.mongodb.com/project-id': '6a0000000000000000000001',
    'atlas.mongodb.com/type': 'credentials',
    ...Object.fromEntries(shareWith.map((to) => [`share-to.atlas.mongodb.com/${to}`, 'true'])),
  });
  s.metadata.resourceVersion = '17';
  s.metadata.uid = `uid-${ns}-${name}`;
  return s;
}

async function server(t: Test) {
  const s = await startTestHookServer(allKinds(), [], { decorators: allDecorators() });
  t.teardown(() => s.shutdown());
  const call = async (hook: string, object: Obj, related: Obj[] = [], attachments: Obj[] = []) => {
    const res = await s.post(`${ROUTE}/${hook}`, { controller: {}, object, related: objectMap(...related), attachments: objectMap(...attachments), finalizing: hook === 'finalize' });
    t.equal(res.status, 200, `${hook} answered ${res.text.slice(0, 200)}`);
    return res;
  };
  return { s, call };
}

t.test('customize asks for the Secrets marked for this namespace, in any namespace', async (t) => {
  const { s } = await server(t);
  const res = await s.post(`${ROUTE}/customize`, { controller: {}, parent: namespace('shop') });
  t.same(res.json.relatedResources, [{ apiVersion: 'v1', resource: 'secrets', labelSelector: { matchLabels: { 'share-to.atlas.mongodb.com/shop': 'true' } } }]);
});

t.test('a receiving namespace gets one copy per source; two users never collide; copies are byte-stable', async (t) => {
  const { call } = await server(t);
  const fromPlatform = source('platform', 'test-atlas-operator-project-test-cluster-david', 'pw-1', ['shop']);
  const fromTeamB = source('team-b', 'test-atlas-operator-project-test-cluster-david', 'pw-2', ['shop', 'billing']);
  const res = await call('sync', namespace('shop'), [fromTeamB, fromPlatform]);
  t.same(Object.keys(res.json).sort(), ['attachments'], 'no status, labels or annotations: the Namespace is left as it is');
  const copies = res.json.attachments as Obj[];
  t.same(copies.map((c) => `${c.metadata.namespace}/${c.metadata.name}`), [
    'shop/platform-test-atlas-operator-project-test-cluster-david',
    'shop/team-b-test-atlas-operator-project-test-cluster-david',
  ]);
  t.same(copies[0]!.metadata.labels, {
    'atlas.mongodb.com/cluster-name': 'test-cluster',
    'atlas.mongodb.com/project-id': '6a0000000000000000000001',
    'atlas.mongodb.com/shared-from-namespace': 'platform',
    'atlas.mongodb.com/type': 'credentials',
  }, 'where it came from; no share label, so a copy is never shared on');
  t.same(copies[0]!.metadata.annotations, { 'atlas.mongodb.com/shared-from': 'platform/test-atlas-operator-project-test-cluster-david' });
  t.equal(copies[0]!.data.password, fromPlatform.data.password);
  t.equal(copies[0]!.type, 'Opaque');
  t.notOk('resourceVersion' in copies[0]!.metadata || 'uid' in copies[0]!.metadata, 'nothing server-set is copied');
  const again = await call('sync', namespace('shop'), [fromPlatform, fromTeamB]);
  t.equal(again.text, res.text, 'the same sources give the same bytes, whatever their order');
});

t.test('consent on both sides: no label on the namespace, or a source not marked for it, gives no copy', async (t) => {
  const { call } = await server(t);
  const marked = source('platform', 's', 'pw', ['shop']);
  t.same((await call('sync', namespace('shop', false), [marked])).json.attachments, [], 'the namespace did not opt in');
  t.same((await call('sync', namespace('billing'), [marked])).json.attachments, [], 'the user did not name it');
  const notAConnectionSecret = secret('platform', 'app-config', { x: 'y' }, { 'share-to.atlas.mongodb.com/shop': 'true' });
  t.same((await call('sync', namespace('shop'), [notAConnectionSecret])).json.attachments, [], 'only connection Secrets are shared');
});

t.test('a rotated password reaches the copy; withdrawal finalizes only once the copies are gone', async (t) => {
  const { call } = await server(t);
  const before = (await call('sync', namespace('shop'), [source('platform', 's', 'old-password', ['shop'])])).json.attachments as Obj[];
  const after = (await call('sync', namespace('shop'), [source('platform', 's', 'new-password', ['shop'])])).json.attachments as Obj[];
  t.not(after[0]!.data.password, before[0]!.data.password);
  t.equal(Buffer.from(after[0]!.data.password, 'base64').toString(), 'new-password');
  const pending = await call('finalize', namespace('shop', false), [], [{ ...after[0]!, metadata: { ...after[0]!.metadata, uid: 'x' } }]);
  t.same(pending.json, { attachments: [], finalized: false, resyncAfterSeconds: 1 }, 'the label was removed: the copies go first');
  t.same((await call('finalize', namespace('shop', false))).json, { attachments: [], finalized: true });
});

t.test('a request for another kind than Namespace is refused, naming the field', async (t) => {
  const { s } = await server(t);
  const res = await s.post(`${ROUTE}/sync`, { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } } });
  t.equal(res.status, 400);
  t.equal(res.json.field, '/object/kind');
});
