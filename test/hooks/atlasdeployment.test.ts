/** AtlasDeployment through real HTTP against the simulator, its clock advanced by hand. */
import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj, type Operator } from '../helpers/operator.js';

const LABEL = { 'atlas.mongodb.com/type': 'credentials' };

function project(): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
    spec: { name: 'Deployment Project', connectionSecretRef: { name: 'atlas-keys' } },
  };
}

const awsRegion = (extra: Obj = {}): Obj => ({ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 }, ...extra });

function deployment(deploymentSpec: Obj = {}, metadata: Obj = {}, spec: Obj = {}): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDeployment',
    metadata: { name: 'my-deployment', namespace: 'team-a', uid: 'uid-d', generation: 1, ...metadata },
    spec: {
      projectRef: { name: 'my-project' },
      deploymentSpec: { name: 'test-deployment', clusterType: 'REPLICASET', terminationProtectionEnabled: false, replicationSpecs: [{ zoneName: 'Zone 1', regionConfigs: [awsRegion()] }], ...deploymentSpec },
      ...spec,
    },
  };
}

async function world(t: Test, provisionSeconds = 600) {
  const op = await startOperator(t, { provisionSeconds });
  const keys = secret('team-a', 'atlas-keys', demoCredentials, LABEL);
  const p = project();
  await op.sync('atlasproject', p, [keys]);
  const objects = [keys, p];
  const related = async (d: Obj) => Object.values(relatedFor((await op.customize('atlasdeployment', d)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const sync = async (d: Obj) => op.sync('atlasdeployment', d, await related(d));
  const finalize = async (d: Obj) => op.finalize('atlasdeployment', d, await related(d));
  return { op, p, keys, sync, finalize, groupId: p.status.id as string };
}

function inAtlas(op: Operator, groupId: string, name = 'test-deployment') {
  return op.sim.control.store.clustersOf(groupId).get(name)!;
}

t.test('create → DeploymentCreating → Ready with connection strings; a resize → DeploymentUpdating → Ready', async (t) => {
  const { op, sync, groupId } = await world(t);
  const d = deployment();
  const first = await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DeploymentCreating', message: 'deployment is provisioning' });
  t.match(conditionsOf(d).Ready, { status: 'False', reason: 'DeploymentCreating' });
  t.equal(d.status.stateName, 'CREATING');
  t.equal(first.resyncAfterSeconds, 10);
  op.sim.control.advance(600);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.equal(conditionsOf(d).DeploymentReady!.status, 'True');
  t.match(d.status, { stateName: 'IDLE', connectionStrings: { standardSrv: /^mongodb\+srv:\/\/test-deployment\./ } });
  t.notOk(conditionsOf(d).FieldsManaged, 'every field set is managed');

  d.spec.deploymentSpec.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize = 'M20';
  d.metadata.generation = 2;
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DeploymentUpdating', message: 'updating replicationSpecs' });
  op.sim.control.advance(600);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.same(inAtlas(op, groupId).doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize, 'M20');
});

t.test('steady state writes nothing, the answer is byte-identical; drift in Atlas is put back', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const d = deployment({ backupEnabled: true, mongoDBMajorVersion: '7.0', tags: [{ key: 'team', value: 'atlas-operator' }], labels: [{ key: 'env', value: 'test' }] });
  await sync(d);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  const writes = op.writes();
  const a = await sync(d);
  const b = await sync(d);
  t.equal(op.writes(), writes, 'no writes at steady state');
  t.equal(a.text, b.text);
  const cluster = inAtlas(op, groupId);
  cluster.doc.tags = [];
  cluster.doc.backupEnabled = false;
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { reason: 'DeploymentUpdating', message: 'updating backupEnabled, tags' });
  t.same(inAtlas(op, groupId).doc.tags, [{ key: 'team', value: 'atlas-operator' }]);
  t.equal(inAtlas(op, groupId).doc.backupEnabled, true);
});

t.test('the shapes settle: shared tier, sharded (numShards), multi-region with read-only and analytics nodes', async (t) => {
  const shapes: Record<string, Obj> = {
    'shared tier': { name: 'free', replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }] },
    sharded: { name: 'sharded', clusterType: 'SHARDED', diskSizeGB: 40, replicationSpecs: [{ numShards: 2, zoneName: 'Zone 1', regionConfigs: [awsRegion()] }] },
    'multi-region': {
      name: 'multi',
      replicationSpecs: [
        {
          regionConfigs: [
            awsRegion({ regionName: 'US_WEST_2', priority: 6, electableSpecs: { instanceSize: 'M10', nodeCount: 2 } }),
            awsRegion({ readOnlySpecs: { instanceSize: 'M10', nodeCount: 1 }, analyticsSpecs: { instanceSize: 'M10', nodeCount: 1 } }),
          ],
        },
      ],
    },
  };
  for (const [shape, spec] of Object.entries(shapes)) {
    const { op, sync, groupId } = await world(t, 0);
    const d = deployment({ clusterType: undefined, ...spec });
    await sync(d);
    await sync(d);
    t.equal(conditionsOf(d).Ready!.status, 'True', `${shape}: Ready`);
    const writes = op.writes();
    await sync(d);
    t.equal(op.writes(), writes, `${shape}: no writes once settled`);
    if (shape === 'sharded') {
      const doc = inAtlas(op, groupId, 'sharded').doc;
      t.equal(doc.replicationSpecs.length, 2, 'two shards');
      t.equal(doc.clusterType, 'SHARDED');
      t.equal(doc.replicationSpecs[1]!.regionConfigs[0]!.electableSpecs.diskSizeGB, 40, 'diskSizeGB on every node');
    }
    if (shape === 'multi-region') {
      const regions = inAtlas(op, groupId, 'multi').doc.replicationSpecs[0]!.regionConfigs;
      t.same(regions.map((r) => `${r.regionName}:${r.priority}:${r.electableSpecs.nodeCount}/${r.readOnlySpecs.nodeCount}/${r.analyticsSpecs.nodeCount}`), ['US_EAST_1:7:3/1/1', 'US_WEST_2:6:2/0/0'], 'highest priority first');
    }
  }
});

