/** AtlasDeployment's backupRef, AtlasBackupSchedule and AtlasBackupPolicy, through real HTTP against the simulator. */
import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const LABEL = { 'atlas.mongodb.com/type': 'credentials' };
const meta = (name: string) => ({ name, namespace: 'team-a', uid: `uid-${name}`, generation: 1 });

const project = (): Obj => ({ apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: meta('my-project'), spec: { name: 'Backup Project', connectionSecretRef: { name: 'atlas-keys' } } });
const policy = (items: Obj[] = [{ frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 7 }]): Obj => ({ apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasBackupPolicy', metadata: meta('policy'), spec: { items } });
const schedule = (extra: Obj = {}): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasBackupSchedule',
  metadata: meta('schedule'),
  spec: { policy: { name: 'policy' }, referenceHourOfDay: 3, referenceMinuteOfHour: 30, restoreWindowDays: 5, autoExportEnabled: false, ...extra },
});
const deployment = (): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasDeployment',
  metadata: meta('deployment'),
  spec: {
    projectRef: { name: 'my-project' },
    backupRef: { name: 'schedule' },
    deploymentSpec: {
      name: 'backed-up',
      backupEnabled: true,
      terminationProtectionEnabled: false,
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    },
  },
});

async function world(t: Test) {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('team-a', 'atlas-keys', demoCredentials, LABEL);
  const p = project();
  await op.sync('atlasproject', p, [keys]);
  const objects: Obj[] = [keys, p];
  const related = async (route: string, o: Obj) => Object.values(relatedFor((await op.customize(route, o)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const sync = async (route: string, o: Obj) => op.sync(route, o, await related(route, o));
  const finalize = async (route: string, o: Obj) => op.finalize(route, o, await related(route, o));
  const inAtlas = () => op.sim.control.store.clustersOf(p.status.id).get('backed-up')?.backupSchedule;
  return { op, objects, sync, finalize, inAtlas };
}

t.test("the schedule and its policy become the cluster's backup schedule; a policy change reaches every deployment that uses it", async (t) => {
  const { op, objects, sync, inAtlas } = await world(t);
  const [pol, sch, dep] = [policy(), schedule({ copySettings: [{ cloudProvider: 'AWS', regionName: 'US_WEST_1', shouldCopyOplogs: false, frequencies: ['WEEKLY'] }] }), deployment()];
  objects.push(pol, sch, dep);
  const rules = (await op.customize('atlasdeployment', dep)).relatedResources;
  t.match(rules, [{}, {}, {}, { resource: 'atlasbackupschedules', namespace: 'team-a', names: ['schedule'] }, { resource: 'atlasbackuppolicies' }], 'the schedule and the policies are related objects: a change to either re-syncs the deployment');
  await sync('atlasdeployment', dep);
  await sync('atlasdeployment', dep);
  t.equal(conditionsOf(dep).Ready!.status, 'True');
  t.match(inAtlas(), { referenceHourOfDay: 3, referenceMinuteOfHour: 30, restoreWindowDays: 5, copySettings: [{ regionName: 'US_WEST_1', frequencies: ['WEEKLY'], zoneId: /^[a-f0-9]{24}$/ }] });
  t.same(inAtlas()!.policies[0].policyItems.map((i: Obj) => `${i.frequencyType}/${i.frequencyInterval}/${i.retentionValue}${i.retentionUnit}`), ['daily/1/7days'], "the policy's items replace Atlas's default ones");
  const writes = op.writes();
  await sync('atlasdeployment', dep);
  t.equal(op.writes(), writes, 'steady: no writes');

  pol.spec.items = [...pol.spec.items, { frequencyType: 'weekly', frequencyInterval: 7, retentionUnit: 'weeks', retentionValue: 4 }];
  await sync('atlasdeployment', dep);
  t.same(inAtlas()!.policies[0].policyItems.map((i: Obj) => i.frequencyType), ['daily', 'weekly'], 'the policy change is in Atlas after one sync');
  t.equal(op.writes(), writes + 1, 'one PATCH');

  inAtlas()!.restoreWindowDays = 1; // changed in the Atlas UI
  await sync('atlasdeployment', dep);
  t.equal(inAtlas()!.restoreWindowDays, 5, 'drift put back');

  await sync('atlasbackupschedule', sch);
  await sync('atlasbackuppolicy', pol);
  t.same(sch.status.deploymentID, ['team-a/deployment']);
  t.same(pol.status.backupScheduleIDs, ['team-a/schedule']);
  t.equal(conditionsOf(pol).Ready!.status, 'True');
});

t.test('a missing schedule or policy is said, and nothing is written for it', async (t) => {
  const { op, objects, sync } = await world(t);
  const dep = deployment();
  objects.push(dep);
  await sync('atlasdeployment', dep);
  const writes = op.writes();
  const answer = await sync('atlasdeployment', dep);
  t.match(conditionsOf(dep).DeploymentReady, { status: 'False', reason: 'BackupScheduleNotFound', message: 'AtlasBackupSchedule team-a/schedule not found' });
  t.equal(answer.resyncAfterSeconds, 10);
  objects.push(schedule());
  await sync('atlasdeployment', dep);
  t.match(conditionsOf(dep).DeploymentReady, { reason: 'BackupPolicyNotFound', message: 'AtlasBackupPolicy team-a/policy not found (the policy of AtlasBackupSchedule team-a/schedule)' });
  t.equal(op.writes(), writes);
  objects.push(policy());
  await sync('atlasdeployment', dep);
  t.equal(conditionsOf(dep).Ready!.status, 'True');
});

t.test('backupRef needs backups on, and is not for flex clusters', async (t) => {
  const { objects, sync } = await world(t);
  const off = deployment();
  off.spec.deploymentSpec.backupEnabled = false;
  objects.push(off);
  await sync('atlasdeployment', off);
  t.match(conditionsOf(off).ValidationSucceeded, { status: 'False', reason: 'DeploymentSpecInvalid', message: 'spec.backupRef needs spec.deploymentSpec.backupEnabled: true' });
  const flex = deployment();
  delete flex.spec.deploymentSpec;
  flex.spec.flexSpec = { name: 'f', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } };
  await sync('atlasdeployment', flex);
  t.match(conditionsOf(flex).ValidationSucceeded, { status: 'False', message: 'spec.backupRef applies to spec.deploymentSpec only: Atlas backs flex clusters up itself' });
});

t.test('a schedule or policy in use keeps its finalizer, saying who uses it; once unused it goes', async (t) => {
  const { objects, sync, finalize } = await world(t);
  const [pol, sch, dep] = [policy(), schedule(), deployment()];
  objects.push(pol, sch, dep);
  await sync('atlasdeployment', dep);
  const held = await finalize('atlasbackupschedule', sch);
  t.equal(held.finalized, false);
  t.match(conditionsOf(sch).BackupScheduleReady, { status: 'False', reason: 'AtlasFinalizerNotRemoved', message: 'in use by AtlasDeployment team-a/deployment: it is deleted once none references it' });
  t.equal((await finalize('atlasbackuppolicy', pol)).finalized, false, 'the policy is in use by the schedule');
  objects.splice(objects.indexOf(dep), 1);
  t.equal((await finalize('atlasbackupschedule', sch)).finalized, true);
  objects.splice(objects.indexOf(sch), 1);
  t.equal((await finalize('atlasbackuppolicy', pol)).finalized, true);
});

t.test('an invalid schedule is reported', async (t) => {
  const { sync } = await world(t);
  const sch = schedule({ referenceHourOfDay: 30 });
  await sync('atlasbackupschedule', sch);
  t.match(conditionsOf(sch).ValidationSucceeded, { status: 'False', reason: 'BackupScheduleInvalidSpec', message: /^spec\.referenceHourOfDay/ });
  t.equal(conditionsOf(sch).Ready!.status, 'False');
});
