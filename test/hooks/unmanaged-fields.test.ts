/**
 * Fields we keep but do not manage are said out loud: FieldsManaged=Unknown, reason
 * NotSupportedByThisOperator, naming them. Ready is not held by it, Atlas is not touched
 * for them, and the condition goes once the fields do.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { unmanagedFields } from '../../src/kernel/unmanaged.js';
import { AtlasDatabaseUserSpec } from '../../src/kinds/atlasdatabaseuser/schema.js';
import { AtlasProjectSpec } from '../../src/kinds/atlasproject/schema.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';
import { SHARED } from '../helpers/shared.js';

t.test('the walk names every undefined field where a user wrote it, inside arrays too', async (t) => {
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p', maintenanceWindow: { dayOfWeek: 3, startASAP: true }, teams: [], networkPeers: [] }), ['spec.networkPeers'], 'a kept-not-managed field is named, a managed one is not');
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p', maintenanceWindow: { dayOfWeek: 3, startNow: true } }), ['spec.maintenanceWindow.startNow'], 'inside a managed object too');
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p', projectIpAccessList: [{ ipAddress: '192.0.2.1' }, { cidrBlock: '10.0.0.0/8', typo: 1 }] }), ['spec.projectIpAccessList[1].typo']);
  t.same(unmanagedFields(AtlasDatabaseUserSpec, { username: 'u', roles: [{ roleName: 'r', databaseName: 'd' }], oidcAuthType: 'IDP_GROUP', descripton: 'a typo' }), ['spec.descripton']);
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p' }), []);
  t.same(
    unmanagedFields(AtlasProjectSpec, { name: 'p', privateEndpoints: [{ provider: 'AWS', region: 'US_EAST_1' }], encryptionAtRest: { awsKms: { enabled: true } }, auditing: { enabled: true } }),
    ['spec.privateEndpoints', 'spec.encryptionAtRest'],
    'a typed field not managed yet is named whole; a managed one is not',
  );
  t.equal(unmanagedFields(AtlasProjectSpec, Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]))).length, 20, 'a hostile spec yields a bounded list');
});

const sample = (file: string) => parse(readFileSync(`${SHARED}ako-samples/v2.15.1/config/samples/${file}`, 'utf8')) as Obj;

t.test('the official maintenance-window sample: Ready, the window set in Atlas and kept; an unmanaged field reported without holding Ready', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('atlas-system', 'atlas-metacontroller-api-key', demoCredentials);
  const p = sample('atlas_v1_atlasproject_with_maintenance_window.yaml');
  p.metadata = { ...p.metadata, namespace: 'team-a', uid: 'uid-p', generation: 1 };
  await op.sync('atlasproject', p, [keys]);
  op.sim.control.advance(60);
  const ready = await op.sync('atlasproject', p, [keys]);
  const c = conditionsOf(p);
  t.equal(c.Ready!.status, 'True');
  t.equal(c.MaintenanceWindowReady!.status, 'True');
  t.notOk(c.FieldsManaged, 'the window is managed');
  const stored = () => op.sim.control.store.projects.get(p.status.id)!.maintenanceWindow;
  t.same(stored(), { dayOfWeek: 3, hourOfDay: 5, autoDeferOnceEnabled: true }, 'autoDefer is Atlas\'s autoDeferOnceEnabled');
  const writes = op.writes();
  const again = await op.sync('atlasproject', p, [keys]);
  t.equal(op.writes(), writes, 'no writes on the next sync');
  t.equal(again.text, ready.text, 'byte-identical answers');
  stored()!.hourOfDay = 9;
  await op.sync('atlasproject', p, [keys]);
  t.equal(stored()!.hourOfDay, 5, 'drift in Atlas is put back');

  p.spec.privateEndpoints = [{ provider: 'AWS', region: 'US_EAST_1' }];
  p.metadata.generation = 2;
  const before = op.writes();
  await op.sync('atlasproject', p, [keys]);
  t.match(conditionsOf(p).FieldsManaged, { status: 'Unknown', reason: 'NotSupportedByThisOperator', message: /^spec\.privateEndpoints: kept as given but not managed by this operator/ });
  t.equal(conditionsOf(p).Ready!.status, 'True', 'Ready is not held by fields we do not manage');
  t.equal(op.writes(), before, 'nothing is done in Atlas for them');

  // One-shot actions: taken once when set, recorded, not repeated by later syncs or spec changes.
  const window = () => op.sim.control.store.projects.get(p.status.id)!.maintenanceWindow!;
  p.spec.maintenanceWindow.defer = true;
  p.metadata.generation = 3;
  await op.sync('atlasproject', p, [keys]);
  t.equal(window().numberOfDeferrals, 1, 'defer is taken');
  t.same(p.status.maintenanceActionsTaken, ['defer'], 'and recorded');
  p.spec.projectIpAccessList = [...p.spec.projectIpAccessList, { cidrBlock: '198.51.100.0/24' }];
  p.metadata.generation = 4;
  await op.sync('atlasproject', p, [keys]);
  await op.sync('atlasproject', p, [keys]);
  t.equal(window().numberOfDeferrals, 1, 'not again on later syncs, nor on another spec change');
  delete p.spec.maintenanceWindow.defer;
  await op.sync('atlasproject', p, [keys]);
  t.notOk(p.status.maintenanceActionsTaken, 'unset, the record goes');
  p.spec.maintenanceWindow.defer = true;
  await op.sync('atlasproject', p, [keys]);
  t.equal(window().numberOfDeferrals, 2, 'set again, taken again');
  delete p.spec.maintenanceWindow.defer;
  await op.sync('atlasproject', p, [keys]);
  p.spec.maintenanceWindow.defer = true;
  await op.sync('atlasproject', p, [keys]);
  t.match(conditionsOf(p).MaintenanceWindowReady, { status: 'False', reason: 'ProjectWindowNotDeferredInAtlas', message: /ATLAS_NUM_MAINTENANCE_DEFERRALS_EXCEEDED/ }, "Atlas's refusal, in the official reason");
  t.notOk(p.status.maintenanceActionsTaken, 'a failed action is not recorded, so it is tried again');
  delete p.spec.maintenanceWindow.defer;
  p.spec.maintenanceWindow.startASAP = true;
  await op.sync('atlasproject', p, [keys]);
  t.equal(window().startASAP, true, 'startASAP reaches Atlas');
  t.same(p.status.maintenanceActionsTaken, ['startASAP']);
  t.equal(conditionsOf(p).MaintenanceWindowReady!.status, 'True');
  p.spec.maintenanceWindow.defer = true;
  await op.sync('atlasproject', p, [keys]);
  t.match(conditionsOf(p).ValidationSucceeded, { status: 'False', reason: 'ProjectWindowInvalid', message: /startASAP and defer cannot both be set/ });

  delete p.spec.maintenanceWindow;
  delete p.spec.privateEndpoints;
  p.metadata.generation = 5;
  await op.sync('atlasproject', p, [keys]);
  t.notOk(conditionsOf(p).FieldsManaged, 'the condition goes with the fields');
  t.notOk(conditionsOf(p).MaintenanceWindowReady, 'no window in the spec: no condition');
  t.equal(stored(), undefined, "the window this object set is reset to Atlas's default, as the official operator does");
  t.equal(conditionsOf(p).Ready!.status, 'True');
  const afterReset = op.writes();
  op.sim.control.store.projects.get(p.status.id)!.maintenanceWindow = { dayOfWeek: 6 };
  await op.sync('atlasproject', p, [keys]);
  t.equal(op.writes(), afterReset, 'once reset, a window set in Atlas later is left alone');
  t.same(stored(), { dayOfWeek: 6 });
});