t.test('autoscaling is never fought: a size and a disk Atlas chose are left alone', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const d = deployment({ replicationSpecs: [{ regionConfigs: [awsRegion({ autoScaling: { compute: { enabled: true, scaleDownEnabled: true, minInstanceSize: 'M10', maxInstanceSize: 'M40' }, diskGB: { enabled: true } } })] }] });
  await sync(d);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  const region = inAtlas(op, groupId).doc.replicationSpecs[0]!.regionConfigs[0]!;
  for (const hw of ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs']) {
    region[hw].instanceSize = 'M30';
    region[hw].diskSizeGB = 80;
  }
  const writes = op.writes();
  await sync(d);
  t.equal(op.writes(), writes, 'no PATCH');
  t.equal(conditionsOf(d).Ready!.status, 'True');
});

t.test('pause goes alone and first, then the rest', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const d = deployment();
  await sync(d);
  d.spec.deploymentSpec.paused = true;
  d.spec.deploymentSpec.mongoDBMajorVersion = '7.0';
  await sync(d);
  t.equal(inAtlas(op, groupId).doc.paused, true);
  t.equal(inAtlas(op, groupId).doc.mongoDBMajorVersion, '8.0', 'the version waits for the next sync');
  t.equal(conditionsOf(d).DeploymentReady!.message, 'updating paused');
});

