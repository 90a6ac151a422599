import { DEMO_ORG } from '../../src/sim/server.js';
import t, { type Test } from 'tap';
import { AtlasAdmin } from '../helpers/atlas-admin.js';
import { AtlasHttp } from '../../src/atlas/http.js';
import { relatedFor } from '../../src/demo/objects.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';
import { demoKey } from '../helpers/sim.js';

const LABEL = { 'atlas.mongodb.com/type': 'credentials' };
const PASSWORD = 'p@ss:w/rd-with-specials';
const decode = (s: Obj) => Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
const M10 = (name: string) => ({
  name,
  clusterType: 'REPLICASET',
  replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
});

function user(spec: Obj = {}, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasDatabaseUser',
    metadata: { name: 'my-database-user', namespace: 'team-a', uid: 'uid-u', generation: 1, ...metadata },
    spec: {
      projectRef: { name: 'my-project' },
      username: 'david',
      passwordSecretRef: { name: 'david-password' },
      roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }],
      ...spec,
    },
  };
}

/** A child as the API server hands it back once Metacontroller has applied it. */
let writes = 0;
function asApplied(child: Obj): Obj {
  writes++;
  return {
    ...child,
    metadata: {
      ...child.metadata,
      uid: `uid-${child.metadata.name}`,
      resourceVersion: String(1000 + writes),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { ...child.metadata.labels, 'controller-uid': 'uid-u' },
      annotations: { 'metacontroller.k8s.io/last-applied-configuration': JSON.stringify(child) },
      ownerReferences: [{ apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDatabaseUser', name: 'my-database-user', uid: 'uid-u', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'metacontroller', operation: 'Update', time: '2026-01-01T00:00:00Z' }],
    },
  };
}

const SERVER_SET = ['uid', 'resourceVersion', 'creationTimestamp', 'ownerReferences', 'managedFields', 'annotations'];

function passwordSecret(password: string, resourceVersion: string): Obj {
  const s = secret('team-a', 'david-password', { password });
  s.metadata.resourceVersion = resourceVersion;
  return s;
}

/** A project with two IDLE clusters; `sync` plays Metacontroller, children included. */
async function world(t: Test) {
  const op = await startOperator(t, { provisionSeconds: 120 });
  const keys = secret('team-a', 'atlas-keys', demoCredentials, LABEL);
  const project: Obj = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 }, spec: { name: 'Test Atlas Operator Project', connectionSecretRef: { name: 'atlas-keys' } } };
  await op.sync('atlasproject', project, [keys]);
  const http = new AtlasHttp({ baseUrl: op.sim.url });
  t.teardown(() => http.close());
  const atlas = new AtlasAdmin(http, { credentials: demoKey });
  const groupId = project.status.id as string;
  await atlas.clusters.create(groupId, M10('test-cluster'));
  await atlas.clusters.create(groupId, M10('other-cluster'));
  op.sim.control.advance(120);
  const objects: Obj[] = [keys, project, passwordSecret(PASSWORD, '100')];
  // Each user's children, as Metacontroller keeps them after applying an answer.
  const children = new Map<string, Obj[]>();
  const related = async (u: Obj) => Object.values(relatedFor((await op.customize('atlasdatabaseuser', u)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const call = (hook: 'sync' | 'finalize') => async (u: Obj) => {
    const res = await op[hook]('atlasdatabaseuser', u, await related(u), children.get(u.metadata.name) ?? []);
    children.set(u.metadata.name, res.children.map(asApplied));
    return res;
  };
  const sync = call('sync');
  const finalize = call('finalize');
  const users = () => op.sim.control.state().projects[0]!.databaseUsers;
  /** Sync, let Atlas apply, sync again: what a user sees a little later. */
  const settle = async (u: Obj) => {
    await sync(u);
    op.sim.control.advance(120);
    return sync(u);
  };
  return { op, atlas, groupId, objects, sync, settle, finalize, users };
}

t.test('create → clusters apply → Ready, with one Secret per cluster, as the official operator names them', async (t) => {
  const w = await world(t);
  const u = user();
  const first = await w.sync(u);
  t.match(conditionsOf(u).DatabaseUserReady, { status: 'False', reason: 'ClustersAppliedDatabaseUsersChanges', message: '0 out of 2 clusters have applied database user changes' });
  t.equal(first.resyncAfterSeconds, 10);
  t.same(first.children, [], 'no Secret before the clusters have the user');
  w.op.sim.control.advance(120);
  const ready = await w.sync(u);
  t.equal(conditionsOf(u).Ready!.status, 'True');
  t.match(u.status, { passwordVersion: '100', name: 'david' });
  t.same(ready.children.map((s: Obj) => s.metadata.name).sort(), ['test-atlas-operator-project-other-cluster-david', 'test-atlas-operator-project-test-cluster-david']);
  const s = ready.children.find((c: Obj) => c.metadata.name.includes('test-cluster'));
  t.same(s.metadata.labels, { 'atlas.mongodb.com/cluster-name': 'test-cluster', 'atlas.mongodb.com/project-id': w.groupId, 'atlas.mongodb.com/type': 'credentials' });
  t.equal(s.type, 'Opaque');
  t.notOk('stringData' in s, 'data, not stringData');
  const data = decode(s);
  t.same(Object.keys(data).sort(), ['connectionStringPrivate', 'connectionStringPrivateSrv', 'connectionStringStandard', 'connectionStringStandardSrv', 'password', 'username']);
  t.equal(data.username, 'david');
  t.equal(data.password, PASSWORD);
  t.match(data.connectionStringStandardSrv, /^mongodb\+srv:\/\/david:p%40ss%3Aw%2Frd-with-specials@test-cluster\./, 'credentials percent-encoded into the URI');
  t.match(data.connectionStringStandard, /^mongodb:\/\/david:p%40ss%3Aw%2Frd-with-specials@test-cluster-shard-00-00\..*,test-cluster-shard-00-01/);
  t.equal(data.connectionStringPrivate, '');
  const logs = w.op.hooks.logText();
  t.notOk(logs.includes(PASSWORD) || logs.includes('p%40ss%3Aw%2Frd') || logs.includes(Buffer.from(PASSWORD).toString('base64')), 'no password in any log line');
  t.notOk(JSON.stringify(u.status).includes('p%40ss'), 'nor in status');
});

t.test('steady state writes nothing', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  const writes = w.op.writes();
  const a = await w.sync(u);
  const b = await w.sync(u);
  t.equal(w.op.writes(), writes);
  t.equal(a.text, b.text);
});

t.test('password rotation: PATCH, old Secrets kept until applied, then new content', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  const before = w.users()[0]!.passwordSha256;
  w.objects[2] = passwordSecret('a-brand-new-password', '200');
  const pending = await w.sync(u);
  t.not(w.users()[0]!.passwordSha256, before, 'Atlas has the new password');
  t.equal(conditionsOf(u).DatabaseUserReady!.reason, 'ClustersAppliedDatabaseUsersChanges');
  t.equal(pending.children.length, 2, 'the Secrets are not dropped while clusters apply');
  t.equal(decode(pending.children[0]).password, PASSWORD, 'and still hold the password that works');
  w.op.sim.control.advance(120);
  const done = await w.sync(u);
  t.equal(u.status.passwordVersion, '200');
  t.ok(done.children.every((s: Obj) => decode(s).password === 'a-brand-new-password'));
});

t.test('children carry only what we own, on every path, so Metacontroller never rewrites them', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  w.objects[2] = passwordSecret('a-brand-new-password', '200');
  const answers = [await w.sync(u), await w.sync(u)];
  t.equal(conditionsOf(u).DatabaseUserReady!.reason, 'ClustersAppliedDatabaseUsersChanges', 'kept Secrets while clusters apply');
  w.op.sim.control.advance(120);
  answers.push(await w.sync(u), await w.sync(u));
  for (const answer of answers) {
    for (const child of answer.children as Obj[]) {
      t.same(SERVER_SET.filter((field) => field in child.metadata), [], `${child.metadata.name}: no server-set metadata`);
      t.notOk('controller-uid' in child.metadata.labels, 'no label we do not own');
    }
  }
  t.equal(answers[0]!.text, answers[1]!.text, 'the kept Secrets are byte-identical from one sync to the next');
  t.equal(answers[2]!.text, answers[3]!.text);
});

