import t, { type Test } from 'tap';
import { DEMO_ORG } from '../../src/sim/server.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const credentials = secret('team-a', 'atlas-keys', demoCredentials);

function project(spec: Obj, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-1', generation: 1, ...metadata },
    spec: { name: 'Test Atlas Operator Project', connectionSecretRef: { name: 'atlas-keys' }, ...spec },
  };
}

t.test('the seed workflow: Ready=False, the Atlas error for a bad address, Ready after the fix', async (t) => {
  const op = await startOperator(t);
  const p = project({ projectIpAccessList: [{ ipAddress: '192.0.2.15', comment: 'IP address for Application Server A' }, { ipAddress: '192.0.2.1dfdfd5' }] });
  const first = await op.sync('atlasproject', p, [credentials]);
  const c = conditionsOf(p);
  t.equal(c.Ready!.status, 'False');
  t.equal(c.ProjectReady!.status, 'True');
  t.equal(c.IPAccessListReady!.reason, 'ProjectIPAccessListNotCreatedInAtlas');
  t.equal(
    c.IPAccessListReady!.message,
    `POST ${op.sim.url}/api/atlas/v2/groups/${p.status.id}/accessList: 400 (request "INVALID_IP_ADDRESS_OR_CIDR_NOTATION") The address 192.0.2.1dfdfd5 must be in valid IP address or CIDR notation.`,
  );
  t.equal(c.Ready!.message, c.IPAccessListReady!.message, 'Ready says why');
  t.notOk('resyncAfterSeconds' in first, 'a rejected entry is not retried until the spec changes');
  t.match(p.status.id, /^[a-f0-9]{24}$/);

  p.spec.projectIpAccessList = [{ ipAddress: '192.0.2.15', comment: 'IP address for Application Server A' }];
  p.metadata.generation = 2;
  const pending = await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).IPAccessListReady!.reason, 'ProjectIPAccessListNotActive');
  t.equal(conditionsOf(p).IPAccessListReady!.message, '192.0.2.15/32 IP Access List is not yet active, current state: PENDING');
  t.equal(pending.resyncAfterSeconds, 10);
  op.sim.control.advance(30);
  await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).Ready!.status, 'True');
  t.same(Object.keys(conditionsOf(p)), ['Ready', 'ValidationSucceeded', 'ProjectReady', 'IPAccessListReady']);
  t.equal(p.status.observedGeneration, 2);
  t.same(op.sim.control.state().projects[0]!.accessList, [{ cidrBlock: '192.0.2.15/32', ipAddress: '192.0.2.15', comment: 'IP address for Application Server A' }]);
});

t.test('steady state: one Atlas read per sync, whatever the number of entries', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({ projectIpAccessList: Array.from({ length: 20 }, (_, i) => ({ ipAddress: `192.0.2.${i + 1}` })) });
  await op.sync('atlasproject', p, [credentials]);
  await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).Ready!.status, 'True');
  op.sim.control.clearRequestCounts();
  await op.sync('atlasproject', p, [credentials]);
  const calls = Object.entries(op.sim.control.requestCounts()).filter(([, c]) => c.authenticated > 0);
  t.same(calls.map(([route, c]) => `${route} ${c.authenticated}`), ['GET /api/atlas/v2/groups/:groupId/accessList 1'], 'the access list alone shows the project and its entries');
  const before = p.status.id;
  await atlasDeletesProject(op, before);
  await op.sync('atlasproject', p, [credentials]);
  t.not(p.status.id, before, 'a project deleted in Atlas is noticed on that one read…');
  t.same(op.sim.control.state().projects.map((x) => x.id), [p.status.id], '…and created again, once');
});

async function atlasDeletesProject(op: Awaited<ReturnType<typeof startOperator>>, id: string) {
  const { AtlasHttp } = await import('../../src/atlas/http.js');
  const { AtlasAdmin } = await import('../helpers/atlas-admin.js');
  const http = new AtlasHttp({ baseUrl: op.sim.url });
  await new AtlasAdmin(http, { credentials: (await import('../helpers/sim.js')).demoKey }).projects.delete(id);
  await http.close();
}