t.test('termination protection: the finalizer stays with AtlasDeletionProtection; turned off in the spec, it is lifted, then the deployment deleted', async (t) => {
  const { op, sync, finalize, groupId } = await world(t, 0);
  const d = deployment({ terminationProtectionEnabled: true });
  await sync(d);
  await sync(d);
  t.equal(inAtlas(op, groupId).doc.terminationProtectionEnabled, true);
  const held = await finalize(d);
  t.equal(held.finalized, false);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'AtlasDeletionProtection', message: /termination protection is enabled for the deployment test-deployment in Atlas, so it is not deleted; set spec\.deploymentSpec\.terminationProtectionEnabled to false/ });
  t.match(conditionsOf(d).DeploymentReady!.message, /mongodb\.com\/atlas-resource-policy/, 'says how to release it without deleting');
  t.ok(inAtlas(op, groupId), 'still in Atlas');

  d.spec.deploymentSpec.terminationProtectionEnabled = false;
  t.equal((await finalize(d)).finalized, false, 'protection lifted first');
  t.equal(inAtlas(op, groupId).doc.terminationProtectionEnabled, false);
  let answer = await finalize(d);
  for (let i = 0; i < 5 && !answer.finalized; i++) answer = await finalize(d);
  t.equal(answer.finalized, true, 'deleted, and confirmed gone');
  t.notOk(op.sim.control.store.clustersOf(groupId).get('test-deployment'));
});

t.test('delete: DELETING, then finalized once Atlas says it is gone; keep leaves it', async (t) => {
  const { op, sync, finalize, groupId } = await world(t, 300);
  const d = deployment();
  await sync(d);
  op.sim.control.advance(300);
  await sync(d);
  t.equal((await finalize(d)).finalized, false);
  t.equal(inAtlas(op, groupId).phase, 'DELETING');
  op.sim.control.advance(300);
  t.equal((await finalize(d)).finalized, true);

  const kept = deployment({ name: 'kept-deployment' }, { name: 'kept', annotations: { 'mongodb.com/atlas-resource-policy': 'keep' } });
  await sync(kept);
  t.equal((await finalize(kept)).finalized, true);
  t.ok(op.sim.control.store.clustersOf(groupId).get('kept-deployment'), 'the Atlas cluster stays');
});

t.test('fields not managed yet are kept and reported; serverless is left alone in Atlas', async (t) => {
  const { op, sync, finalize } = await world(t, 0);
  const d = deployment({ searchNodes: [{ instanceSize: 'S20_HIGHCPU_NVME', nodeCount: 2 }] });
  d.spec.deploymentSpec.customZoneMapping = [{ location: 'US', zone: 'Zone 1' }];
  await sync(d);
  t.match(conditionsOf(d).FieldsManaged, { status: 'Unknown', reason: 'NotSupportedByThisOperator', message: /^spec\.deploymentSpec\.searchNodes, spec\.deploymentSpec\.customZoneMapping: kept as given but not managed/ });
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True', 'an unmanaged field does not hold Ready');

  const writes = op.writes();
  const serverless = deployment(undefined, { name: 'serverless', uid: 'uid-s' });
  delete serverless.spec.deploymentSpec;
  serverless.spec.serverlessSpec = { name: 'sls', providerSettings: { providerName: 'SERVERLESS', backingProviderName: 'AWS', regionName: 'US_EAST_1' } };
  await sync(serverless);
  t.match(conditionsOf(serverless).ValidationSucceeded, { status: 'False', reason: 'AtlasUnsupportedFeature', message: /^spec\.serverlessSpec is not managed by this operator/ });
  const removal = await finalize(serverless);
  t.equal(removal.finalized, false, 'nothing is deleted for it either: the user decides');
  t.equal(op.writes(), writes, 'no Atlas write for it');
});

t.test('an invalid spec names the field and sends nothing', async (t) => {
  const { op, sync } = await world(t, 0);
  const writes = op.writes();
  const cases: Array<[Obj, string]> = [
    [{ replicationSpecs: [] }, 'spec.deploymentSpec.replicationSpecs must list at least one replication spec'],
    [{ replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }] }, 'spec.deploymentSpec.replicationSpecs[0].regionConfigs[0].backingProviderName is required when providerName is TENANT'],
    [{ replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1' }] }] }, 'spec.deploymentSpec.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize is required'],
  ];
  for (const [spec, message] of cases) {
    const d = deployment(spec);
    await sync(d);
    t.match(conditionsOf(d).ValidationSucceeded, { status: 'False', reason: 'DeploymentSpecInvalid', message });
  }
  t.equal(op.writes(), writes);
});

