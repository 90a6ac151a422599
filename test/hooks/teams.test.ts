/**
 * AtlasProject spec.teams with AtlasTeam, through real HTTP against the simulator: the team
 * is made in the organization with its members, assigned with its roles, kept as the spec
 * says; once declared, spec.teams is the project's whole team list, as in the official
 * operator, but only teams this project made are ever deleted. The AtlasTeam reports what its
 * projects did and keeps its finalizer while referenced.
 */
import t, { type Test } from 'tap';
import { relatedFor } from '../../src/demo/objects.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const team = (usernames: string[], name = 'devs', teamName = 'Developers'): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasTeam',
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, generation: 1 },
  spec: { name: teamName, usernames },
});
const project = (teams: Obj[]): Obj => ({
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasProject',
  metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
  spec: { name: 'Teams Project', connectionSecretRef: { name: 'atlas-keys' }, teams },
});

async function world(t: Test, teams: Obj[], teamObjects: Obj[]) {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const keys = secret('team-a', 'atlas-keys', demoCredentials);
  const p = project(teams);
  const objects: Obj[] = [keys, p, ...teamObjects];
  const related = async (route: string, o: Obj) => Object.values(relatedFor((await op.customize(route, o)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  const sync = async (route: string, o: Obj) => op.sync(route, o, await related(route, o));
  const finalize = async (route: string, o: Obj) => op.finalize(route, o, await related(route, o));
  const store = op.sim.control.store;
  const atlasTeam = (name: string) => store.teamsOf(DEMO_ORG.id).find((x) => x.name === name);
  const members = (name: string) => [...(atlasTeam(name)?.userIds ?? [])].map((id) => store.orgUsers.get(id)!.username).sort();
  const roles = () => store.projects.get(p.status.id)?.teamRoles ?? {};
  return { op, p, objects, sync, finalize, store, atlasTeam, members, roles };
}

t.test('a team is made with its members, assigned with its roles, and kept so: drift put back, no writes at steady state', async (t) => {
  const devs = team(['ada@example.com', 'grace@example.com']);
  const { op, p, sync, atlasTeam, members, roles } = await world(t, [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'] }], [devs]);
  t.same((await op.customize('atlasproject', p)).relatedResources.filter((r: Obj) => r.resource === 'atlasteams'), [{ apiVersion: 'atlas.mongodb.com/v1', resource: 'atlasteams', namespace: 'team-a', names: ['devs'] }], 'the project asks for the AtlasTeams it names');
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'True' });
  t.equal(conditionsOf(p).Ready!.status, 'True');
  const id = atlasTeam('Developers')!.id;
  t.same(members('Developers'), ['ada@example.com', 'grace@example.com']);
  t.same(roles(), { [id]: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'] });
  t.same(p.status.teams, [{ id, teamRef: { name: 'devs', namespace: 'team-a' }, created: true }], 'recorded, and as made by this project');

  op.sim.control.clearRequestCounts();
  const steady = await sync('atlasproject', p);
  t.equal(op.writes(), 0, 'in step: nothing written');
  t.equal((await sync('atlasproject', p)).text, steady.text, 'byte-identical answers');

  await sync('atlasteam', devs);
  t.same(devs.status.id, id, "the AtlasTeam reports the team's id");
  t.same(devs.status.projects, [{ id: p.status.id, name: 'Teams Project' }]);
  t.notOk(conditionsOf(devs).TeamUnmanaged);
  t.equal(conditionsOf(devs).Ready!.status, 'True');

  roles()[id] = ['GROUP_OWNER'];
  atlasTeam('Developers')!.userIds.clear();
  await sync('atlasproject', p);
  t.same(roles()[id], ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'], 'roles changed in Atlas, put back');
  t.same(members('Developers'), ['ada@example.com', 'grace@example.com'], 'members removed in Atlas, put back');

  devs.spec.usernames = ['ada@example.com', 'linus@example.com'];
  await sync('atlasproject', p);
  t.same(members('Developers'), ['ada@example.com', 'linus@example.com'], "a change to the AtlasTeam's members reaches Atlas through the project");
});

t.test('problems are said: a missing AtlasTeam, a user outside the organization, an Atlas error', async (t) => {
  const devs = team(['ada@example.com', 'nobody@example.com']);
  const { op, p, objects, sync, atlasTeam } = await world(t, [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY'] }], []);
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'False', reason: 'ProjectTeamUnavailable', message: 'AtlasTeam team-a/devs not found' });
  t.equal(conditionsOf(p).ProjectReady!.status, 'True', 'the rest of the project is done first');
  objects.push(devs);
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'False', reason: 'ProjectTeamUnavailable', message: new RegExp(`nobody@example.com is not an active member of organization ${DEMO_ORG.id}`) });
  t.notOk(atlasTeam('Developers'), 'nothing made');
  devs.spec.usernames = ['ada@example.com'];
  op.sim.control.injectFault({ route: '/api/atlas/v2/orgs/:orgId/teams', method: 'POST', kind: 'error', status: 500, errorCode: 'UNEXPECTED_ERROR', count: 5 });
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'False', reason: 'TeamNotCreatedInAtlas', message: /POST .*\/teams: 500/ });
  op.sim.control.clearFaults();
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'True' });
});

