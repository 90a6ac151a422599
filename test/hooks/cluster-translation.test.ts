import t, { type Test } from 'tap';
import type { AtlasClusterSpec } from '../../src/kinds/atlascluster/schema.js';
import { seedCluster } from '../../src/kinds/atlascluster/translation.js';
import { createBody as bodyOf, planClusterChanges as changesOf, type Json } from '../../src/kinds/clusters/model.js';

const createBody = (spec: AtlasClusterSpec) => bodyOf(seedCluster(spec));
const planClusterChanges = (spec: AtlasClusterSpec, actual: Json) => changesOf(seedCluster(spec), actual);
import { SpecValidator, hasSpec } from '../helpers/shared.js';

const validator = hasSpec ? new SpecValidator() : undefined;
const CREATE = ['POST', '/api/atlas/v2/groups/:groupId/clusters', 'application/vnd.atlas.2024-10-23+json'] as const;

function base(extra: Partial<AtlasClusterSpec> = {}): AtlasClusterSpec {
  return { projectRef: { name: 'my-project' }, name: 'test-cluster', providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' }, ...extra };
}

function checkAgainstSpec(t: Test, body: unknown) {
  if (!validator) return t.comment('../shared/atlas-openapi/spec.yaml absent: request schema check skipped');
  t.equal(validator.validateRequest(...CREATE.slice(0, 2) as [string, string], CREATE[2], body), undefined, 'valid 2024-10-23 create body');
}

t.test('a shared-tier (TENANT) cluster', async (t) => {
  const body = createBody(base({ providerSettings: { instanceSizeName: 'M0', providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1' } }));
  t.same(body, {
    name: 'test-cluster',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ zoneName: 'Zone 1', regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M0' } }] }],
  });
  checkAgainstSpec(t, body);
});

t.test('a single-region dedicated cluster with disk, IOPS, volume type and autoscaling', async (t) => {
  const body = createBody(
    base({
      diskSizeGB: 40,
      mongoDBMajorVersion: '7.0',
      providerBackupEnabled: true,
      providerSettings: { instanceSizeName: 'M30', providerName: 'AWS', regionName: 'EU_WEST_1', diskIOPS: 3000, volumeType: 'PROVISIONED' },
      autoScaling: { diskGBEnabled: true, compute: { enabled: true, scaleDownEnabled: true, minInstanceSize: 'M30', maxInstanceSize: 'M60' } },
    }),
  );
  const hw = (nodeCount: number) => ({ instanceSize: 'M30', nodeCount, diskSizeGB: 40, diskIOPS: 3000, ebsVolumeType: 'PROVISIONED' });
  t.same(body.replicationSpecs, [
    {
      zoneName: 'Zone 1',
      regionConfigs: [
        {
          providerName: 'AWS',
          regionName: 'EU_WEST_1',
          priority: 7,
          electableSpecs: hw(3),
          readOnlySpecs: hw(0),
          analyticsSpecs: hw(0),
          autoScaling: { compute: { enabled: true, scaleDownEnabled: true, minInstanceSize: 'M30', maxInstanceSize: 'M60' }, diskGB: { enabled: true } },
        },
      ],
    },
  ]);
  t.match(body, { mongoDBMajorVersion: '7.0', backupEnabled: true, clusterType: 'REPLICASET' });
  checkAgainstSpec(t, body);
});

t.test('multi-region replicationSpecs, highest priority first', async (t) => {
  const body = createBody(
    base({
      providerSettings: { instanceSizeName: 'M10', providerName: 'GCP' },
      replicationSpecs: [{ zoneName: 'Zone 1', regionsConfig: { WESTERN_EUROPE: { electableNodes: 2, priority: 6 }, CENTRAL_US: { electableNodes: 3, priority: 7, readOnlyNodes: 1 } } }],
    }),
  );
  t.same(body.replicationSpecs[0].regionConfigs.map((r: any) => [r.regionName, r.priority, r.electableSpecs.nodeCount, r.readOnlySpecs.nodeCount]), [
    ['CENTRAL_US', 7, 3, 1],
    ['WESTERN_EUROPE', 6, 2, 0],
  ]);
  checkAgainstSpec(t, body);
});

t.test('sharded: one replication spec per shard', async (t) => {
  const body = createBody(base({ numShards: 3 }));
  t.equal(body.clusterType, 'SHARDED');
  t.equal(body.replicationSpecs.length, 3);
  t.same(body.replicationSpecs[0], body.replicationSpecs[2]);
  const geo = createBody(base({ clusterType: 'GEOSHARDED', replicationSpecs: [{ numShards: 2, zoneName: 'EU', regionsConfig: { EU_WEST_1: { electableNodes: 3, priority: 7 } } }, { zoneName: 'US', regionsConfig: { US_EAST_1: { electableNodes: 3, priority: 7 } } }] }));
  t.same(geo.replicationSpecs.map((s: any) => s.zoneName), ['EU', 'EU', 'US']);
  checkAgainstSpec(t, body);
  checkAgainstSpec(t, geo);
});

/** A cluster as Atlas answers it after creating `spec` (defaults filled, as the simulator fills them). */
function asAtlasHasIt(spec: AtlasClusterSpec, tweak: (c: any) => void = () => {}): any {
  const body = createBody(spec);
  const cluster = structuredClone({ ...body, paused: false, stateName: 'IDLE', biConnector: { enabled: false, readPreference: 'secondary' } }) as any;
  for (const shard of cluster.replicationSpecs) {
    for (const r of shard.regionConfigs) {
      for (const hw of ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs']) r[hw] = { diskIOPS: 3000, diskSizeGB: 10, ebsVolumeType: 'STANDARD', ...r[hw] };
      r.autoScaling ??= { compute: { enabled: false, scaleDownEnabled: false }, diskGB: { enabled: true } };
    }
  }
  tweak(cluster);
  return cluster;
}

t.test('only what the spec sets is compared', async (t) => {
  const spec = base({ biConnector: { enabled: false } });
  t.same(planClusterChanges(spec, asAtlasHasIt(spec)), { differences: [] }, 'Atlas defaults do not count as drift');
  const drift = planClusterChanges(spec, asAtlasHasIt(spec, (c) => (c.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize = 'M20')));
  t.same(drift.differences, ['replicationSpecs']);
  t.equal(drift.update!.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize, 'M10', 'a size changed behind our back is put back');
});

t.test('autoscaling decisions are not fought', async (t) => {
  const spec = base({ diskSizeGB: 10, autoScaling: { diskGBEnabled: true, compute: { enabled: true, maxInstanceSize: 'M40' } } });
  const scaled = asAtlasHasIt(spec, (c) => {
    const r = c.replicationSpecs[0].regionConfigs[0];
    for (const hw of ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs']) {
      r[hw].instanceSize = 'M30';
      r[hw].diskSizeGB = 64;
    }
  });
  t.same(planClusterChanges(spec, scaled).differences, [], 'a grown disk and a scaled-up size are left alone');
  const versionChange = planClusterChanges({ ...spec, mongoDBMajorVersion: '8.0' }, scaled);
  t.same(versionChange.differences, ['mongoDBMajorVersion']);
  t.notOk(versionChange.update!.replicationSpecs, 'an unrelated change does not send sizes');
  const bigger = planClusterChanges({ ...spec, diskSizeGB: 100 }, scaled);
  t.equal(bigger.update!.replicationSpecs[0].regionConfigs[0].electableSpecs.diskSizeGB, 100, 'growing past Atlas is still possible');
  t.equal(bigger.update!.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize, 'M30', 'and keeps the autoscaled size');
});

t.test('a pause change goes alone', async (t) => {
  const spec = base({ paused: true, mongoDBMajorVersion: '8.0' });
  const plan = planClusterChanges(spec, asAtlasHasIt(base(), (c) => (c.mongoDBMajorVersion = '7.0')));
  t.same(plan.pause, { paused: true });
  t.same(plan.differences, ['paused', 'mongoDBMajorVersion']);
});