t.test('steady state: no Atlas writes, byte-identical answers', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({ projectIpAccessList: [{ ipAddress: '192.0.2.15' }, { cidrBlock: '203.0.113.0/24' }] });
  await op.sync('atlasproject', p, [credentials]);
  await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).Ready!.status, 'True');
  const writes = op.writes();
  const a = await op.sync('atlasproject', p, [credentials]);
  const b = await op.sync('atlasproject', p, [credentials]);
  t.equal(op.writes(), writes, 'no POST, PATCH or DELETE reached Atlas');
  t.equal(a.text, b.text, 'identical requests, identical bytes');
  t.notOk(a.text.includes(DEMO_ORG.privateKey), 'no key in the answer');
  const logs = op.hooks.logText();
  t.match(logs, /"msg":"atlas call"/, 'each Atlas call is logged at debug');
  t.notOk(logs.includes(DEMO_ORG.privateKey) || logs.includes(Buffer.from(DEMO_ORG.privateKey).toString('base64')), 'no key in any log line');
  const metrics = (await op.hooks.get('/metrics')).text;
  t.match(metrics, /atlas_metacontroller_atlas_requests_total\{method="GET",route="\/api\/atlas\/v2\/groups\/\{groupId\}\/accessList",status="200"\} \d+/);
  t.match(metrics, /atlas_metacontroller_atlas_requests_total\{method="GET",route="[^"]+",status="401"\} 1/, 'one challenge for the whole run');
  t.match(metrics, /atlas_metacontroller_atlas_request_duration_seconds_count/);
});

t.test('a CIDR block in ipAddress, as the official v0.5.0 quick start writes it, goes to Atlas as a cidrBlock', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({
    projectIpAccessList: [
      { ipAddress: '192.0.2.15', comment: 'IP address for Application Server A' },
      { ipAddress: '203.0.113.7/24', comment: 'CIDR block for Application Server B - D' },
    ],
  });
  await op.sync('atlasproject', p, [credentials]);
  await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).Ready!.status, 'True');
  t.same(op.sim.control.state().projects[0]!.accessList.map((e) => e.cidrBlock), ['192.0.2.15/32', '203.0.113.0/24']);
  const writes = op.writes();
  await op.sync('atlasproject', p, [credentials]);
  t.equal(op.writes(), writes, 'and it is not sent again');
});

t.test('CIDR normalisation clears host bits and compresses IPv6', async (t) => {
  const { normalizeCidr } = await import('../../src/kinds/atlasproject/access-list.js');
  t.equal(normalizeCidr('203.0.113.7/24'), '203.0.113.0/24');
  t.equal(normalizeCidr('10.1.2.3/8'), '10.0.0.0/8');
  t.equal(normalizeCidr('0.0.0.0/0'), '0.0.0.0/0');
  t.equal(normalizeCidr('192.0.2.15/32'), '192.0.2.15/32');
  t.equal(normalizeCidr('2001:DB8:0:0:1::5/64'), '2001:db8::/64');
  t.equal(normalizeCidr('2001:db8::1/128'), '2001:db8::1/128');
  t.equal(normalizeCidr('::ffff:192.0.2.1/120'), '::ffff:c000:200/120');
  t.equal(normalizeCidr('192.0.2.1/33'), undefined);
  t.equal(normalizeCidr('nonsense/8'), undefined);
  t.equal(normalizeCidr('192.0.2.1'), undefined);
});

t.test('reasons say what failed: a failed read is no failed create, and Ready False points at a False step', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({ projectIpAccessList: [{ ipAddress: '192.0.2.15' }] });
  await op.sync('atlasproject', p, [credentials]);
  await op.sync('atlasproject', p, [credentials]);
  t.equal(conditionsOf(p).Ready!.status, 'True');

  // Not Ready yet (as after a restart of the official operator's status), so the project is read first.
  const conditionsBefore = p.status.conditions;
  p.status.conditions = [];
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId', method: 'GET', kind: 'error', status: 500, count: 4 });
  await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).ProjectReady, { status: 'False', reason: 'InternalError', message: /^GET .*\/groups\/[a-f0-9]{24}: 500 \(request "UNEXPECTED_ERROR"\)/ }, 'reading the existing project failed');
  op.sim.control.clearFaults();
  p.status.conditions = conditionsBefore;

  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/accessList/:entryValue/status', method: 'GET', kind: 'rate-limit', retryAfterSeconds: 120, count: 4 });
  p.spec.projectIpAccessList = [{ ipAddress: '192.0.2.15' }, { ipAddress: '192.0.2.99' }];
  const limited = await op.sync('atlasproject', p, [credentials]);
  const c = conditionsOf(p);
  t.match(c.ProjectReady, { status: 'True' }, 'the project step succeeded');
  t.match(c.IPAccessListReady, { status: 'False', reason: 'AtlasRateLimited' }, 'the step that was running carries the failure');
  t.match(c.Ready, { status: 'False', reason: 'AtlasRateLimited' });
  t.equal(limited.resyncAfterSeconds, 120);
});

