import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj, type Operator } from '../helpers/operator.js';

const LABEL = { 'atlas.mongodb.com/type': 'credentials' };

function project(): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
    spec: { name: 'Cluster Project', connectionSecretRef: { name: 'atlas-keys' } },
  };
}

function cluster(spec: Obj = {}, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasCluster',
    metadata: { name: 'my-cluster', namespace: 'team-a', uid: 'uid-c', generation: 1, ...metadata },
    spec: { name: 'test-cluster', projectRef: { name: 'my-project' }, providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' }, ...spec },
  };
}

/** Everything in the "cluster": the labelled credentials, the project. */
async function world(t: Test, provisionSeconds = 600, keys: Obj = secret('team-a', 'atlas-keys', demoCredentials, LABEL)) {
  const op = await startOperator(t, { provisionSeconds });
  const p = project();
  await op.sync('atlasproject', p, [keys]);
  const objects = [keys, p];
  const sync = async (c: Obj) => op.sync('atlascluster', c, Object.values(relatedFor((await op.customize('atlascluster', c)).relatedResources, objects as any)).flatMap((m) => Object.values(m)));
  const finalize = async (c: Obj) => op.finalize('atlascluster', c, Object.values(relatedFor((await op.customize('atlascluster', c)).relatedResources, objects as any)).flatMap((m) => Object.values(m)));
  return { op, p, sync, finalize, groupId: p.status.id as string };
}

function atlasCluster(op: Operator, groupId: string) {
  return op.sim.control.store.clustersOf(groupId).get('test-cluster')!;
}

t.test('create → CREATING → IDLE with connection strings; a spec change → UPDATING → IDLE', async (t) => {
  const { op, sync } = await world(t);
  const c = cluster();
  const first = await sync(c);
  t.match(conditionsOf(c).ClusterReady, { status: 'False', reason: 'ClusterCreating' });
  t.equal(c.status.stateName, 'CREATING');
  t.equal(first.resyncAfterSeconds, 10, 'early on, look again soon');
  op.sim.control.advance(600);
  await sync(c);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  t.match(c.status, { stateName: 'IDLE', mongoDBVersion: '8.0.29' });
  t.match(c.status.connectionStrings.standardSrv, /^mongodb\+srv:\/\/test-cluster\./);
  t.match(c.status.connectionStrings.standard, /^mongodb:\/\//);
  t.match(c.status.mongoURIUpdated, /^\d{4}-\d\d-\d\dT/);

  c.spec.providerSettings.instanceSizeName = 'M20';
  c.metadata.generation = 2;
  await sync(c);
  t.match(conditionsOf(c).ClusterReady, { status: 'False', reason: 'ClusterUpdating', message: 'updating replicationSpecs' });
  op.sim.control.advance(600);
  await sync(c);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  t.same(op.sim.control.state().projects[0]!.clusters[0]!.instanceSizes, ['M20']);
});

t.test('steady state writes nothing; drift made behind our back is put back', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const c = cluster();
  await sync(c);
  await sync(c);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  const writes = op.writes();
  const a = await sync(c);
  const b = await sync(c);
  t.equal(op.writes(), writes, 'no writes at steady state');
  t.equal(a.text, b.text);
  atlasCluster(op, groupId).doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize = 'M40';
  await sync(c);
  t.equal(conditionsOf(c).ClusterReady!.reason, 'ClusterUpdating');
  t.same(op.sim.control.state().projects[0]!.clusters[0]!.instanceSizes, ['M10'], 'reverted');
});

t.test('compute autoscaling: a size Atlas chose is left alone', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  const c = cluster({ autoScaling: { diskGBEnabled: true, compute: { enabled: true, scaleDownEnabled: true, minInstanceSize: 'M10', maxInstanceSize: 'M40' } } });
  await sync(c);
  await sync(c);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  const region = atlasCluster(op, groupId).doc.replicationSpecs[0]!.regionConfigs[0]!;
  for (const hw of ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs']) {
    region[hw].instanceSize = 'M30';
    region[hw].diskSizeGB = 80;
  }
  const writes = op.writes();
  await sync(c);
  t.equal(op.writes(), writes, 'no PATCH');
  t.equal(conditionsOf(c).Ready!.status, 'True');
});

t.test('pause goes alone and first', async (t) => {
  const { op, sync } = await world(t, 0);
  const c = cluster();
  await sync(c);
  c.spec.paused = true;
  c.spec.mongoDBMajorVersion = '7.0';
  await sync(c);
  t.equal(op.sim.control.state().projects[0]!.clusters[0]!.paused, true);
  t.equal(conditionsOf(c).ClusterReady!.message, 'updating paused');
});