t.test('not Ready while an AtlasCluster of the project is not in Atlas yet', async (t) => {
  const w = await world(t);
  const declared: Obj = {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasCluster',
    metadata: { name: 'third', namespace: 'team-a', uid: 'uid-c3', generation: 1 },
    spec: { name: 'third-cluster', projectRef: { name: 'my-project' }, providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' } },
  };
  const elsewhere: Obj = { ...declared, metadata: { ...declared.metadata, name: 'fourth' }, spec: { ...declared.spec, name: 'fourth-cluster', projectRef: { name: 'other-project' } } };
  w.objects.push(declared, elsewhere);
  const u = user();
  const res = await w.settle(u);
  t.match(conditionsOf(u).DatabaseUserReady, { status: 'False', reason: 'DatabaseUserConnectionSecretsNotCreated', message: 'Waiting for clusters to get created/updated: third-cluster' });
  t.equal(res.children.length, 2, 'the clusters that exist have their Secrets meanwhile');
  t.equal(res.resyncAfterSeconds, 30, 'the user has been waiting two minutes (settle advanced the one clock): look again less often');
  await w.atlas.clusters.create(w.groupId, M10('third-cluster'));
  w.op.sim.control.advance(120);
  const ready = await w.settle(u);
  t.equal(conditionsOf(u).Ready!.status, 'True');
  t.equal(ready.children.length, 3);
});

t.test('sharing: the annotation marks every connection Secret for each namespace; withdrawal unmarks them', async (t) => {
  const w = await world(t);
  const u = user({}, { annotations: { 'atlas.mongodb.com/share-connection-secrets-with': ' shop, billing,shop,team-a ' } });
  const shared = await w.settle(u);
  for (const s of shared.children as Obj[]) {
    t.same(Object.keys(s.metadata.labels).filter((k) => k.startsWith('share-to.')), ['share-to.atlas.mongodb.com/billing', 'share-to.atlas.mongodb.com/shop'], `${s.metadata.name}: its own namespace and duplicates dropped`);
  }
  w.objects[2] = passwordSecret('rotated-password', '300');
  const pending = await w.sync(u);
  t.equal(conditionsOf(u).DatabaseUserReady!.reason, 'ClustersAppliedDatabaseUsersChanges');
  t.ok((pending.children as Obj[]).every((s) => s.metadata.labels['share-to.atlas.mongodb.com/shop'] === 'true'), 'kept Secrets keep their marks while clusters apply');
  w.op.sim.control.advance(120);
  await w.sync(u);
  delete u.metadata.annotations;
  const withdrawn = await w.sync(u);
  t.ok((withdrawn.children as Obj[]).every((s) => !Object.keys(s.metadata.labels).some((k) => k.startsWith('share-to.'))), 'no mark left');
  u.metadata.annotations = { 'atlas.mongodb.com/share-connection-secrets-with': 'shop,Not_A_Namespace' };
  await w.sync(u);
  t.match(conditionsOf(u).ValidationSucceeded, { status: 'False', reason: 'DatabaseUserInvalidSpec', message: 'annotation atlas.mongodb.com/share-connection-secrets-with: "Not_A_Namespace" is not a namespace name' });
});

t.test('roles change, scope narrowed (Secret dropped), new cluster (Secret added)', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  u.spec.roles = [{ roleName: 'read', databaseName: 'app' }];
  await w.settle(u);
  t.same(w.users()[0]!.roles, [{ roleName: 'read', databaseName: 'app' }]);
  u.spec.scopes = [{ name: 'test-cluster', type: 'CLUSTER' }];
  const narrowed = await w.settle(u);
  t.same(narrowed.children.map((s: Obj) => s.metadata.labels['atlas.mongodb.com/cluster-name']), ['test-cluster']);
  delete u.spec.scopes;
  await w.settle(u);
  await w.atlas.clusters.create(w.groupId, M10('third-cluster'));
  const creating = await w.sync(u);
  t.match(conditionsOf(u).DatabaseUserReady, { reason: 'DatabaseUserConnectionSecretsNotCreated' });
  t.equal(creating.children.length, 2, 'existing Secrets stay while a new cluster provisions');
  w.op.sim.control.advance(120);
  const added = await w.sync(u);
  t.equal(added.children.length, 3);
  t.ok(added.children.some((s: Obj) => s.metadata.name === 'test-atlas-operator-project-third-cluster-david'));
  t.equal(conditionsOf(u).Ready!.status, 'True');
});