t.test('entries added behind our back are removed; expired ones are not sent', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const soon = new Date(op.sim.control.now() + 3600_000).toISOString();
  const p = project({ projectIpAccessList: [{ cidrBlock: '203.0.113.0/24' }, { ipAddress: '198.51.100.7', deleteAfterDate: soon }] });
  await op.sync('atlasproject', p, [credentials]);
  const atlas = (await import('../helpers/sim.js')).demoKey;
  const { AtlasHttp } = await import('../../src/atlas/http.js');
  const { AtlasAdmin } = await import('../helpers/atlas-admin.js');
  const http = new AtlasHttp({ baseUrl: op.sim.url });
  t.teardown(() => http.close());
  await new AtlasAdmin(http, { credentials: atlas }).accessList.add(p.status.id, [{ ipAddress: '192.0.2.99', comment: 'added in the UI' }]);
  await op.sync('atlasproject', p, [credentials]);
  t.same(op.sim.control.state().projects[0]!.accessList.map((e) => e.cidrBlock).sort(), ['198.51.100.7/32', '203.0.113.0/24']);
  // An hour passes, on the one clock the hooks and the simulator share.
  op.sim.control.advance(3601);
  await op.sync('atlasproject', p, [credentials]);
  t.same(p.status.expiredIpAccessList, [p.spec.projectIpAccessList[1]]);
  t.same(op.sim.control.state().projects[0]!.accessList.map((e) => e.cidrBlock), ['203.0.113.0/24']);
  t.equal(conditionsOf(p).Ready!.status, 'True');
});

/** The sample's project, made in Atlas by someone else, as another tool or a person would. */
async function projectMadeOutside(t: Test, simUrl: string) {
  const { AtlasHttp } = await import('../../src/atlas/http.js');
  const { AtlasAdmin } = await import('../helpers/atlas-admin.js');
  const http = new AtlasHttp({ baseUrl: simUrl });
  t.teardown(() => http.close());
  return new AtlasAdmin(http, { credentials: (await import('../helpers/sim.js')).demoKey }).projects.create({ name: 'Test Atlas Operator Project', orgId: DEMO_ORG.id });
}

t.test('an existing project of that name is adopted, not duplicated', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const existing = await projectMadeOutside(t, op.sim.url);
  const p = project({});
  await op.sync('atlasproject', p, [credentials]);
  t.equal(p.status.id, existing.id);
  t.equal(op.sim.control.state().projects.length, 1);
});

t.test('a project created by someone else between our read and our create is adopted, not duplicated', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const existing = await projectMadeOutside(t, op.sim.url);
  // Our lookup by name misses it once, as it would a project created just after it.
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/byName/:groupName', method: 'GET', kind: 'error', status: 404, errorCode: 'NOT_IN_GROUP' });
  const creates = () => op.sim.control.requestCounts()['POST /api/atlas/v2/groups']?.authenticated ?? 0;
  const before = creates();
  const p = project({});
  await op.sync('atlasproject', p, [credentials]);
  t.equal(p.status.id, existing.id, 'the create answered GROUP_ALREADY_EXISTS, and the next read found it');
  t.equal(op.sim.control.state().projects.length, 1);
  t.equal(conditionsOf(p).ProjectReady!.status, 'True');
  t.equal(creates() - before, 1, 'one create, refused');
});

