/** AtlasProject's pure plans: what each step writes and reports, without Atlas. */
import t from 'tap';
import { AtlasApiError } from '../../src/atlas/errors.js';
import { checkProjectSpec, dependents, planAccessListStep, planActivation, planAuditing, planMaintenanceActions, planMaintenanceWindow, planProject, planProjectRemoval, planSettings, PLANNED_ID, type ProjectScope } from '../../src/kinds/atlasproject/plan.js';
import type { AtlasProjectSpec } from '../../src/kinds/atlasproject/schema.js';
import { condition, facts, input, NOW, removal } from '../helpers/facts.js';

const secret = { namespace: 'team-a', name: 'keys' };
const scope = (extra: Partial<ProjectScope> = {}): ProjectScope => ({ groupId: 'g1', orgId: 'o1', secret, uncertain: [], added: [], ...extra });
const spec = (extra: Partial<AtlasProjectSpec> = {}): AtlasProjectSpec => ({ name: 'P', ...extra }) as AtlasProjectSpec;

t.test('validation names the field, in the official reasons', async (t) => {
  t.match(checkProjectSpec(facts({ spec: { name: 'P', projectIpAccessList: [{ ipAddress: '192.0.2.1', cidrBlock: '10.0.0.0/8' }] } })), {
    ok: false,
    reason: 'ProjectIPAccessListInvalid',
    message: /^spec\.projectIpAccessList\[0\]: only one of/,
  });
  t.match(checkProjectSpec(facts({ spec: { name: 'P', projectIpAccessList: [{ ipAddress: '192.0.2.1', deleteAfterDate: 'soon' }] } })), { ok: false, message: /deleteAfterDate: "soon" is not an ISO-8601 date/ });
  t.match(checkProjectSpec(facts({ spec: {} })), { ok: false, reason: 'ProjectSpecInvalid', message: /^spec\.name/ });
  t.match(checkProjectSpec(facts({ spec: { name: 'P' } })), { ok: true });
});

t.test('project step: found is adopted, absent is created, credentials that cannot see it change nothing', async (t) => {
  const f = facts({});
  const found = planProject(input(f, spec(), scope()), { project: { id: 'g9', orgId: 'o1' }, accessList: [] });
  t.same(found.writes, []);
  t.same(found.settle([]), { condition: { status: 'True' }, status: { id: 'g9', orgId: 'o1' }, scope: { groupId: 'g9', accessList: [] } });

  const absent = planProject(input(f, spec(), scope({ groupId: PLANNED_ID })), { project: undefined });
  t.match(absent.writes, [{ verb: 'create', request: { method: 'POST', path: '/api/atlas/v2/groups', body: { name: 'P', orgId: 'o1', withDefaultAlertsSettings: true } }, alreadyExists: 'GROUP_ALREADY_EXISTS' }]);
  t.match(absent.settle([{ id: 'new', orgId: 'o1' }]), { condition: { status: 'True' }, status: { id: 'new' }, scope: { groupId: 'new', accessList: [] } });
  t.match(absent.settle(undefined), { status: { id: undefined }, scope: { groupId: PLANNED_ID } }, 'planning: the id is not known yet');

  const error = new AtlasApiError({ httpStatus: 401, method: 'GET', url: 'https://x/groups/g1', body: { errorCode: 'NOT_IN_GROUP', detail: 'no' } });
  const hidden = planProject(input(f, spec(), scope(), { id: 'g1' }), { notInGroup: error });
  t.same(hidden.writes, []);
  t.match(hidden.settle([]), { condition: { status: 'False', reason: 'AtlasAPIAccessNotConfigured', message: /Secret team-a\/keys cannot see the Atlas project g1/ } });
});

t.test('access-list step: add before remove, unchanged entries untouched, expired ones kept out', async (t) => {
  const past = '2026-11-30T00:00:00Z';
  const s = spec({ projectIpAccessList: [{ ipAddress: '192.0.2.1' }, { cidrBlock: '10.0.0.0/8', comment: 'vpn' }, { ipAddress: '192.0.2.9', deleteAfterDate: past }] });
  const plan = planAccessListStep(input(facts({}), s, scope()), [{ cidrBlock: '192.0.2.1/32' }, { cidrBlock: '198.51.100.0/24' }]);
  t.same(plan.writes.map((w) => `${w.verb} ${w.request.method} ${decodeURIComponent(w.request.path)}`), ['update POST /api/atlas/v2/groups/g1/accessList', 'delete DELETE /api/atlas/v2/groups/g1/accessList/198.51.100.0/24']);
  t.same(plan.writes[0]!.request.body, [{ cidrBlock: '10.0.0.0/8', comment: 'vpn' }], 'only what differs is sent');
  t.same(plan.status, { expiredIpAccessList: [{ ipAddress: '192.0.2.9', deleteAfterDate: past }] });
  t.same(plan.settle([]).scope, { uncertain: ['192.0.2.1/32', '10.0.0.0/8'], added: ['10.0.0.0/8'] }, 'never seen active: every entry is read');

  const active = planAccessListStep(input(facts({}, { conditions: [condition('IPAccessListReady', 'True')] }), s, scope()), [{ cidrBlock: '192.0.2.1/32' }, { cidrBlock: '10.0.0.0/8', comment: 'vpn' }]);
  t.same(active.writes, [], 'nothing differs: nothing written');
  t.same(active.settle([]).scope, { uncertain: [], added: [] }, 'seen active and nothing added: no status reads');
  t.same(active.status, { expiredIpAccessList: [{ ipAddress: '192.0.2.9', deleteAfterDate: past }] });
});