t.test('the project must exist and carry an Atlas id', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const c = cluster();
  const res = await op.sync('atlascluster', c, []);
  t.match(conditionsOf(c).ClusterReady, { status: 'False', reason: 'ProjectNotFound', message: 'AtlasProject team-a/my-project not found' });
  t.equal(res.resyncAfterSeconds, 10);
  await op.sync('atlascluster', c, [project()]);
  t.match(conditionsOf(c).ClusterReady, { reason: 'ProjectNotReady', message: 'AtlasProject team-a/my-project has no Atlas project id yet' });
  t.equal(op.writes(), 0);
});

t.test('an unlabelled credentials Secret works, as in the official v0.5.0 quick start', async (t) => {
  const { sync } = await world(t, 0, secret('team-a', 'atlas-keys', demoCredentials));
  const c = cluster();
  await sync(c);
  t.match(conditionsOf(c).ClusterReady, { status: 'False', reason: 'ClusterCreating' });
});

t.test('connection Secrets are not related to clusters, so writing one re-syncs none', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const rules = (await op.customize('atlascluster', cluster())).relatedResources;
  const connection = secret('team-a', 'p-c-david', { password: 'x' }, { 'atlas.mongodb.com/cluster-name': 'c', ...LABEL });
  const credentials = secret('team-a', 'atlas-keys', demoCredentials);
  const related = relatedFor(rules, [connection, credentials] as any)['Secret.v1'] ?? {};
  t.same(Object.keys(related), ['team-a/atlas-keys']);
});

t.test('an invalid spec is reported and nothing is sent', async (t) => {
  const { op, sync } = await world(t, 0);
  const writes = op.writes();
  const c = cluster({ providerSettings: { instanceSizeName: 'M0', providerName: 'TENANT', regionName: 'US_EAST_1' } });
  await sync(c);
  t.match(conditionsOf(c).ValidationSucceeded, { status: 'False', reason: 'ClusterSpecInvalid', message: 'spec.providerSettings.backingProviderName is required when providerName is TENANT' });
  t.equal(op.writes(), writes);
});

t.test('delete: DELETING, then finalized only once Atlas says it is gone; keep leaves it', async (t) => {
  const { op, sync, finalize, groupId } = await world(t, 300);
  const c = cluster();
  await sync(c);
  op.sim.control.advance(300);
  await sync(c);
  const first = await finalize(c);
  t.equal(first.finalized, false);
  t.equal(conditionsOf(c).ClusterReady!.reason, 'ClusterDeleting');
  t.equal(atlasCluster(op, groupId).phase, 'DELETING');
  const second = await finalize(c);
  t.equal(second.finalized, false, 'still DELETING');
  op.sim.control.advance(300);
  t.equal((await finalize(c)).finalized, true, 'CLUSTER_NOT_FOUND');

  const kept = cluster({ name: 'kept-cluster' }, { name: 'kept', annotations: { 'mongodb.com/atlas-resource-policy': 'keep' } });
  await sync(kept);
  t.equal((await finalize(kept)).finalized, true);
  t.ok(op.sim.control.store.clustersOf(groupId).get('kept-cluster'), 'the Atlas cluster stays');
});

t.test('Atlas errors show with the Atlas message', async (t) => {
  const { op, sync, groupId } = await world(t, 0);
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/clusters', method: 'POST', kind: 'error', status: 503, count: 1 });
  const c = cluster();
  const res = await sync(c);
  t.match(conditionsOf(c).ClusterReady, { status: 'False', reason: 'ClusterNotCreatedInAtlas', message: /POST .*\/clusters: 503 \(request "SERVICE_UNAVAILABLE"\)/ });
  t.equal(res.resyncAfterSeconds, 30);
  await sync(c);
  t.equal(conditionsOf(c).ClusterReady!.reason, 'ClusterCreating', 'created on the next sync');
  await sync(c);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  atlasCluster(op, groupId).doc.paused = true; // paused in the Atlas UI
  c.spec.providerSettings.instanceSizeName = 'M20';
  await sync(c);
  t.match(conditionsOf(c).ClusterReady, { reason: 'ClusterNotUpdatedInAtlas', message: /409 \(request "CANNOT_UPDATE_PAUSED_CLUSTER"\)/ });
});

