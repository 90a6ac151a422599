/** AtlasDeployment's pure decisions: the translation Atlas receives, validation, removal. */
import t, { type Test } from 'tap';
import { checkDeploymentSpec, planDeployment, planDeploymentRemoval, type ManagedDeployment } from '../../src/kinds/atlasdeployment/plan.js';
import type { AtlasDeploymentSpec, DeploymentSpec } from '../../src/kinds/atlasdeployment/schema.js';
import { deploymentCluster } from '../../src/kinds/atlasdeployment/translation.js';
import type { Cluster } from '../../src/kinds/clusters/atlas.js';
import { createBody } from '../../src/kinds/clusters/model.js';
import type { InProject } from '../../src/kinds/project-scope.js';
import { facts, input, removal } from '../helpers/facts.js';
import { SpecValidator, hasSpec } from '../helpers/shared.js';

const validator = hasSpec ? new SpecValidator() : undefined;
const scope: InProject = { groupId: 'g1', orgId: 'o1', projectName: 'P' };

function checkAgainstSpec(t: Test, body: unknown) {
  if (!validator) return t.comment('../shared/atlas-openapi/spec.yaml absent: request schema check skipped');
  t.equal(validator.validateRequest('POST', '/api/atlas/v2/groups/:groupId/clusters', 'application/vnd.atlas.2024-10-23+json', body), undefined, 'a valid 2024-10-23 create body');
}

