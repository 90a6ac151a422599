/** AtlasDatabaseUser's pure plans: the user, its propagation, its Secrets, its deletion. */
import t from 'tap';
import type { Cluster } from '../../src/kinds/clusters/atlas.js';
import type { DatabaseUser } from '../../src/kinds/atlasdatabaseuser/atlas.js';
import { checkUserSpec, planPropagation, planSecrets, planUser, planUserRemoval, secretsReleased, type UserScope } from '../../src/kinds/atlasdatabaseuser/plan.js';
import type { AtlasDatabaseUserSpec } from '../../src/kinds/atlasdatabaseuser/schema.js';
import { facts, input, removal } from '../helpers/facts.js';
import { objectMap, secret } from '../helpers/operator.js';

type Spec = AtlasDatabaseUserSpec & { shareWith: string[] };
const spec = (extra: Partial<Spec> = {}): Spec =>
  ({ username: 'app', databaseName: 'admin', projectRef: { name: 'p' }, passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'readWrite', databaseName: 'shop' }], shareWith: [], ...extra }) as Spec;
const idle = (name: string): Cluster => ({ name, stateName: 'IDLE', connectionStrings: { standard: `mongodb://${name}`, standardSrv: `mongodb+srv://${name}` } });
const scope = (extra: Partial<UserScope> = {}): UserScope => ({ groupId: 'g1', orgId: 'o1', projectName: 'P', clusters: [], wrote: false, password: '', ...extra });
const passwordSecret = { ...secret('team-a', 'pw', { password: 's3cret' }), metadata: { name: 'pw', namespace: 'team-a', resourceVersion: '7' } };
const withPassword = facts({}, { related: objectMap(passwordSecret) as any });
const inAtlas: DatabaseUser = { username: 'app', databaseName: 'admin', roles: [{ roleName: 'readWrite', databaseName: 'shop' }], scopes: [], labels: [], x509Type: 'NONE' };

t.test('validation: defaults applied, the field named, the sharing annotation checked', async (t) => {
  t.match(checkUserSpec(facts({ spec: { ...spec(), databaseName: undefined } })), { ok: true, spec: { databaseName: 'admin', shareWith: [] } });
  t.match(checkUserSpec(facts({ spec: { ...spec(), passwordSecretRef: undefined } })), { ok: false, reason: 'DatabaseUserInvalidSpec', message: /passwordSecretRef is required/ });
  t.match(checkUserSpec(facts({ spec: spec(), metadata: { name: 'u', namespace: 'team-a', annotations: { 'atlas.mongodb.com/share-connection-secrets-with': 'shop, Not_A_Namespace' } } })), { ok: false, message: /"Not_A_Namespace" is not a namespace name/ });
});

t.test('absent: created with its password; present and equal: nothing written', async (t) => {
  const create = planUser(input(withPassword, spec(), scope()), { expired: false, user: undefined, clusters: [idle('c1')] });
  t.match(create.writes, [{ verb: 'create', request: { method: 'POST', body: { username: 'app', password: 's3cret' } }, alreadyExists: 'USER_ALREADY_EXISTS' }]);
  t.match(create.settle([]), { condition: { status: 'True' }, status: { passwordVersion: '7', name: 'app' }, scope: { wrote: true, password: 's3cret' } });

  const same = planUser(input(withPassword, spec(), scope(), { passwordVersion: '7', name: 'app' }), { expired: false, user: inAtlas, clusters: [] });
  t.same(same.writes, []);
  t.match(same.settle([]).scope, { wrote: false });
});

t.test('a new password version or a role change is one PATCH; a rename deletes the old user after', async (t) => {
  const rotated = planUser(input(withPassword, spec(), scope(), { passwordVersion: '6', name: 'app' }), { expired: false, user: inAtlas, clusters: [] });
  t.match(rotated.writes, [{ verb: 'update', request: { method: 'PATCH', body: { password: 's3cret' } }, summary: /password/ }]);

  const roles = planUser(input(withPassword, spec({ roles: [{ roleName: 'read', databaseName: 'shop' }] }), scope(), { passwordVersion: '7', name: 'app' }), { expired: false, user: inAtlas, clusters: [] });
  t.equal(roles.writes.length, 1);
  t.notOk((roles.writes[0]!.request.body as Record<string, unknown>).password, 'an unchanged password is not sent again');

  const renamed = planUser(input(withPassword, spec(), scope(), { passwordVersion: '7', name: 'old' }), { expired: false, user: inAtlas, clusters: [] });
  t.same(renamed.writes.map((w) => `${w.verb} ${decodeURIComponent(w.request.path)}`), ['delete /api/atlas/v2/groups/g1/databaseUsers/admin/old']);
});