t.test('credentials: missing Secret, missing keys, the global Secret', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({});
  await op.sync('atlasproject', p, []);
  t.same(conditionsOf(p).ProjectReady, {
    ...conditionsOf(p).ProjectReady,
    status: 'False',
    reason: 'AtlasCredentialsNotProvided',
    message: 'Secret "atlas-keys" not found in namespace "team-a"',
  });
  await op.sync('atlasproject', p, [secret('team-a', 'atlas-keys', { orgId: DEMO_ORG.id, publicApiKey: DEMO_ORG.publicKey })]);
  t.equal(conditionsOf(p).ProjectReady!.message, 'the following fields are missing in the Secret team-a/atlas-keys: [privateApiKey]');
  t.equal(op.sim.control.state().projects.length, 0, 'nothing was created');

  const global = project({ connectionSecretRef: undefined });
  const dependents = ['atlasclusters', 'atlasdeployments', 'atlasdatabaseusers', 'atlasipaccesslists', 'atlascustomroles'].map((resource) => ({ apiVersion: 'atlas.mongodb.com/v1', resource, namespace: 'team-a', labelSelector: {} }));
  t.same((await op.customize('atlasproject', global)).relatedResources, [
    { apiVersion: 'v1', resource: 'secrets', namespace: 'atlas-system', names: ['atlas-metacontroller-api-key'] },
    ...dependents,
  ]);
  t.same((await op.customize('atlasproject', p)).relatedResources, [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team-a', names: ['atlas-keys'] }, ...dependents]);
  await op.sync('atlasproject', global, [secret('atlas-system', 'atlas-metacontroller-api-key', demoCredentials)]);
  t.equal(conditionsOf(global).Ready!.status, 'True', 'the global Secret serves projects without a connectionSecretRef');
});

t.test('a spec that got past an older CRD is reported, not sent', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({ projectIpAccessList: [{ ipAddress: '192.0.2.1', cidrBlock: '192.0.2.0/24' }] });
  await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).ValidationSucceeded, {
    status: 'False',
    reason: 'ProjectIPAccessListInvalid',
    message: "spec.projectIpAccessList[0]: only one of the 'awsSecurityGroup', 'cidrBlock' or 'ipAddress' is required be specified",
  });
  t.equal(op.writes(), 0);
});

t.test('finalize: deletes, keeps, waits for clusters, explains missing credentials', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({});
  await op.sync('atlasproject', p, [credentials]);
  const kept = project({ name: 'Kept Project' }, { name: 'kept', annotations: { 'mongodb.com/atlas-resource-policy': 'keep' } });
  await op.sync('atlasproject', kept, [credentials]);

  const keep = await op.finalize('atlasproject', kept, [credentials]);
  t.equal(keep.finalized, true);
  t.ok(op.sim.control.state().projects.some((x) => x.name === 'Kept Project'), 'keep leaves the Atlas project');

  const noCredentials = await op.finalize('atlasproject', p, []);
  t.equal(noCredentials.finalized, false);
  t.match(conditionsOf(p).ProjectReady!.message, /cannot be deleted without credentials; add the annotation mongodb.com\/atlas-resource-policy: keep/);

  const { AtlasHttp } = await import('../../src/atlas/http.js');
  const { AtlasAdmin } = await import('../helpers/atlas-admin.js');
  const http = new AtlasHttp({ baseUrl: op.sim.url });
  t.teardown(() => http.close());
  const atlas = new AtlasAdmin(http, { credentials: (await import('../helpers/sim.js')).demoKey });
  await atlas.clusters.create(p.status.id, {
    name: 'c1',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  const blocked = await op.finalize('atlasproject', p, [credentials]);
  t.equal(blocked.finalized, false);
  t.equal(blocked.resyncAfterSeconds, 10, 'clusters are deleted in minutes: look again soon');
  t.match(conditionsOf(p).ProjectReady!.message, /still has clusters: c1/);
  await atlas.clusters.delete(p.status.id, 'c1');
  op.sim.control.advance(1);
  const done = await op.finalize('atlasproject', p, [credentials]);
  t.equal(done.finalized, true);
  t.notOk(op.sim.control.state().projects.some((x) => x.name === 'Test Atlas Operator Project'), 'the Atlas project is gone');
  const again = await op.finalize('atlasproject', p, [credentials]);
  t.equal(again.finalized, true, 'finalize stays idempotent');
});

t.test('finalize waits for the AtlasClusters and AtlasDatabaseUsers of the project, which need it to finalize', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({});
  await op.sync('atlasproject', p, [credentials]);
  const dependent = (kind: string, name: string, projectRef: Obj) => ({ apiVersion: 'atlas.mongodb.com/v1', kind, metadata: { name, namespace: 'team-a' }, spec: { projectRef } });
  const cluster = dependent('AtlasCluster', 'c', { name: 'my-project' });
  const user = dependent('AtlasDatabaseUser', 'u', { name: 'my-project', namespace: 'team-a' });
  const unrelated = dependent('AtlasCluster', 'other', { name: 'other-project' });
  const blocked = await op.finalize('atlasproject', p, [credentials, cluster, user, unrelated]);
  t.equal(blocked.finalized, false);
  t.equal(conditionsOf(p).ProjectReady!.message, 'waiting for AtlasCluster team-a/c, AtlasDatabaseUser team-a/u to be deleted first; the Atlas project is deleted after them');
  t.equal(blocked.resyncAfterSeconds, 10);
  t.equal(op.sim.control.state().projects.length, 1, 'the Atlas project stays meanwhile');
  const done = await op.finalize('atlasproject', p, [credentials, unrelated]);
  t.equal(done.finalized, true);
  t.same(op.sim.control.state().projects, []);
});