const sample = (extra: Partial<DeploymentSpec> = {}): DeploymentSpec => ({
  name: 'test-deployment',
  clusterType: 'REPLICASET',
  backupEnabled: true,
  mongoDBMajorVersion: '7.0',
  terminationProtectionEnabled: false,
  replicationSpecs: [{ zoneName: 'Zone 1', regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  tags: [{ key: 'team', value: 'atlas-operator' }],
  ...extra,
});
const managed = (deploymentSpec: DeploymentSpec): ManagedDeployment => ({ projectRef: { name: 'p' }, deploymentSpec });
/** As stored: what finalize sees, unvalidated. */
const stored = (deploymentSpec: DeploymentSpec): AtlasDeploymentSpec => ({ projectRef: { name: 'p' }, deploymentSpec });

t.test("the official sample becomes Atlas's create body: node types it leaves out have none", async (t) => {
  const body = createBody(deploymentCluster(sample()));
  t.same(body, {
    name: 'test-deployment',
    clusterType: 'REPLICASET',
    replicationSpecs: [
      {
        zoneName: 'Zone 1',
        regionConfigs: [
          {
            providerName: 'AWS',
            regionName: 'US_EAST_1',
            priority: 7,
            electableSpecs: { instanceSize: 'M10', nodeCount: 3 },
            readOnlySpecs: { instanceSize: 'M10', nodeCount: 0 },
            analyticsSpecs: { instanceSize: 'M10', nodeCount: 0 },
          },
        ],
      },
    ],
    backupEnabled: true,
    mongoDBMajorVersion: '7.0',
    terminationProtectionEnabled: false,
    tags: [{ key: 'team', value: 'atlas-operator' }],
  });
  checkAgainstSpec(t, body);
});

t.test('numShards stands for that many shards; diskSizeGB goes to every node; autoscaling as given', async (t) => {
  const body = createBody(
    deploymentCluster(
      sample({
        clusterType: 'SHARDED',
        diskSizeGB: 40,
        replicationSpecs: [
          {
            numShards: 3,
            regionConfigs: [
              { providerName: 'GCP', regionName: 'CENTRAL_US', priority: 6, electableSpecs: { instanceSize: 'M30', nodeCount: 2 } },
              { providerName: 'GCP', regionName: 'WESTERN_EUROPE', electableSpecs: { instanceSize: 'M30', nodeCount: 3 }, autoScaling: { compute: { enabled: true, maxInstanceSize: 'M50' }, diskGB: { enabled: true } } },
            ],
          },
        ],
      }),
    ),
  );
  t.equal(body.replicationSpecs.length, 3);
  t.same(body.replicationSpecs[2].regionConfigs.map((r: any) => [r.regionName, r.priority, r.electableSpecs.diskSizeGB]), [['WESTERN_EUROPE', 7, 40], ['CENTRAL_US', 6, 40]], 'highest priority first');
  t.same(body.replicationSpecs[0].regionConfigs[0].autoScaling, { compute: { enabled: true, scaleDownEnabled: false, maxInstanceSize: 'M50' }, diskGB: { enabled: true } });
  checkAgainstSpec(t, body);
});

t.test('a shared tier', async (t) => {
  const body = createBody(deploymentCluster(sample({ replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }] })));
  t.same(body.replicationSpecs, [{ zoneName: 'Zone 1', regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M0' } }] }]);
  checkAgainstSpec(t, body);
});

t.test('validation names the field; serverless is said to be unmanaged', async (t) => {
  t.match(checkDeploymentSpec(facts({ spec: managed(sample()) })), { ok: true });
  t.match(checkDeploymentSpec(facts({ spec: { projectRef: { name: 'p' } } })), { ok: false, reason: 'DeploymentSpecInvalid', message: 'spec.deploymentSpec or spec.flexSpec is required' });
  t.match(checkDeploymentSpec(facts({ spec: { ...managed(sample()), flexSpec: { name: 'f', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } } } })), { ok: false, message: 'only one of spec.deploymentSpec, spec.flexSpec may be set' });
  t.match(checkDeploymentSpec(facts({ spec: { projectRef: { name: 'p' }, flexSpec: { name: 'f', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } } } })), { ok: true });
  t.match(checkDeploymentSpec(facts({ spec: { projectRef: { name: 'p' }, serverlessSpec: { name: 's', providerSettings: { providerName: 'SERVERLESS' } } } })), { ok: false, reason: 'AtlasUnsupportedFeature', message: /^spec\.serverlessSpec is not managed/ });
  t.match(checkDeploymentSpec(facts({ spec: managed(sample({ diskSizeGB: 5000 })) })), { ok: false, reason: 'DeploymentSpecInvalid', message: /spec.deploymentSpec.diskSizeGB/ });
});

const atlas = (extra: Partial<Cluster> = {}): Cluster => ({ ...(createBody(deploymentCluster(sample())) as Cluster), stateName: 'IDLE', paused: false, ...extra });

t.test('in sync: no write; a tag added in the spec is one PATCH of tags alone', async (t) => {
  t.same(planDeployment(input(facts({}), managed(sample()), scope), { flex: false, cluster: atlas() }).writes, []);
  const tagged = planDeployment(input(facts({}), managed(sample({ tags: [{ key: 'team', value: 'atlas-operator' }, { key: 'cost', value: 'c1' }] })), scope), { flex: false, cluster: atlas() });
  t.same(tagged.writes.map((w) => w.request.body), [{ tags: [{ key: 'team', value: 'atlas-operator' }, { key: 'cost', value: 'c1' }] }]);
  t.equal(tagged.writes[0]!.summary, 'update deployment test-deployment: tags');
});

t.test('removal: termination protection holds the finalizer unless the spec turns it off', async (t) => {
  const held = planDeploymentRemoval(removal(facts({}), stored(sample({ terminationProtectionEnabled: true })), scope), { cluster: atlas({ terminationProtectionEnabled: true }) });
  t.same(held.writes, []);
  t.match(held.settle([]), { gone: false, reason: 'AtlasDeletionProtection', keepHint: true });
  const lifted = planDeploymentRemoval(removal(facts({}), stored(sample({ terminationProtectionEnabled: false })), scope), { cluster: atlas({ terminationProtectionEnabled: true }) });
  t.same(lifted.writes.map((w) => [w.request.method, w.request.body]), [['PATCH', { terminationProtectionEnabled: false }]]);
  const plain = planDeploymentRemoval(removal(facts({}), stored(sample()), scope), { cluster: atlas() });
  t.same(plain.writes.map((w) => w.request.method), ['DELETE']);
  t.match(plain.settle([]), { gone: false, reason: 'DeploymentDeleting' });
  t.match(planDeploymentRemoval(removal(facts({}), stored(sample()), scope), { cluster: undefined, listed: false }).settle([]), { gone: true });
});