t.test('a scope naming a missing cluster is an invalid spec', async (t) => {
  const w = await world(t);
  const u = user({ scopes: [{ name: 'nope', type: 'CLUSTER' }] });
  await w.sync(u);
  t.match(conditionsOf(u).ValidationSucceeded, { status: 'False', reason: 'DatabaseUserInvalidSpec', message: `"scopes" field references cluster named "nope" but such cluster doesn't exist in Atlas` });
  t.same(w.users(), []);
});

t.test('username change: new user, old user and its Secrets gone', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  u.spec.username = 'dave';
  const res = await w.settle(u);
  t.same(w.users().map((x) => x.username), ['dave']);
  t.ok(res.children.every((s: Obj) => s.metadata.name.endsWith('-dave')));
  t.equal(u.status.name, 'dave');
});

t.test('expiry removes the user and its Secrets, without retries', async (t) => {
  const w = await world(t);
  const u = user();
  await w.settle(u);
  u.spec.deleteAfterDate = new Date(w.op.sim.control.now() + 60_000).toISOString();
  await w.sync(u);
  t.equal(w.users().length, 1, 'not expired yet');
  w.op.sim.control.advance(61);
  const res = await w.sync(u);
  t.match(conditionsOf(u).DatabaseUserReady, { reason: 'DatabaseUserExpired', message: 'The database user is expired and has been removed from Atlas' });
  t.same(res.children, []);
  t.notOk('resyncAfterSeconds' in res);
  t.same(w.users(), []);
});