t.test('activation: PENDING waits on the lengthening schedule; a plan counts what it would add as PENDING', async (t) => {
  const f = facts({});
  t.match(planActivation(input(f, spec(), scope()), [{ key: '10.0.0.0/8', state: 'PENDING' }]).settle([]), {
    condition: { status: 'False', reason: 'ProjectIPAccessListNotActive', message: '10.0.0.0/8 IP Access List is not yet active, current state: PENDING' },
    wait: 'progress',
  });
  t.same(planActivation(input(f, spec(), scope()), [{ key: '10.0.0.0/8', state: 'ACTIVE' }]).settle([]), { condition: { status: 'True' } });
  t.match(planActivation(input(f, spec(), scope({ added: ['10.0.0.0/8'] }), {}, true), []).settle(undefined), { condition: { status: 'False', reason: 'ProjectIPAccessListNotActive' } });
});

t.test('deletion: dependents first, clusters block, gone only when proven', async (t) => {
  const ref = { name: 'p' };
  const related = {
    'AtlasCluster.atlas.mongodb.com/v1': { 'team-a/c': { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasCluster', metadata: { name: 'c', namespace: 'team-a' }, spec: { projectRef: ref } } },
    'AtlasDatabaseUser.atlas.mongodb.com/v1': { 'team-b/u': { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDatabaseUser', metadata: { name: 'u', namespace: 'team-b' }, spec: { projectRef: ref } } },
  };
  t.same(dependents(facts({}, { related })), ['AtlasCluster team-a/c'], 'a user of another namespace points at its own namespace\'s project');

  const project = { id: 'g1', name: 'P', orgId: 'o1', clusterCount: 0, created: NOW.toISOString() };
  const f = facts({});
  const blocked = planProjectRemoval(removal(f, spec(), scope()), { project, clusters: [{ name: 'c1', stateName: 'IDLE' }] });
  t.same(blocked.writes, []);
  t.match(blocked.settle([]), { gone: false, message: /still has clusters: c1/, wait: 'progress' });

  const deleting = planProjectRemoval(removal(f, spec(), scope()), { project, clusters: [] });
  t.match(deleting, { writes: [{ verb: 'delete', request: { method: 'DELETE', path: '/api/atlas/v2/groups/g1' } }], confirm: true });
  t.match(planProjectRemoval(removal(f, spec(), scope(), {}, true), { project, clusters: [] }).settle([]), { gone: false, message: 'the Atlas project g1 is being deleted', wait: 'soon' });

  t.same(planProjectRemoval(removal(f, spec(), scope()), { project: undefined, provenGone: true }).settle([]), { gone: true });
  t.match(planProjectRemoval(removal(f, spec(), scope()), { project: undefined, provenGone: false }).settle([]), { gone: false, message: /cannot prove the Atlas project gone from organization o1/, keepHint: true });
});

t.test('settings: only the flags the spec sets, and only those that differ, in one PATCH; absent unsets the condition', async (t) => {
  const f = facts({});
  const current = { isDataExplorerEnabled: true, isSchemaAdvisorEnabled: true, isPerformanceAdvisorEnabled: true };
  const plan = planSettings(input(f, spec({ settings: { isDataExplorerEnabled: false, isSchemaAdvisorEnabled: true } }), scope()), current);
  t.match(plan.writes, [{ verb: 'update', request: { method: 'PATCH', path: '/api/atlas/v2/groups/g1/settings', body: { isDataExplorerEnabled: false } }, summary: 'set project settings isDataExplorerEnabled=false' }]);
  t.same(plan.settle([]), { condition: { status: 'True' } });
  t.same(planSettings(input(f, spec({ settings: { isSchemaAdvisorEnabled: true } }), scope()), current).writes, [], 'in step: no write');
  t.same(planSettings(input(f, spec(), scope()), undefined).settle([]), { condition: { status: 'Absent' } });
});

t.test('auditing: booleans left out are false, the filter compared as JSON; removed, switched off only where this object managed it', async (t) => {
  const f = facts({});
  const on = spec({ auditing: { enabled: true, auditFilter: '{"atype":"authenticate"}' } });
  const plan = planAuditing(input(f, on, scope()), { enabled: false, auditAuthorizationSuccess: false, configurationType: 'NONE' });
  t.match(plan.writes, [{ verb: 'update', request: { method: 'PATCH', path: '/api/atlas/v2/groups/g1/auditLog', body: { enabled: true, auditAuthorizationSuccess: false, auditFilter: '{"atype":"authenticate"}' } }, summary: 'set auditing enabled=true, auditFilter' }]);
  t.same(plan.settle([]), { condition: { status: 'True' } });
  t.same(planAuditing(input(f, on, scope()), { enabled: true, auditFilter: '{ "atype": "authenticate" }', configurationType: 'FILTER_JSON' }).writes, [], 'the same document, spaced differently: no write');
  t.equal(planAuditing(input(f, on, scope()), { enabled: true, auditFilter: '{"atype":"authCheck"}' }).writes.length, 1, 'another filter is drift');
  const never = planAuditing(input(f, spec(), scope()), undefined);
  t.same([never.writes, never.settle([])], [[], { condition: { status: 'Absent' } }], 'never managed: nothing');
  const managed = facts({}, { conditions: [condition('AuditingReady', 'True')] });
  const removed = planAuditing(input(managed, spec(), scope()), { enabled: true, auditAuthorizationSuccess: true });
  t.match(removed.writes, [{ request: { method: 'PATCH', body: { enabled: false } }, summary: 'switch auditing off (spec.auditing was removed)' }]);
  t.same(removed.settle([]), { condition: { status: 'Absent' } });
  t.same(planAuditing(input(managed, spec(), scope()), { enabled: false }).writes, [], 'already off: no write');
});

t.test('maintenance window: removed from the spec, reset once where this object managed it', async (t) => {
  t.same(planMaintenanceWindow(input(facts({}), spec(), scope()), undefined).writes, [], 'never managed: Atlas left alone');
  const managed = facts({}, { conditions: [condition('MaintenanceWindowReady', 'True')] });
  const reset = planMaintenanceWindow(input(managed, spec(), scope()), undefined);
  t.match(reset.writes, [{ verb: 'delete', request: { method: 'DELETE', path: '/api/atlas/v2/groups/g1/maintenanceWindow' } }]);
  t.same(reset.settle([]), { condition: { status: 'Absent' } });
});

t.test('maintenance actions: each taken once when set, recorded only once taken, forgotten when unset', async (t) => {
  const withWindow = (window: object, taken?: string[]) => input(facts({}), spec({ maintenanceWindow: window } as Partial<AtlasProjectSpec>), scope(), taken ? { maintenanceActionsTaken: taken } : {});
  const first = planMaintenanceActions(withWindow({ dayOfWeek: 2, startASAP: true }));
  t.match(first.writes, [{ verb: 'update', request: { method: 'PATCH', path: '/api/atlas/v2/groups/g1/maintenanceWindow', body: { startASAP: true } } }]);
  t.same(first.status, { maintenanceActionsTaken: undefined }, 'not recorded before it is taken');
  t.same(first.settle([]).status, { maintenanceActionsTaken: ['startASAP'] });
  t.same(planMaintenanceActions(withWindow({ startASAP: true }, ['startASAP'])).writes, [], 'taken already: nothing');
  t.match(planMaintenanceActions(withWindow({ defer: true }, ['startASAP'])), { writes: [{ verb: 'create', request: { method: 'POST', path: '/api/atlas/v2/groups/g1/maintenanceWindow/defer' } }], status: { maintenanceActionsTaken: undefined } }, 'an unset action is forgotten');
  t.same(planMaintenanceActions(input(facts({}), spec(), scope())).settle([]), { condition: { status: 'Absent' }, status: { maintenanceActionsTaken: undefined } });
});

t.test('create-time fields go into the create only', async (t) => {
  const f = facts({});
  const create = (extra: Partial<AtlasProjectSpec>) => planProject(input(f, spec(extra), scope({ groupId: PLANNED_ID })), { project: undefined }).writes[0]!.request.body;
  t.same(create({}), { name: 'P', orgId: 'o1', withDefaultAlertsSettings: true });
  t.same(create({ withDefaultAlertsSettings: false, regionUsageRestrictions: 'NONE' }), { name: 'P', orgId: 'o1', withDefaultAlertsSettings: false }, 'NONE is not sent');
  t.same(create({ regionUsageRestrictions: 'GOV_REGIONS_ONLY' }), { name: 'P', orgId: 'o1', withDefaultAlertsSettings: true, regionUsageRestrictions: 'GOV_REGIONS_ONLY' });
  const found = planProject(input(f, spec({ withDefaultAlertsSettings: false }), scope()), { project: { id: 'g1', orgId: 'o1' } });
  t.same(found.writes, [], 'an existing project is not changed for them');
});
