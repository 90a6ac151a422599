/**
 * Custom database roles through real HTTP against the simulator: AtlasCustomRole (one role,
 * projectRef or externalProjectRef) and AtlasProject's spec.customRoles (the roles it made,
 * and only those).
 */
import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const project = (spec: Obj = {}): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasProject',
  metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
  spec: { name: 'Roles Project', connectionSecretRef: { name: 'atlas-keys' }, ...spec },
});
const readOnlyShop = { name: 'shop-reader', actions: [{ name: 'FIND', resources: [{ database: 'shop', collection: 'orders' }, { database: 'shop', collection: 'items' }] }, { name: 'LIST_SESSIONS', resources: [{ cluster: true }] }] };
const customRole = (role: Obj, spec: Obj = { projectRef: { name: 'my-project' } }, name = 'shop-reader'): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasCustomRole',
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, generation: 1 },
  spec: { ...spec, role },
});

async function world(t: Test, projectSpec: Obj = {}) {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('team-a', 'atlas-keys', demoCredentials);
  const p = project(projectSpec);
  const objects: Obj[] = [keys, p];
  const related = async (route: string, o: Obj) => Object.values(relatedFor((await op.customize(route, o)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const sync = async (route: string, o: Obj) => op.sync(route, o, await related(route, o));
  const finalize = async (route: string, o: Obj) => op.finalize(route, o, await related(route, o));
  await sync('atlasproject', p);
  const roles = () => op.sim.control.store.customRolesOf(p.status.id);
  return { op, p, keys, objects, sync, finalize, roles };
}

t.test('AtlasCustomRole: created, steady with no writes, drift and spec changes put in Atlas, Atlas errors in the condition', async (t) => {
  const { op, objects, sync, roles } = await world(t);
  const r = customRole(readOnlyShop);
  objects.push(r);
  await sync('atlascustomrole', r);
  t.match(conditionsOf(r).ProjectCustomRolesReady, { status: 'True' });
  t.equal(conditionsOf(r).Ready!.status, 'True');
  t.same(roles().get('shop-reader'), {
    roleName: 'shop-reader',
    actions: [
      { action: 'FIND', resources: [{ cluster: false, collection: 'orders', db: 'shop' }, { cluster: false, collection: 'items', db: 'shop' }] },
      { action: 'LIST_SESSIONS', resources: [{ cluster: true, collection: '', db: '' }] },
    ],
    inheritedRoles: [],
  });

  const writes = op.writes();
  const steady = await sync('atlascustomrole', r);
  t.equal(op.writes(), writes, 'in step: nothing written');
  t.equal((await sync('atlascustomrole', r)).text, steady.text, 'byte-identical answers');
  roles().get('shop-reader')!.actions.reverse();
  roles().get('shop-reader')!.actions[1]!.resources.reverse();
  await sync('atlascustomrole', r);
  t.equal(op.writes(), writes, 'Atlas listing actions and resources in another order is no drift');

  roles().get('shop-reader')!.actions = [{ action: 'FIND', resources: [{ cluster: false, collection: '', db: 'shop' }] }];
  await sync('atlascustomrole', r);
  t.equal(roles().get('shop-reader')!.actions.length, 2, 'changed in Atlas, put back');

  r.spec.role = { ...readOnlyShop, inheritedRoles: [{ name: 'read', database: 'catalog' }] };
  r.metadata.generation = 2;
  await sync('atlascustomrole', r);
  t.same(roles().get('shop-reader')!.inheritedRoles, [{ role: 'read', db: 'catalog' }], 'a spec change reaches Atlas');

  r.spec.role = { name: 'shop-reader' };
  r.metadata.generation = 3;
  await sync('atlascustomrole', r);
  t.match(conditionsOf(r).ValidationSucceeded, { status: 'False', reason: 'CustomRoleSpecInvalid', message: 'spec.role: a custom role needs at least one action or inherited role' });
  r.spec.role = { ...readOnlyShop, name: 'shop reader' };
  await sync('atlascustomrole', r);
  t.match(conditionsOf(r).ValidationSucceeded, { status: 'False', message: /^spec\.role\.name: "shop reader" is not a role name/ });

  const other = customRole({ name: 'auditor', inheritedRoles: [{ name: 'clusterMonitor', database: 'admin' }] }, { projectRef: { name: 'my-project' } }, 'auditor');
  objects.push(other);
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/customDBRoles/roles', method: 'POST', kind: 'error', status: 500, errorCode: 'UNEXPECTED_ERROR', count: 5 });
  const failed = await sync('atlascustomrole', other);
  t.match(conditionsOf(other).ProjectCustomRolesReady, { status: 'False', reason: 'CustomRoleNotCreated', message: /POST .*\/customDBRoles\/roles: 500/ });
  t.equal(failed.resyncAfterSeconds, 30);
  op.sim.control.clearFaults();
  await sync('atlascustomrole', other);
  t.equal(conditionsOf(other).Ready!.status, 'True', 'created once Atlas answers');
});

t.test('AtlasCustomRole finalize: deleted and seen gone; a role a user holds keeps its finalizer with Atlas\'s answer', async (t) => {
  const { op, p, objects, sync, finalize, roles } = await world(t);
  const r = customRole(readOnlyShop);
  objects.push(r);
  await sync('atlascustomrole', r);
  op.sim.control.store.usersOf(p.status.id).set('admin/app', {
    groupId: p.status.id, databaseName: 'admin', username: 'app', roles: [{ roleName: 'shop-reader', databaseName: 'admin' }], scopes: [], labels: [],
    x509Type: 'NONE', awsIAMType: 'NONE', ldapAuthType: 'NONE', oidcAuthType: 'NONE',
  });
  const held = await finalize('atlascustomrole', r);
  t.equal(held.finalized, false);
  t.match(conditionsOf(r).ProjectCustomRolesReady, { status: 'False', reason: 'AtlasFinalizerNotRemoved', message: /ATLAS_CUSTOM_ROLE_IN_USE_BY_USERS.*without a role: app/ });
  t.ok(roles().has('shop-reader'));

  const projectHeld = await finalize('atlasproject', p);
  t.equal(projectHeld.finalized, false, 'the project waits for its custom roles');
  t.match(conditionsOf(p).Ready, { message: /AtlasCustomRole team-a\/shop-reader/ });

  op.sim.control.store.usersOf(p.status.id).clear();
  let answer = await finalize('atlascustomrole', r);
  for (let i = 0; i < 3 && !answer.finalized; i++) answer = await finalize('atlascustomrole', r);
  t.equal(answer.finalized, true);
  t.notOk(roles().has('shop-reader'), 'gone from Atlas');
});

t.test('AtlasCustomRole with externalProjectRef: the organization goes on record and another organization\'s key writes nothing', async (t) => {
  const { op, p, keys, sync } = await world(t);
  const r = customRole(readOnlyShop, { externalProjectRef: { id: p.status.id }, connectionSecret: { name: 'atlas-keys' } });
  t.same((await op.customize('atlascustomrole', r)).relatedResources, [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team-a', names: ['atlas-keys'] }], 'only its connectionSecret is related');
  await sync('atlascustomrole', r);
  t.equal(conditionsOf(r).Ready!.status, 'True');
  t.equal(r.status.orgId, DEMO_ORG.id, 'the organization is on record');
  const theirs = secret('team-a', 'atlas-keys', { orgId: '0123456789abcdef01234567', publicApiKey: 'other', privateApiKey: 'other' });
  const writes = op.writes();
  r.spec.role = { ...readOnlyShop, inheritedRoles: [{ name: 'read', database: 'x' }] };
  await op.sync('atlascustomrole', r, [theirs]);
  t.match(conditionsOf(r).ProjectCustomRolesReady, { status: 'False', reason: 'AtlasAPIAccessNotConfigured' });
  t.equal((await op.finalize('atlascustomrole', r, [theirs])).finalized, false, 'not finalized with the wrong key');
  t.equal(op.writes(), writes, 'nothing written with it');
  await op.sync('atlascustomrole', r, [keys]);
  t.same(op.sim.control.store.customRolesOf(p.status.id).get('shop-reader')!.inheritedRoles, [{ role: 'read', db: 'x' }]);
});

t.test('spec.customRoles: the roles it lists are made and kept; one it drops is deleted; roles made elsewhere are never touched', async (t) => {
  const { op, p, objects, sync, roles } = await world(t, { customRoles: [readOnlyShop, { name: 'ops', inheritedRoles: [{ name: 'clusterMonitor', database: 'admin' }] }] });
  t.match(conditionsOf(p).ProjectCustomRolesReady, { status: 'True' });
  t.same(p.status.customRoles, [{ name: 'shop-reader', status: 'OK' }, { name: 'ops', status: 'OK' }]);
  t.same([...roles().keys()].sort(), ['ops', 'shop-reader']);

  // One made in the Atlas UI, one by an AtlasCustomRole of the project.
  roles().set('by-hand', { roleName: 'by-hand', actions: [{ action: 'FIND', resources: [{ cluster: false, db: 'x', collection: '' }] }], inheritedRoles: [] });
  const r = customRole({ name: 'auditor', inheritedRoles: [{ name: 'clusterMonitor', database: 'admin' }] }, { projectRef: { name: 'my-project' } }, 'auditor');
  objects.push(r);
  await sync('atlascustomrole', r);
  op.sim.control.clearRequestCounts();
  await sync('atlasproject', p);
  t.equal(op.writes(), 0, 'steady: nothing written, nothing of others removed');
  t.same(op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/customDBRoles/roles'], { requests: 1, authenticated: 1 }, 'one list read per sync');

  p.spec.customRoles = [readOnlyShop];
  p.metadata.generation = 2;
  await sync('atlasproject', p);
  t.same([...roles().keys()].sort(), ['auditor', 'by-hand', 'shop-reader'], 'the dropped role is deleted; the others stay');
  t.same(p.status.customRoles, [{ name: 'shop-reader', status: 'OK' }]);

  p.spec.customRoles = [readOnlyShop, { name: 'auditor', actions: [{ name: 'FIND', resources: [{ database: 'y' }] }] }];
  p.metadata.generation = 3;
  const before = op.writes();
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectCustomRolesReady, { status: 'False', reason: 'ProjectCustomRolesReady', message: 'spec.customRoles: auditor is managed by AtlasCustomRole team-a/auditor; declare it in one place only' });
  t.equal(op.writes(), before, 'nothing written while two objects claim a role');

  delete p.spec.customRoles;
  p.metadata.generation = 4;
  await sync('atlasproject', p);
  t.notOk(conditionsOf(p).ProjectCustomRolesReady, 'without spec.customRoles the condition goes');
  t.notOk(p.status.customRoles);
  t.same([...roles().keys()].sort(), ['auditor', 'by-hand'], 'the roles it made are deleted with the field; the others stay');
  op.sim.control.clearRequestCounts();
  await sync('atlasproject', p);
  t.notOk(op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/customDBRoles/roles'], 'after that, roles are not even read');
});