t.test('password Secret problems, in the official words', async (t) => {
  const w = await world(t);
  const u = user();
  w.objects[2] = secret('team-a', 'david-password', { secret: 'x' });
  await w.sync(u);
  t.equal(conditionsOf(u).DatabaseUserReady!.message, "secret team-a/david-password is invalid: it doesn't contain 'password' field");
  w.objects[2] = secret('team-a', 'david-password', { password: '' });
  await w.sync(u);
  t.equal(conditionsOf(u).DatabaseUserReady!.message, "secret team-a/david-password is invalid: the 'password' field is empty");
  w.objects.pop();
  await w.sync(u);
  t.equal(conditionsOf(u).DatabaseUserReady!.message, 'Secret "david-password" not found in namespace "team-a"');
  t.same(w.users(), [], 'nothing created');
});

t.test('delete: the user goes unless keep; the Secrets go either way', async (t) => {
  const w = await world(t);
  const kept = user({ username: 'kept' }, { name: 'kept', annotations: { 'mongodb.com/atlas-resource-policy': 'keep' } });
  await w.settle(kept);
  const keep = await w.finalize(kept);
  t.equal(keep.finalized, false, 'not yet: Metacontroller deletes children only while the finalizer is on');
  t.same(keep.children, [], 'the Secrets go');
  t.equal((await w.finalize(kept)).finalized, true, 'finalized once no Secret is left');
  t.same(w.users().map((x) => x.username), ['kept']);

  const u = user();
  await w.settle(u);
  const res = await w.finalize(u);
  t.equal(res.finalized, false, 'the Secrets go first');
  t.same(res.children, []);
  t.equal((await w.finalize(u)).finalized, true, 'then USERNAME_NOT_FOUND and no Secret left');
  t.same(w.users().map((x) => x.username), ['kept']);
});