t.test('Atlas errors show with the official reasons', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/clusters', method: 'POST', kind: 'error', status: 503, count: 1 });
  const d = deployment();
  const res = await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DeploymentNotCreatedInAtlas', message: /503 \(request "SERVICE_UNAVAILABLE"\)/ });
  t.equal(res.resyncAfterSeconds, 30);
  await sync(d);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  inAtlas(op, groupId).doc.paused = true;
  d.spec.deploymentSpec.mongoDBMajorVersion = '7.0';
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { reason: 'DeploymentNotUpdatedInAtlas', message: /409 \(request "CANNOT_UPDATE_PAUSED_CLUSTER"\)/ });
});

function flexDeployment(flexSpec: Obj = {}, metadata: Obj = {}): Obj {
  const d = deployment({}, { name: 'my-flex', uid: 'uid-flex', ...metadata });
  delete d.spec.deploymentSpec;
  d.spec.flexSpec = { name: 'flex-deployment', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' }, terminationProtectionEnabled: false, ...flexSpec };
  return d;
}

t.test('flex: created through the flex API, Ready with connection strings, tags kept as the spec says, then no writes', async (t) => {
  const { op, sync, groupId } = await world(t, 300);
  const d = flexDeployment({ tags: [{ key: 'team', value: 'a' }] });
  const first = await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DeploymentCreating', message: 'flex deployment is provisioning' });
  t.equal(first.resyncAfterSeconds, 10);
  const stored = op.sim.control.store.clustersOf(groupId).get('flex-deployment')!;
  t.same(stored.flex, { backingProviderName: 'AWS', regionName: 'US_EAST_1' }, 'a flex cluster, not a dedicated one');
  op.sim.control.advance(300);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.match(d.status, { stateName: 'IDLE', mongoDBVersion: /^8\.0\./, connectionStrings: { standardSrv: /^mongodb\+srv:\/\/flex-deployment\./ } });
  const writes = op.writes();
  const a = await sync(d);
  t.equal((await sync(d)).text, a.text, 'byte-identical');
  t.equal(op.writes(), writes, 'no writes at steady state');
  stored.doc.tags = [];
  await sync(d);
  t.same(op.sim.control.store.clustersOf(groupId).get('flex-deployment')!.doc.tags, [{ key: 'team', value: 'a' }], 'tags put back');
  t.equal(op.writes(), writes + 1, 'one PATCH');
});

t.test('flex: termination protection holds the finalizer; lifted by the spec, the flex cluster is deleted and confirmed gone', async (t) => {
  const { op, sync, finalize, groupId } = await world(t, 0);
  const d = flexDeployment({ terminationProtectionEnabled: true });
  await sync(d);
  await sync(d);
  t.equal((await finalize(d)).finalized, false);
  t.match(conditionsOf(d).DeploymentReady, { reason: 'AtlasDeletionProtection', message: /set spec\.flexSpec\.terminationProtectionEnabled to false/ });
  d.spec.flexSpec.terminationProtectionEnabled = false;
  let answer = await finalize(d);
  for (let i = 0; i < 5 && !answer.finalized; i++) answer = await finalize(d);
  t.equal(answer.finalized, true);
  t.notOk(op.sim.control.store.clustersOf(groupId).get('flex-deployment'), 'gone from Atlas');
});

t.test("a user of the project gets a connection Secret for a flex deployment, and reads flex clusters only when one is declared", async (t) => {
  const { op, p, keys, sync } = await world(t, 0);
  const d = flexDeployment();
  await sync(d);
  await sync(d);
  const password = secret('team-a', 'pw', { password: 'a-long-password' });
  const user: Obj = {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDatabaseUser',
    metadata: { name: 'u', namespace: 'team-a', uid: 'uid-u', generation: 1 },
    spec: { projectRef: { name: 'my-project' }, username: 'david', databaseName: 'admin', passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }] },
  };
  const syncUser = async (objects: Obj[], children: Obj[] = []) =>
    op.sync('atlasdatabaseuser', user, Object.values(relatedFor((await op.customize('atlasdatabaseuser', user)).relatedResources, objects as any)).flatMap((m) => Object.values(m)), children);
  const first = await syncUser([keys, p, password, d]);
  const second = await syncUser([keys, p, password, d], first.children);
  t.equal(conditionsOf(user).Ready!.status, 'True');
  t.same(second.children.map((s: Obj) => s.metadata.name), ['deployment-project-flex-deployment-david']);
  const flexReads = () => op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/flexClusters']?.authenticated ?? 0;
  const before = flexReads();
  await syncUser([keys, p, password], second.children);
  t.equal(flexReads(), before, 'no flex list when no AtlasDeployment declares a flex cluster');
});

