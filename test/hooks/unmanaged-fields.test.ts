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

t.test("a v0.8 AtlasCluster (clusterSpec or advancedClusterSpec) is kept, reported and never touched in Atlas, nor deleted there", async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('team-a', 'keys', demoCredentials);
  const p: Obj = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: { name: 'p', namespace: 'team-a', uid: 'uid-p', generation: 1 }, spec: { name: 'P', connectionSecretRef: { name: 'keys' } } };
  await op.sync('atlasproject', p, [keys]);
  const writes = op.writes();
  for (const shape of ['clusterSpec', 'advancedClusterSpec']) {
    const c: Obj = {
      apiVersion: 'atlas.mongodb.com/v1',
      kind: 'AtlasCluster',
      metadata: { name: `v08-${shape.toLowerCase()}`, namespace: 'team-a', uid: `uid-${shape}`, generation: 1 },
      spec: { projectRef: { name: 'p' }, [shape]: { name: 'legacy', clusterType: 'REPLICASET' } },
    };
    await op.sync('atlascluster', c, [keys, p]);
    t.match(conditionsOf(c).ValidationSucceeded, { status: 'False', reason: 'AtlasUnsupportedFeature', message: /not managed by this operator yet, so this cluster is left as it is in Atlas/ }, shape);
    t.match(conditionsOf(c).FieldsManaged, { status: 'Unknown', message: new RegExp(`^spec\\.${shape}:`) });
    await op.finalize('atlascluster', c, [keys, p]);
    const deleting = await op.finalize('atlascluster', c, [keys, p]);
    t.equal(deleting.finalized, false, 'not deleted in Atlas, so not finalized either');
    t.match(conditionsOf(c).ClusterReady!.message, /and not deleted there; add the annotation mongodb.com\/atlas-resource-policy: keep/);
    c.metadata.annotations = { 'mongodb.com/atlas-resource-policy': 'keep' };
    t.equal((await op.finalize('atlascluster', c, [keys, p])).finalized, true, 'keep releases it');
  }
  t.equal(op.writes(), writes, 'nothing was written to Atlas for them');
});