t.test('expired, a bad password Secret, a scope naming a missing cluster', async (t) => {
  const expired = planUser(input(withPassword, spec({ deleteAfterDate: '2026-11-01T00:00:00Z' }), scope()), { expired: true });
  t.match(expired.writes, [{ verb: 'delete', alreadyDone: ['USERNAME_NOT_FOUND', 'USER_NOT_FOUND'] }]);
  t.match(expired.settle([]), { condition: { reason: 'DatabaseUserExpired' }, children: [] });
  t.notOk(expired.settle([]).wait, 'nothing more to retry');

  const noSecret = planUser(input(facts({}), spec(), scope()), { expired: false, user: undefined, clusters: [] });
  t.same(noSecret.writes, []);
  t.match(noSecret.settle([]), { condition: { reason: 'DatabaseUserPasswordSecretInvalid', message: 'Secret "pw" not found in namespace "team-a"' } });

  const scoped = planUser(input(withPassword, spec({ scopes: [{ name: 'gone', type: 'CLUSTER' }] }), scope()), { expired: false, user: undefined, clusters: [idle('c1')] });
  t.same(scoped.writes, []);
  t.match(scoped.settle([]), { type: 'ValidationSucceeded', condition: { reason: 'DatabaseUserInvalidSpec', message: /"gone" but such cluster doesn't exist/ } });
});

t.test('propagation: waits for every cluster to apply; a plan of a change assumes none has', async (t) => {
  const clusters = [idle('c1'), idle('c2')];
  t.match(planPropagation(input(withPassword, spec(), scope({ clusters })), ['c2']).settle([]), { condition: { reason: 'ClustersAppliedDatabaseUsersChanges', message: '1 out of 2 clusters have applied database user changes' }, wait: 'progress' });
  t.same(planPropagation(input(withPassword, spec(), scope({ clusters })), []).settle([]), { condition: { status: 'True' } });
  t.match(planPropagation(input(withPassword, spec(), scope({ clusters, wrote: true }), {}, true), undefined).settle(undefined), { condition: { message: '0 out of 2 clusters have applied database user changes' } });
});

t.test('secrets: one per serving cluster, official names; a provisioning cluster keeps its old one', async (t) => {
  const oldSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'p-c2-app', namespace: 'team-a', resourceVersion: '99', labels: { 'atlas.mongodb.com/type': 'credentials' } }, data: { password: 'b2xk' } };
  const f = facts({}, { children: objectMap(oldSecret) as any });
  const plan = planSecrets(input(f, spec(), scope({ clusters: [idle('c1'), { name: 'c2', stateName: 'UPDATING' }, { name: 'c3', stateName: 'DELETING' }], password: 's3cret' })));
  const verdict = plan.settle([]);
  t.same(verdict.children!.map((c) => c.metadata.name), ['p-c1-app', 'p-c2-app']);
  t.notOk(verdict.children![1]!.metadata.resourceVersion, 'the kept Secret is re-rendered, never echoed');
  t.match(verdict, { condition: { reason: 'DatabaseUserConnectionSecretsNotCreated', message: 'Waiting for clusters to get created/updated: c2' }, wait: 'progress' });
});

t.test('deletion: delete both names, then Ready to go only when Atlas no longer lists the user', async (t) => {
  const f = facts({});
  const first = planUserRemoval(removal(f, spec(), scope(), { name: 'old' }), undefined);
  t.same(first.writes.map((w) => decodeURIComponent(w.request.path)), ['/api/atlas/v2/groups/g1/databaseUsers/admin/app', '/api/atlas/v2/groups/g1/databaseUsers/admin/old']);
  t.equal(first.confirm, true);
  t.match(planUserRemoval(removal(f, spec(), scope(), {}, true), { left: true }).settle([]), { gone: false, wait: 'soon' });
  t.same(planUserRemoval(removal(f, spec(), scope(), {}, true), { left: false }).settle([]), { gone: true });
  t.same(secretsReleased(facts({}, { children: objectMap({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team-a' } }) as any })), { finalized: false, wait: 'children' }, 'Secrets first');
  t.same(secretsReleased(facts({})), { finalized: true });
});