t.test('every translated shape settles: Ready, then no writes', async (t) => {
  const shapes: Record<string, Obj> = {
    'shared tier': { name: 'free', providerSettings: { instanceSizeName: 'M0', providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1' } },
    'multi-region': {
      name: 'multi',
      providerSettings: { instanceSizeName: 'M10', providerName: 'GCP' },
      replicationSpecs: [{ zoneName: 'Zone 1', regionsConfig: { WESTERN_EUROPE: { electableNodes: 2, priority: 6 }, CENTRAL_US: { electableNodes: 3, priority: 7, readOnlyNodes: 1 } } }],
    },
    sharded: { name: 'sharded', numShards: 2, diskSizeGB: 20 },
  };
  for (const [shape, spec] of Object.entries(shapes)) {
    const { op, sync } = await world(t, 0);
    const c = cluster(spec);
    await sync(c);
    await sync(c);
    t.equal(conditionsOf(c).Ready!.status, 'True', `${shape}: Ready`);
    const writes = op.writes();
    await sync(c);
    await sync(c);
    t.equal(op.writes(), writes, `${shape}: no writes once settled`);
  }
});

t.test("v0.8's clusterSpec and advancedClusterSpec are managed like the seed-era shape: created, Ready, then no writes, then deleted", async (t) => {
  const shapes: Record<string, Obj> = {
    clusterSpec: { clusterSpec: { name: 'v08-legacy', providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' }, mongoDBMajorVersion: '7.0' } },
    advancedClusterSpec: {
      advancedClusterSpec: {
        name: 'v08-advanced',
        clusterType: 'REPLICASET',
        replicationSpecs: [
          {
            numShards: 1,
            zoneName: 'Zone 1',
            regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 }, autoScaling: { diskGBEnabled: true, compute: { enabled: false } } }],
          },
        ],
      },
    },
  };
  for (const [shape, spec] of Object.entries(shapes)) {
    const { op, sync, finalize, groupId } = await world(t, 0);
    const c: Obj = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasCluster', metadata: { name: `c-${shape}`, namespace: 'team-a', uid: `uid-${shape}`, generation: 1 }, spec: { projectRef: { name: 'my-project' }, ...spec } };
    await sync(c);
    await sync(c);
    t.equal(conditionsOf(c).Ready!.status, 'True', `${shape}: Ready`);
    t.notOk(conditionsOf(c).FieldsManaged, `${shape}: every field set is managed`);
    const name = shape === 'clusterSpec' ? 'v08-legacy' : 'v08-advanced';
    const stored = op.sim.control.store.clustersOf(groupId).get(name)!;
    t.equal(stored.doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize, 'M10', `${shape}: in Atlas`);
    const writes = op.writes();
    await sync(c);
    t.equal(op.writes(), writes, `${shape}: no writes once settled`);
    stored.doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize = 'M30';
    await sync(c);
    t.equal(op.sim.control.store.clustersOf(groupId).get(name)!.doc.replicationSpecs[0]!.regionConfigs[0]!.electableSpecs.instanceSize, 'M10', `${shape}: drift put back`);
    let answer = await finalize(c);
    for (let i = 0; i < 3 && !answer.finalized; i++) answer = await finalize(c);
    t.equal(answer.finalized, true, `${shape}: deleted and confirmed gone`);
  }
});

t.test("v0.8 shapes are validated with the field named", async (t) => {
  const { sync } = await world(t, 0);
  const both: Obj = cluster({ clusterSpec: { name: 'a', providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' } }, advancedClusterSpec: { name: 'a' } });
  await sync(both);
  t.match(conditionsOf(both).ValidationSucceeded, { reason: 'ClusterSpecInvalid', message: 'only one of spec.clusterSpec, spec.advancedClusterSpec may be set' });
  const noRegion: Obj = cluster();
  delete noRegion.spec.name;
  delete noRegion.spec.providerSettings;
  noRegion.spec.advancedClusterSpec = { name: 'adv', replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }] };
  await sync(noRegion);
  t.match(conditionsOf(noRegion).ValidationSucceeded, { reason: 'ClusterSpecInvalid', message: 'spec.advancedClusterSpec.replicationSpecs[0].regionConfigs[0].regionName is required' });
  const tenant: Obj = cluster();
  delete tenant.spec.name;
  delete tenant.spec.providerSettings;
  tenant.spec.clusterSpec = { name: 't', providerSettings: { instanceSizeName: 'M0', providerName: 'TENANT', regionName: 'US_EAST_1' } };
  await sync(tenant);
  t.match(conditionsOf(tenant).ValidationSucceeded, { message: 'spec.clusterSpec.providerSettings.backingProviderName is required when providerName is TENANT' });
});