t.test('revoked credentials at delete time say so', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({});
  await op.sync('atlasproject', p, [credentials]);
  const revoked = secret('team-a', 'atlas-keys', { ...demoCredentials, privateApiKey: 'revoked-key' });
  const res = await op.finalize('atlasproject', p, [revoked]);
  t.equal(res.finalized, false);
  t.match(conditionsOf(p).ProjectReady!.message, /Atlas refused the credentials in Secret team-a\/atlas-keys .*401.*add the annotation mongodb.com\/atlas-resource-policy: keep/);
  t.notMatch(res.text, /revoked-key/);
  t.equal(op.sim.control.state().projects.length, 1, 'nothing was deleted');
});

t.test('settings: set flags reach Atlas, drift is put back, the rest is left alone; removal unsets the condition only', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project({ settings: { isDataExplorerEnabled: false, isSchemaAdvisorEnabled: true } });
  await op.sync('atlasproject', p, [credentials]);
  const atlasSettings = () => op.sim.control.store.projects.get(p.status.id)!.settings;
  t.match(conditionsOf(p).ProjectSettingsReady, { status: 'True' });
  t.equal(conditionsOf(p).Ready!.status, 'True');
  t.match(atlasSettings(), { isDataExplorerEnabled: false, isSchemaAdvisorEnabled: true, isPerformanceAdvisorEnabled: true }, 'flags the spec leaves out keep their values');
  t.same(op.sim.control.requestCounts()['PATCH /api/atlas/v2/groups/:groupId/settings'], { requests: 1, authenticated: 1 }, 'only the differing flag was sent, once');

  op.sim.control.clearRequestCounts();
  await op.sync('atlasproject', p, [credentials]);
  t.equal(op.writes(), 0, 'in step: nothing written');
  t.same(Object.keys(op.sim.control.requestCounts()).sort(), ['GET /api/atlas/v2/groups/:groupId/accessList', 'GET /api/atlas/v2/groups/:groupId/settings'], 'one read per feature the spec sets');

  atlasSettings().isDataExplorerEnabled = true;
  await op.sync('atlasproject', p, [credentials]);
  t.equal(atlasSettings().isDataExplorerEnabled, false, 'changed in Atlas, put back');

  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/settings', method: 'PATCH', kind: 'error', status: 500, errorCode: 'UNEXPECTED_ERROR', count: 5 });
  atlasSettings().isDataExplorerEnabled = true;
  const failed = await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).ProjectSettingsReady, { status: 'False', reason: 'ProjectSettingsReady', message: /PATCH .*\/settings: 500/ });
  t.equal(failed.resyncAfterSeconds, 30);
  op.sim.control.clearFaults();

  delete p.spec.settings;
  p.metadata.generation = 2;
  op.sim.control.clearRequestCounts();
  await op.sync('atlasproject', p, [credentials]);
  t.notOk(conditionsOf(p).ProjectSettingsReady, 'without spec.settings the condition goes');
  t.notOk(op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/settings'], 'and nothing is read');
  t.equal(atlasSettings().isDataExplorerEnabled, true, 'Atlas keeps what it has');
  t.equal(conditionsOf(p).Ready!.status, 'True');
});

