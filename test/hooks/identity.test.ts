/**
 * Identity before destruction: credentials of another organization never create a twin
 * project and never let a finalizer go while the Atlas object exists. Atlas answers such
 * credentials 401 NOT_IN_GROUP for an existing project and 404 GROUP_NOT_FOUND for an id
 * that does not exist (a stale one); both are tried.
 */
import t, { type Test } from 'tap';
import { DEMO_ORG } from '../../src/sim/server.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const OTHER = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', publicKey: 'otherpubk', privateKey: 'other-private-key' };
const ORGS = [
  { id: DEMO_ORG.id, apiKeys: [{ publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey }] },
  { id: OTHER.id, apiKeys: [{ publicKey: OTHER.publicKey, privateKey: OTHER.privateKey }] },
];
const ours = secret('team-a', 'atlas-keys', demoCredentials);
/** The same Secret name, now holding another organization's key: a wrong Secret, or a mix-up. */
const theirs = secret('team-a', 'atlas-keys', { orgId: OTHER.id, publicApiKey: OTHER.publicKey, privateApiKey: OTHER.privateKey });
const STALE_ID = 'cccccccccccccccccccccccc';

function project(): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
    spec: { name: 'Identity Project', connectionSecretRef: { name: 'atlas-keys' } },
  };
}

function cluster(): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasCluster',
    metadata: { name: 'my-cluster', namespace: 'team-a', uid: 'uid-c', generation: 1 },
    spec: { name: 'c1', projectRef: { name: 'my-project' }, providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' } },
  };
}

async function world(t: Test) {
  const op = await startOperator(t, { provisionSeconds: 0, organizations: ORGS });
  const p = project();
  await op.sync('atlasproject', p, [ours]);
  const c = cluster();
  await op.sync('atlascluster', c, [p, ours]);
  await op.sync('atlascluster', c, [p, ours]);
  t.equal(conditionsOf(c).Ready!.status, 'True');
  const projects = () => op.sim.control.state().projects;
  return { op, p, c, projects };
}

t.test('the project records its organization', async (t) => {
  const { p } = await world(t);
  t.equal(p.status.orgId, DEMO_ORG.id);
});

t.test('a sync with another organization\'s key creates no twin and keeps status.id', async (t) => {
  const { op, p, projects } = await world(t);
  const id = p.status.id;
  await op.sync('atlasproject', p, [theirs]);
  t.match(conditionsOf(p).ProjectReady, {
    status: 'False',
    reason: 'AtlasAPIAccessNotConfigured',
    message: `the credentials in Secret team-a/atlas-keys are for organization ${OTHER.id}, but the Atlas project ${id} is in organization ${DEMO_ORG.id}; nothing is created or changed with them`,
  });
  t.equal(p.status.id, id);
  t.equal(projects().length, 1, 'no second project');
});

t.test('an object synced before orgId was recorded: NOT_IN_GROUP creates nothing either', async (t) => {
  const { op, p, projects } = await world(t);
  delete p.status.orgId;
  await op.sync('atlasproject', p, [theirs]);
  t.match(conditionsOf(p).ProjectReady, { reason: 'AtlasAPIAccessNotConfigured', message: /cannot see the Atlas project .*"NOT_IN_GROUP"/ });
  t.equal(projects().length, 1);
});