t.test("v2 fields: description and OIDC / AWS IAM users reach Atlas; drift is put back", async (t) => {
  const w = await world(t);
  const oidc = user({ username: 'idp-id/group', databaseName: 'admin', passwordSecretRef: undefined, oidcAuthType: 'IDP_GROUP', description: 'the data team' }, { name: 'oidc', uid: 'uid-oidc' });
  delete oidc.spec.passwordSecretRef;
  await w.settle(oidc);
  t.equal(conditionsOf(oidc).Ready!.status, 'True', 'a user without a password, authenticated by OIDC');
  t.match(await w.atlas.databaseUsers.get(w.groupId, 'admin', 'idp-id/group'), { oidcAuthType: 'IDP_GROUP', description: 'the data team' });
  const aws = user({ username: 'arn:aws:iam::123456789012:role/app', databaseName: '$external', awsIamType: 'ROLE' }, { name: 'aws', uid: 'uid-aws' });
  delete aws.spec.passwordSecretRef;
  await w.settle(aws);
  t.equal(conditionsOf(aws).Ready!.status, 'True');
  t.match(await w.atlas.databaseUsers.get(w.groupId, '$external', 'arn:aws:iam::123456789012:role/app'), { awsIAMType: 'ROLE', databaseName: '$external' });

  const writes = w.op.writes();
  await w.sync(oidc);
  t.equal(w.op.writes(), writes, 'in step: nothing written');
  await w.atlas.databaseUsers.update(w.groupId, 'admin', 'idp-id/group', { description: 'changed in the UI' });
  await w.sync(oidc);
  t.equal((await w.atlas.databaseUsers.get(w.groupId, 'admin', 'idp-id/group'))!.description, 'the data team', 'drift in Atlas is put back');

  const bad = user({ x509Type: 'SOMETIMES' }, { name: 'bad', uid: 'uid-bad' });
  await w.sync(bad);
  t.match(conditionsOf(bad).ValidationSucceeded, { status: 'False', reason: 'DatabaseUserInvalidSpec', message: 'spec.x509Type: "SOMETIMES" is not NONE, MANAGED or CUSTOMER' });

});

t.test('externalProjectRef: the user is made in that project with its connectionSecret, its Secrets named after the project as Atlas names it', async (t) => {
  const w = await world(t);
  const external = user({ username: 'ext-user', externalProjectRef: { id: w.groupId }, connectionSecret: { name: 'atlas-keys' } }, { name: 'external', uid: 'uid-ext' });
  delete external.spec.projectRef;
  const rules = (await w.op.customize('atlasdatabaseuser', external)).relatedResources;
  t.match(rules[0], { resource: 'secrets', names: ['atlas-keys'] }, 'its connectionSecret, not an AtlasProject');
  const answer = await w.settle(external);
  t.equal(conditionsOf(external).Ready!.status, 'True');
  t.notOk(conditionsOf(external).FieldsManaged);
  t.ok(await w.atlas.databaseUsers.get(w.groupId, 'admin', 'ext-user'), 'in Atlas');
  t.equal(external.status.orgId, DEMO_ORG.id, 'its organization on record');
  t.same(answer.children.map((s: Obj) => s.metadata.name).sort(), ['test-atlas-operator-project-other-cluster-ext-user', 'test-atlas-operator-project-test-cluster-ext-user']);
  let removal = await w.finalize(external);
  for (let i = 0; i < 3 && !removal.finalized; i++) removal = await w.finalize(external);
  t.equal(removal.finalized, true);
  t.notOk(await w.atlas.databaseUsers.get(w.groupId, 'admin', 'ext-user'), 'deleted in Atlas');
});