t.test('auditing: set in Atlas, drift put back, the filter compared as JSON, Atlas errors reported; removal switches it off once', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const filter = '{"atype": "authenticate", "param.db": "admin"}';
  const p = project({ auditing: { enabled: true, auditFilter: filter } });
  await op.sync('atlasproject', p, [credentials]);
  const atlasAuditing = () => op.sim.control.store.projects.get(p.status.id)!.auditing;
  t.match(conditionsOf(p).AuditingReady, { status: 'True' });
  t.equal(conditionsOf(p).Ready!.status, 'True');
  t.same(atlasAuditing(), { enabled: true, auditAuthorizationSuccess: false, auditFilter: filter }, 'auditAuthorizationSuccess left out is false, as in the official operator');

  op.sim.control.clearRequestCounts();
  const steady = await op.sync('atlasproject', p, [credentials]);
  t.equal(op.writes(), 0, 'in step: nothing written');
  t.same(Object.keys(op.sim.control.requestCounts()).sort(), ['GET /api/atlas/v2/groups/:groupId/accessList', 'GET /api/atlas/v2/groups/:groupId/auditLog'], 'one read per feature the spec sets');
  t.equal((await op.sync('atlasproject', p, [credentials])).text, steady.text, 'byte-identical answers');

  atlasAuditing()!.auditFilter = '{"param.db":"admin","atype":"authenticate"}';
  await op.sync('atlasproject', p, [credentials]);
  t.equal(op.writes(), 0, 'the same filter written differently is no drift');

  atlasAuditing()!.enabled = false;
  await op.sync('atlasproject', p, [credentials]);
  t.equal(atlasAuditing()!.enabled, true, 'switched off in Atlas, put back');

  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/auditLog', method: 'PATCH', kind: 'error', status: 500, errorCode: 'UNEXPECTED_ERROR', count: 5 });
  atlasAuditing()!.enabled = false;
  const failed = await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).AuditingReady, { status: 'False', reason: 'ProjectAuditingReady', message: /PATCH .*\/auditLog: 500/ });
  t.equal(conditionsOf(p).Ready!.status, 'False');
  t.equal(failed.resyncAfterSeconds, 30);
  op.sim.control.clearFaults();

  p.spec.auditing.auditFilter = 'atype=authenticate';
  p.metadata.generation = 2;
  await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).ValidationSucceeded, { status: 'False', reason: 'ProjectSpecInvalid', message: /^spec\.auditing\.auditFilter: not a JSON document/ });

  delete p.spec.auditing;
  p.metadata.generation = 3;
  op.sim.control.clearRequestCounts();
  await op.sync('atlasproject', p, [credentials]);
  t.notOk(conditionsOf(p).AuditingReady, 'without spec.auditing the condition goes');
  t.equal(atlasAuditing()!.enabled, false, 'auditing this object had set is switched off, as the official operator does');
  t.equal(conditionsOf(p).Ready!.status, 'True');
  op.sim.control.clearRequestCounts();
  atlasAuditing()!.enabled = true;
  await op.sync('atlasproject', p, [credentials]);
  t.notOk(op.sim.control.requestCounts()['GET /api/atlas/v2/groups/:groupId/auditLog'], 'after that, auditing is neither read nor touched');
  t.equal(atlasAuditing()!.enabled, true);
});

t.test('connectionSecretRef.namespace: only the project\'s own namespace is followed, on sync and on delete, and its clusters say why they wait', async (t) => {
  const op = await startOperator(t);
  const elsewhere = secret('team-b', 'atlas-keys', demoCredentials);
  const p = project({ connectionSecretRef: { name: 'atlas-keys', namespace: 'team-b' } });
  await op.sync('atlasproject', p, [credentials, elsewhere]);
  t.match(conditionsOf(p).ValidationSucceeded, { status: 'False', reason: 'ProjectSpecInvalid', message: "spec.connectionSecretRef.namespace: the Secret must be in the project's own namespace (team-a), not team-b; credentials are never read across namespaces" });
  t.equal(op.writes(), 0, 'nothing created');
  const gone = await op.finalize('atlasproject', p, [credentials, elsewhere]);
  t.equal(gone.finalized, false, 'nothing deleted with a Secret other than the one named');
  t.match(conditionsOf(p).ProjectReady, { message: /nothing is deleted in Atlas with another Secret/ });

  p.spec.connectionSecretRef = { name: 'atlas-keys', namespace: 'team-a' };
  await op.sync('atlasproject', p, [credentials]);
  t.match(conditionsOf(p).ProjectReady, { status: 'True' }, 'its own namespace, spelled out, is fine');

  const c = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDeployment', metadata: { name: 'd', namespace: 'team-a', uid: 'uid-d', generation: 1 }, spec: { projectRef: { name: 'my-project' }, deploymentSpec: { name: 'd', replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }] } } };
  const foreignProject = { ...p, spec: { ...p.spec, connectionSecretRef: { name: 'atlas-keys', namespace: 'team-b' } } };
  await op.sync('atlasdeployment', c, [foreignProject, credentials, elsewhere]);
  t.match(conditionsOf(c).DeploymentReady, { status: 'False', reason: 'ProjectNotReady', message: /^AtlasProject team-a\/my-project: spec\.connectionSecretRef\.namespace: the Secret must be in the project's own namespace/ });
});