t.test('spec.teams is the whole team list, as in the official operator; only teams it made are deleted; the AtlasTeam waits for its projects', async (t) => {
  const devs = team(['ada@example.com']);
  const ops = team(['grace@example.com'], 'ops', 'Operations');
  const { op, p, sync, finalize, store, atlasTeam, roles } = await world(t, [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY'] }, { teamRef: { name: 'ops' }, roles: ['GROUP_OWNER'] }], [devs, ops]);
  await sync('atlasproject', p);
  const uiTeam = { id: 'ffffffffffffffffffffffff', orgId: DEMO_ORG.id, name: 'By Hand', userIds: new Set<string>() };
  store.teams.set(uiTeam.id, uiTeam);
  roles()[uiTeam.id] = ['GROUP_READ_ONLY'];

  p.spec.teams = [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY'] }];
  p.metadata.generation = 2;
  await sync('atlasproject', p);
  t.same(Object.keys(roles()), [atlasTeam('Developers')!.id], 'the dropped team is unassigned, and so is one assigned in the Atlas UI that spec.teams does not list');
  t.ok(store.teams.get(uiTeam.id), 'that one is only unassigned: it stays in the organization');
  t.notOk(atlasTeam('Operations'), 'a team this project made goes from the organization with its last assignment');
  t.notOk(p.status.teams.some((x: Obj) => x.teamRef.name === 'ops'));

  const held = await finalize('atlasteam', devs);
  t.equal(held.finalized, false, 'referenced: the finalizer stays');
  t.match(conditionsOf(devs).TeamReady, { status: 'False', reason: 'AtlasFinalizerNotRemoved', message: /in use by AtlasProject team-a\/my-project/ });
  await sync('atlasteam', ops);
  t.match(conditionsOf(ops).TeamUnmanaged, { status: 'True', reason: 'TeamNotReferenced' }, 'an AtlasTeam no project references says so');
  t.equal(conditionsOf(ops).Ready!.status, 'True', 'without holding Ready');
  t.equal((await finalize('atlasteam', ops)).finalized, true, 'and goes when deleted');

  roles()[uiTeam.id] = ['GROUP_READ_ONLY'];
  delete p.spec.teams;
  p.metadata.generation = 3;
  await sync('atlasproject', p);
  t.notOk(conditionsOf(p).ProjectTeamsReady, 'without spec.teams the condition goes');
  t.notOk(p.status.teams);
  t.same(roles(), {}, 'dropping spec.teams removes every team from the project once, as the official operator does');
  t.ok(store.teams.get(uiTeam.id), 'and deletes none it did not make');

  roles()[uiTeam.id] = ['GROUP_READ_ONLY'];
  op.sim.control.clearRequestCounts();
  await sync('atlasproject', p);
  t.same(Object.keys(op.sim.control.requestCounts()), ['GET /api/atlas/v2/groups/:groupId/accessList'], 'after that, teams are not even read');
  t.same(Object.keys(roles()), [uiTeam.id], 'so a team assigned later in the Atlas UI stays');
});

t.test('a stray assignment that fails to go is tried again, and said', async (t) => {
  const devs = team(['ada@example.com']);
  const { op, p, sync, store, roles } = await world(t, [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY'] }], [devs]);
  await sync('atlasproject', p);
  const uiTeam = { id: 'ffffffffffffffffffffffff', orgId: DEMO_ORG.id, name: 'By Hand', userIds: new Set<string>() };
  store.teams.set(uiTeam.id, uiTeam);
  roles()[uiTeam.id] = ['GROUP_READ_ONLY'];
  op.sim.control.injectFault({ route: '/api/atlas/v2/groups/:groupId/teams/:teamId', method: 'DELETE', kind: 'error', status: 500, errorCode: 'UNEXPECTED_ERROR', count: 5 });
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'False', message: /DELETE .*\/teams\/ffffffffffffffffffffffff: 500/ });
  t.ok(roles()[uiTeam.id], 'still assigned');
  op.sim.control.clearFaults();
  await sync('atlasproject', p);
  t.match(conditionsOf(p).ProjectTeamsReady, { status: 'True' });
  t.notOk(roles()[uiTeam.id], 'removed on the next sync');
});

t.test('a team found by name was someone else\'s: unassigned, never deleted; one another project still has is not deleted either', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const store = op.sim.control.store;
  const ada = store.usersOfOrg(DEMO_ORG.id).find((u) => u.username === 'ada@example.com')!;
  store.teams.set('eeeeeeeeeeeeeeeeeeeeeeee', { id: 'eeeeeeeeeeeeeeeeeeeeeeee', orgId: DEMO_ORG.id, name: 'By Hand', userIds: new Set([ada.id]) });
  const keys = secret('team-a', 'atlas-keys', demoCredentials);
  const handmade = team(['ada@example.com'], 'handmade', 'By Hand');
  const mine = team(['ada@example.com'], 'mine', 'Made Here');
  const p = project([{ teamRef: { name: 'handmade' }, roles: ['GROUP_READ_ONLY'] }, { teamRef: { name: 'mine' }, roles: ['GROUP_READ_ONLY'] }]);
  const related = async (o: Obj, objects: Obj[]) => Object.values(relatedFor((await op.customize('atlasproject', o)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
  await op.sync('atlasproject', p, await related(p, [keys, handmade, mine]));
  t.same(p.status.teams.map((x: Obj) => [x.teamRef.name, x.created === true]), [['handmade', false], ['mine', true]], 'the team it made is recorded as made');
  const made = store.teamsOf(DEMO_ORG.id).find((x) => x.name === 'Made Here')!;
  // Another project has the team this one made.
  const second = [...store.projects.values()][0]!;
  const elsewhere = { ...second, id: 'dddddddddddddddddddddddd', name: 'Elsewhere', teamRoles: { [made.id]: ['GROUP_READ_ONLY'] } };
  store.projects.set(elsewhere.id, elsewhere);

  delete p.spec.teams;
  p.metadata.generation = 2;
  await op.sync('atlasproject', p, await related(p, [keys]));
  t.equal(conditionsOf(p).Ready!.status, 'True');
  t.notOk(p.status.teams, 'both assignments removed');
  t.ok(store.teams.get('eeeeeeeeeeeeeeeeeeeeeeee'), 'a team found by name is never deleted');
  t.ok(store.teams.get(made.id), "one it made stays while another project has it (Atlas's CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT)");
});


t.test('deleting the project deletes the teams it made, once the project is gone', async (t) => {
  const devs = team(['ada@example.com']);
  const { p, sync, finalize, atlasTeam, store } = await world(t, [{ teamRef: { name: 'devs' }, roles: ['GROUP_READ_ONLY'] }], [devs]);
  await sync('atlasproject', p);
  t.ok(atlasTeam('Developers'));
  let answer = await finalize('atlasproject', p);
  for (let i = 0; i < 4 && !answer.finalized; i++) answer = await finalize('atlasproject', p);
  t.equal(answer.finalized, true);
  t.equal(store.projects.size, 0, 'the project is gone');
  t.notOk(atlasTeam('Developers'), 'and the team it made with it');
});