t.test('processArgs: the options the spec sets reach Atlas, drift is put back, then no writes', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const d = deployment({}, {}, { processArgs: { javascriptEnabled: false, oplogMinRetentionHours: '24', defaultReadConcern: 'local', minimumEnabledTlsProtocol: 'TLS1_2' } });
  await sync(d);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.notOk(conditionsOf(d).FieldsManaged, 'processArgs is managed');
  const stored = () => op.sim.control.store.clustersOf(groupId).get('test-deployment')!.processArgs;
  t.same(stored(), { javascriptEnabled: false, oplogMinRetentionHours: 24, defaultReadConcern: 'local' }, 'only what differs from Atlas is sent; the hours as a number');
  const writes = op.writes();
  await sync(d);
  t.equal(op.writes(), writes, 'steady: no writes');
  stored()!.javascriptEnabled = true;
  await sync(d);
  t.equal(stored()!.javascriptEnabled, false, 'put back');

  const bad = deployment({ name: 'bad' }, { name: 'bad', uid: 'uid-bad' }, { processArgs: { oplogMinRetentionHours: 'a day' } });
  await sync(bad);
  t.match(conditionsOf(bad).ValidationSucceeded, { status: 'False', reason: 'DeploymentSpecInvalid', message: 'spec.processArgs.oplogMinRetentionHours: "a day" is not a number of hours' });
});

t.test('flex → dedicated: only with upgradeToDedicated, then DedicatedMigrationProgressing, then the dedicated spec, Ready', async (t) => {
  const { op, sync, groupId } = await world(t, 300);
  const d = flexDeployment();
  await sync(d);
  op.sim.control.advance(300);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True', 'a flex deployment first');

  delete d.spec.flexSpec;
  d.spec.deploymentSpec = { name: 'flex-deployment', clusterType: 'REPLICASET', terminationProtectionEnabled: false, replicationSpecs: [{ regionConfigs: [awsRegion()] }] };
  d.metadata.generation = 2;
  const writes = op.writes();
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DeploymentNotUpdatedInAtlas', message: 'the Atlas cluster flex-deployment is a flex cluster: set spec.upgradeToDedicated: true to upgrade it to spec.deploymentSpec' });
  t.equal(op.writes(), writes, 'not without being asked');

  d.spec.upgradeToDedicated = true;
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'DedicatedMigrationProgressing' });
  const stored = op.sim.control.store.clustersOf(groupId).get('flex-deployment')!;
  t.notOk(stored.flex, 'Atlas upgrades it');
  t.equal(stored.doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize, 'M10');
  await sync(d);
  t.match(conditionsOf(d).DeploymentReady, { reason: 'DeploymentUpdating' }, 'then a dedicated cluster updating');
  op.sim.control.advance(300);
  await sync(d);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.notOk(conditionsOf(d).FieldsManaged);
  const settled = op.writes();
  await sync(d);
  t.equal(op.writes(), settled, 'then no writes');
});