t.test('finalize with another organization\'s key: not finalized, for the project, its cluster and its user', async (t) => {
  const { op, p, c, projects } = await world(t);
  for (const [what, status] of [
    ['the recorded id', { id: p.status.id, orgId: DEMO_ORG.id }],
    ['a stale id (GROUP_NOT_FOUND)', { id: STALE_ID, orgId: DEMO_ORG.id }],
  ] as const) {
    const deleting = { ...project(), status: { ...status, conditions: [] } };
    const res = await op.finalize('atlasproject', deleting, [theirs]);
    t.equal(res.finalized, false, `project, ${what}`);
    t.match(conditionsOf(deleting).ProjectReady!.message, /are for organization b+, but the Atlas project .* is in organization 5f0c.*: they cannot tell whether it is gone; add the annotation mongodb.com\/atlas-resource-policy: keep/);
  }
  const clusterRes = await op.finalize('atlascluster', c, [p, theirs]);
  t.equal(clusterRes.finalized, false, 'cluster');
  t.match(conditionsOf(c).ClusterReady, { reason: 'AtlasFinalizerNotRemoved', message: /are for organization b+, but the Atlas project .* is in organization/ });
  const user: Obj = {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDatabaseUser',
    metadata: { name: 'u', namespace: 'team-a', uid: 'uid-u', generation: 1 },
    spec: { projectRef: { name: 'my-project' }, username: 'u', passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'read', databaseName: 'admin' }] },
  };
  const pw = secret('team-a', 'pw', { password: 'a-password' });
  await op.sync('atlasdatabaseuser', user, [p, ours, pw]);
  t.equal((await op.finalize('atlasdatabaseuser', user, [p, theirs, pw])).finalized, false, 'user');
  t.match(conditionsOf(user).DatabaseUserReady, { reason: 'AtlasFinalizerNotRemoved' });
  t.equal(projects().length, 1);
  t.same(projects()[0]!.clusters.map((x) => x.name), ['c1'], 'the paid cluster is still managed');
  t.same(projects()[0]!.databaseUsers.map((x) => x.username), ['u']);
});

t.test('the right organization\'s not-found does finalize', async (t) => {
  const { op, p, c, projects } = await world(t);
  // The project is gone from Atlas (deleted in the UI): GROUP_NOT_FOUND for its id.
  const stale = { ...cluster(), metadata: { ...c.metadata, name: 'stale' } };
  const staleProject = { ...p, status: { ...p.status, id: STALE_ID } };
  t.equal((await op.finalize('atlascluster', stale, [staleProject, ours])).finalized, true, 'the cluster went with its project');
  const res = await op.finalize('atlasproject', { ...project(), status: { id: STALE_ID, orgId: DEMO_ORG.id } }, [ours]);
  t.equal(res.finalized, true, 'the project is gone');
  t.equal(projects().length, 1, 'and nothing else was touched');
});

t.test('an AtlasDeployment with externalProjectRef: created with its own Secret, its organization recorded; another organization\'s key is refused and never proves it gone', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0, organizations: ORGS });
  // A project the operator does not manage: made in Atlas directly.
  const seed = project();
  await op.sync('atlasproject', seed, [ours]);
  const groupId = seed.status.id as string;
  const d: Obj = {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDeployment',
    metadata: { name: 'external', namespace: 'team-a', uid: 'uid-ext', generation: 1 },
    spec: {
      externalProjectRef: { id: groupId },
      connectionSecret: { name: 'atlas-keys' },
      deploymentSpec: { name: 'external-cluster', terminationProtectionEnabled: false, replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }] },
    },
  };
  const rules = (await op.customize('atlasdeployment', d)).relatedResources;
  t.same(rules, [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team-a', names: ['atlas-keys'] }], 'only its connectionSecret is related');
  await op.sync('atlasdeployment', d, [ours]);
  await op.sync('atlasdeployment', d, [ours]);
  t.equal(conditionsOf(d).Ready!.status, 'True');
  t.notOk(conditionsOf(d).FieldsManaged, 'externalProjectRef and connectionSecret are managed');
  t.equal(d.status.orgId, DEMO_ORG.id, 'the organization is on record');
  t.ok(op.sim.control.store.clustersOf(groupId).get('external-cluster'));

  const writes = op.writes();
  await op.sync('atlasdeployment', d, [theirs]);
  t.match(conditionsOf(d).DeploymentReady, { status: 'False', reason: 'AtlasAPIAccessNotConfigured', message: new RegExp(`are for organization ${OTHER.id}, but the Atlas project ${groupId} is in organization ${DEMO_ORG.id}`) });
  const held = await op.finalize('atlasdeployment', d, [theirs]);
  t.equal(held.finalized, false, 'not finalized with the wrong key');
  t.equal(op.writes(), writes, 'nothing written with it');
  t.ok(op.sim.control.store.clustersOf(groupId).get('external-cluster'), 'the cluster is still there');
  let answer = await op.finalize('atlasdeployment', d, [ours]);
  for (let i = 0; i < 3 && !answer.finalized; i++) answer = await op.finalize('atlasdeployment', d, [ours]);
  t.equal(answer.finalized, true, 'the right key deletes it and sees it gone');
});
