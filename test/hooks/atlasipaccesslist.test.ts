/** AtlasIPAccessList through real HTTP against the simulator: it owns its entries and only those. */
import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const LABEL = { 'atlas.mongodb.com/type': 'credentials' };

const project = (entries: Obj[] = [{ ipAddress: '192.0.2.15' }]): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasProject',
  metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
  spec: { name: 'Shared List Project', connectionSecretRef: { name: 'atlas-keys' }, projectIpAccessList: entries },
});
const list = (entries: Obj[], name = 'app-list'): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasIPAccessList',
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, generation: 1 },
  spec: { projectRef: { name: 'my-project' }, entries },
});

async function world(t: Test) {
  const op = await startOperator(t, { provisionSeconds: 60 });
  const keys = secret('team-a', 'atlas-keys', demoCredentials, LABEL);
  const p = project();
  const objects: Obj[] = [keys, p];
  const related = async (route: string, o: Obj) => Object.values(relatedFor((await op.customize(route, o)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const sync = async (route: string, o: Obj) => op.sync(route, o, await related(route, o));
  const finalize = async (route: string, o: Obj) => op.finalize(route, o, await related(route, o));
  await sync('atlasproject', p);
  const inAtlas = () => op.sim.control.state().projects[0]!.accessList.map((e) => e.cidrBlock ?? e.awsSecurityGroup).sort();
  return { op, p, objects, sync, finalize, inAtlas };
}

t.test('its entries reach Atlas beside the project\'s own, PENDING then ACTIVE, listed in status; the project leaves them be', async (t) => {
  const { op, p, objects, sync, inAtlas } = await world(t);
  const l = list([{ cidrBlock: '203.0.113.0/24', comment: 'app servers' }, { ipAddress: '198.51.100.7' }]);
  objects.push(l);
  const first = await sync('atlasipaccesslist', l);
  t.match(conditionsOf(l).IPAccessListReady, { status: 'False', reason: 'ProjectIPAccessListNotActive', message: /IP Access List is not yet active, current state: PENDING/ });
  t.equal(first.resyncAfterSeconds, 10);
  t.same(inAtlas(), ['192.0.2.15/32', '198.51.100.7/32', '203.0.113.0/24']);
  op.sim.control.advance(60);
  await sync('atlasipaccesslist', l);
  t.equal(conditionsOf(l).Ready!.status, 'True');
  t.same(l.status.entries, [{ entry: '203.0.113.0/24', status: 'ACTIVE' }, { entry: '198.51.100.7/32', status: 'ACTIVE' }]);

  await sync('atlasproject', p);
  t.same(inAtlas(), ['192.0.2.15/32', '198.51.100.7/32', '203.0.113.0/24'], "the project's authoritative list does not remove the AtlasIPAccessList's entries");
  const writes = op.writes();
  await sync('atlasipaccesslist', l);
  await sync('atlasproject', p);
  t.equal(op.writes(), writes, 'steady: no writes from either');
  const reads = op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/accessList/:entryValue/status']?.authenticated ?? 0;
  await sync('atlasipaccesslist', l);
  t.equal(op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/accessList/:entryValue/status']?.authenticated ?? 0, reads, 'entries seen ACTIVE need no status read');

  l.spec.entries = [{ cidrBlock: '203.0.113.0/24', comment: 'app servers' }];
  l.metadata.generation = 2;
  await sync('atlasipaccesslist', l);
  t.same(inAtlas(), ['192.0.2.15/32', '203.0.113.0/24'], 'an entry dropped from the spec is removed; the project\'s stays');
});

t.test('deleting it removes its entries and only those', async (t) => {
  const { op, objects, sync, finalize, inAtlas } = await world(t);
  const l = list([{ cidrBlock: '203.0.113.0/24' }]);
  objects.push(l);
  await sync('atlasipaccesslist', l);
  op.sim.control.advance(60);
  await sync('atlasipaccesslist', l);
  const answer = await finalize('atlasipaccesslist', l);
  t.equal(answer.finalized, true, 'removed and confirmed in one call');
  t.same(inAtlas(), ['192.0.2.15/32']);
});

t.test('the official sample: the expired entry is not sent; Ready', async (t) => {
  const { op, objects, sync, inAtlas } = await world(t);
  const l = list([{ cidrBlock: '192.168.1.0/24' }, { ipAddress: '10.0.0.1', deleteAfterDate: '2025-01-20T23:59:59+02:00' }], 'atlasipaccesslist-sample');
  objects.push(l);
  await sync('atlasipaccesslist', l);
  op.sim.control.advance(60);
  await sync('atlasipaccesslist', l);
  t.equal(conditionsOf(l).Ready!.status, 'True');
  t.same(inAtlas(), ['192.0.2.15/32', '192.168.1.0/24']);
});

t.test('an entry without an address is refused, naming it', async (t) => {
  const { objects, sync } = await world(t);
  const l = list([{ comment: 'nothing' }]);
  objects.push(l);
  await sync('atlasipaccesslist', l);
  t.match(conditionsOf(l).ValidationSucceeded, { status: 'False', reason: 'ProjectIPAccessListInvalid', message: 'spec.entries[0]: exactly one of ipAddress, cidrBlock or awsSecurityGroup is required' });
});

t.test('the project waits for its AtlasIPAccessLists before it is deleted', async (t) => {
  const { p, objects, finalize } = await world(t);
  objects.push(list([{ cidrBlock: '203.0.113.0/24' }]));
  const answer = await finalize('atlasproject', p);
  t.equal(answer.finalized, false);
  t.match(conditionsOf(p).ProjectReady!.message, /AtlasIPAccessList team-a\/app-list/);
});

t.test('with externalProjectRef: the organization goes on record, and another organization\'s key neither writes nor finalizes', async (t) => {
  const { op, p } = await world(t);
  const keys = secret('team-a', 'atlas-keys', demoCredentials, LABEL);
  const l = list([{ cidrBlock: '203.0.113.0/24' }], 'external-list');
  l.spec = { externalProjectRef: { id: p.status.id }, connectionSecret: { name: 'atlas-keys' }, entries: l.spec.entries };
  await op.sync('atlasipaccesslist', l, [keys]);
  t.equal(l.status.orgId, DEMO_ORG.id, 'the organization is on record');
  const theirs = secret('team-a', 'atlas-keys', { orgId: '0123456789abcdef01234567', publicApiKey: 'other', privateApiKey: 'other' }, LABEL);
  const writes = op.writes();
  const held = await op.finalize('atlasipaccesslist', l, [theirs]);
  t.equal(held.finalized, false, 'not finalized with the wrong key');
  t.match(conditionsOf(l).IPAccessListReady, { status: 'False', reason: 'AtlasFinalizerNotRemoved', message: new RegExp(`are for organization 0123456789abcdef01234567, but the Atlas project ${p.status.id} is in organization ${DEMO_ORG.id}`) });
  t.equal(op.writes(), writes, 'nothing written with it');
  t.ok(op.sim.control.state().projects[0]!.accessList.some((e) => e.cidrBlock === '203.0.113.0/24'), 'the entry is still there');
});

t.test('a list of this namespace reaching the project through externalProjectRef is seen by it: the project leaves its entries be', async (t) => {
  const { op, p, objects, sync, inAtlas } = await world(t);
  const keys = objects[0]!;
  const l = list([{ cidrBlock: '203.0.113.0/24' }], 'external-list');
  l.spec = { externalProjectRef: { id: p.status.id }, connectionSecret: { name: 'atlas-keys' }, entries: l.spec.entries };
  objects.push(l);
  await op.sync('atlasipaccesslist', l, [keys]);
  t.same(inAtlas(), ['192.0.2.15/32', '203.0.113.0/24']);
  await sync('atlasproject', p);
  t.same(inAtlas(), ['192.0.2.15/32', '203.0.113.0/24'], "the project's authoritative list does not remove it");
});
