/** AtlasCluster's pure plans: create, wait, update, pause, delete, without Atlas. */
import t from 'tap';
import type { Cluster } from '../../src/kinds/clusters/atlas.js';
import { checkClusterSpec, planCluster, planClusterRemoval } from '../../src/kinds/atlascluster/plan.js';
import { clusterStatus } from '../../src/kinds/clusters/plan.js';
import type { AtlasClusterSpec } from '../../src/kinds/atlascluster/schema.js';
import { seedCluster } from '../../src/kinds/atlascluster/translation.js';
import { createBody } from '../../src/kinds/clusters/model.js';
import type { InProject } from '../../src/kinds/project-scope.js';
import { facts, input, NOW, removal } from '../helpers/facts.js';

const scope: InProject = { groupId: 'g1', orgId: 'o1', projectName: 'P' };
const spec = (extra: Partial<AtlasClusterSpec> = {}): AtlasClusterSpec =>
  ({ name: 'c1', projectRef: { name: 'p' }, providerSettings: { providerName: 'AWS', instanceSizeName: 'M10', regionName: 'US_EAST_1' }, ...extra }) as AtlasClusterSpec;

/** Atlas's answer for a cluster exactly as the spec describes it. */
function matching(s: AtlasClusterSpec, extra: Partial<Cluster> = {}): Cluster {
  return { ...(createBody(seedCluster(s)) as Cluster), stateName: 'IDLE', paused: false, connectionStrings: { standard: 'mongodb://h', standardSrv: 'mongodb+srv://h' }, ...extra };
}

t.test('validation names the field', async (t) => {
  t.match(checkClusterSpec(facts({ spec: { ...spec(), providerSettings: { providerName: 'TENANT', instanceSizeName: 'M0', regionName: 'US_EAST_1' } } })), {
    ok: false,
    reason: 'ClusterSpecInvalid',
    message: 'spec.providerSettings.backingProviderName is required when providerName is TENANT',
  });
  t.match(checkClusterSpec(facts({ spec: { ...spec(), providerSettings: { providerName: 'AWS', instanceSizeName: 'M10' } } })), { ok: false, message: /regionName is required/ });
  t.match(checkClusterSpec(facts({ spec: spec() })), { ok: true });
});

t.test('absent: created, then provisioning on the lengthening schedule', async (t) => {
  const plan = planCluster(input(facts({}), spec(), scope), undefined);
  t.match(plan.writes, [{ verb: 'create', request: { method: 'POST', path: '/api/atlas/v2/groups/g1/clusters', version: '2024-10-23' }, alreadyExists: 'DUPLICATE_CLUSTER_NAME' }]);
  t.match(plan.settle([{ name: 'c1', stateName: 'CREATING' }]), { condition: { status: 'False', reason: 'ClusterCreating' }, status: { stateName: 'CREATING' }, wait: 'progress' });
  t.match(plan.settle(undefined), { condition: { reason: 'ClusterCreating' } }, 'planning: it would be provisioning');
});

t.test('busy states write nothing and wait', async (t) => {
  for (const [stateName, reason] of [['CREATING', 'ClusterCreating'], ['UPDATING', 'ClusterUpdating'], ['REPAIRING', 'ClusterUpdating'], ['DELETING', 'ClusterDeleting']] as const) {
    const plan = planCluster(input(facts({}), spec(), scope), matching(spec(), { stateName }));
    t.same(plan.writes, [], stateName);
    t.match(plan.settle([]), { condition: { status: 'False', reason }, wait: 'progress' });
  }
});

t.test('in sync: Ready with the connection strings; mongoURIUpdated moves only when they change', async (t) => {
  const plan = planCluster(input(facts({}), spec(), scope), matching(spec()));
  t.same(plan.writes, []);
  t.match(plan.settle([]), { condition: { status: 'True' }, status: { stateName: 'IDLE', connectionStrings: { standard: 'mongodb://h', standardSrv: 'mongodb+srv://h' }, mongoURIUpdated: '2026-12-01T12:00:00Z' } });
  const earlier = '2026-11-01T00:00:00Z';
  const same = clusterStatus({ connectionStrings: { standard: 'mongodb://h', standardSrv: 'mongodb+srv://h' }, mongoURIUpdated: earlier }, matching(spec()), NOW);
  t.equal(same.mongoURIUpdated, earlier);
});

t.test('a difference is one PATCH; a pause goes alone, first', async (t) => {
  const bigger = spec({ providerSettings: { providerName: 'AWS', instanceSizeName: 'M20', regionName: 'US_EAST_1' } });
  const resize = planCluster(input(facts({}), bigger, scope), matching(spec()));
  t.match(resize.writes, [{ verb: 'update', request: { method: 'PATCH', path: '/api/atlas/v2/groups/g1/clusters/c1' }, summary: 'update cluster c1: replicationSpecs' }]);
  t.match(resize.settle([matching(spec(), { stateName: 'UPDATING' })]), { condition: { reason: 'ClusterUpdating', message: 'updating replicationSpecs' }, status: { stateName: 'UPDATING' }, wait: 'progress' });

  const pauseAndResize = planCluster(input(facts({}), { ...bigger, paused: true }, scope), matching(spec()));
  t.same(pauseAndResize.writes.map((w) => w.request.body), [{ paused: true }]);
});

t.test('deletion: delete once, wait while DELETING, gone only when the list agrees', async (t) => {
  const f = facts({});
  t.match(planClusterRemoval(removal(f, spec(), scope), { cluster: matching(spec()) }), { writes: [{ verb: 'delete', request: { method: 'DELETE', path: '/api/atlas/v2/groups/g1/clusters/c1' } }] });
  const deleting = planClusterRemoval(removal(f, spec(), scope), { cluster: matching(spec(), { stateName: 'DELETING' }) });
  t.same(deleting.writes, []);
  t.match(deleting.settle([]), { gone: false, reason: 'ClusterDeleting' });
  t.match(planClusterRemoval(removal(f, spec(), scope), { cluster: undefined, listed: true }).settle([]), { gone: false, message: /still lists it/ });
  t.same(planClusterRemoval(removal(f, spec(), scope), { cluster: undefined, listed: false }).settle([]), { gone: true });
});
