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
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p', maintenanceWindow: { dayOfWeek: 3 }, teams: [] }), ['spec.maintenanceWindow', 'spec.teams']);
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p', projectIpAccessList: [{ ipAddress: '192.0.2.1' }, { cidrBlock: '10.0.0.0/8', typo: 1 }] }), ['spec.projectIpAccessList[1].typo']);
  t.same(unmanagedFields(AtlasDatabaseUserSpec, { username: 'u', roles: [{ roleName: 'r', databaseName: 'd' }], oidcAuthType: 'IDP_GROUP', descripton: 'a typo' }), ['spec.descripton']);
  t.same(unmanagedFields(AtlasProjectSpec, { name: 'p' }), []);
  t.equal(unmanagedFields(AtlasProjectSpec, Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]))).length, 20, 'a hostile spec yields a bounded list');
});

const sample = (file: string) => parse(readFileSync(`${SHARED}ako-samples/v2.15.1/config/samples/${file}`, 'utf8')) as Obj;

t.test('the official maintenance-window sample: Ready, the window reported as not managed, nothing written for it', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('atlas-system', 'atlas-metacontroller-api-key', demoCredentials);
  const p = sample('atlas_v1_atlasproject_with_maintenance_window.yaml');
  p.metadata = { ...p.metadata, namespace: 'team-a', uid: 'uid-p', generation: 1 };
  await op.sync('atlasproject', p, [keys]);
  op.sim.control.advance(60);
  const ready = await op.sync('atlasproject', p, [keys]);
  const c = conditionsOf(p);
  t.equal(c.Ready!.status, 'True', 'Ready is not held by fields we do not manage');
  t.match(c.FieldsManaged, { status: 'Unknown', reason: 'NotSupportedByThisOperator', message: /^spec\.maintenanceWindow: kept as given but not managed by this operator/ });
  const writes = op.writes();
  const again = await op.sync('atlasproject', p, [keys]);
  t.equal(op.writes(), writes, 'no writes on the next sync');
  t.equal(again.text, ready.text, 'byte-identical answers');
  t.notOk(Object.keys(op.sim.control.requestCounts()).some((route) => /maintenanceWindow/.test(route)), 'the maintenance window is never touched in Atlas');

  delete p.spec.maintenanceWindow;
  p.metadata.generation = 2;
  await op.sync('atlasproject', p, [keys]);
  t.notOk(conditionsOf(p).FieldsManaged, 'the condition goes with the fields');
  t.equal(conditionsOf(p).Ready!.status, 'True');
});

