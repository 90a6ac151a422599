/**
 * AtlasProject's decisions, pure: the spec check, and per step what to write and what to
 * report once written. Steps (the official operator's conditions): ValidationSucceeded,
 * ProjectReady (find or create the project), IPAccessListReady (the spec is
 * authoritative, then every entry ACTIVE). A sync where nothing differs writes nothing.
 */
import { isJsonDocument } from '../../json-document.js';
import type { AtlasApiError } from '../../atlas/errors.js';
import { NOT_FOUND } from '../../atlas/errors.js';
import { groupKey, stringAt } from '../../kernel/contract.js';
import { foreignSecretProblem, type SecretRef } from '../../kernel/credentials.js';
import { ACCESS_NOT_CONFIGURED } from '../../kernel/identity.js';
import type { AtlasWrite, Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { API_VERSION } from '../common.js';
import { canonical } from '../compare.js';
import { accessListKey, planAccessList } from './access-list.js';
import { accessListRequests, auditingRequests, maintenanceWindowRequests, projectRequests, settingsRequests, type AccessListEntry, type AccessListStatus, type Auditing, type MaintenanceWindow, type Project, type Settings } from './atlas.js';
import type { Cluster } from '../clusters/atlas.js';
import type { AtlasCustomDbRole } from '../atlascustomrole/atlas.js';
import { roleDelete, roleProblem, roleWrite } from '../atlascustomrole/plan.js';
import { teamRequests, TEAM_NOT_DELETABLE } from '../atlasteam/atlas.js';
import { AtlasProjectSpec, ONE_ADDRESS_MESSAGE } from './schema.js';
import { schemaProblem } from '../../kernel/validation.js';

export const PROJECT_CONDITIONS = {
  project: 'ProjectReady',
  settings: 'ProjectSettingsReady',
  maintenanceWindow: 'MaintenanceWindowReady',
  auditing: 'AuditingReady',
  customRoles: 'ProjectCustomRolesReady',
  accessList: 'IPAccessListReady',
  // Last, as its steps run last: a kernel-level failure lands on the step that was running.
  teams: 'ProjectTeamsReady',
} as const;

export interface ProjectScope {
  /** The Atlas project, once found or created; `{groupId}` while only planned. */
  groupId: string;
  /** Where a new project is created: the credentials' organization. */
  orgId: string;
  secret: SecretRef;
  /** The access list, when an earlier read already returned it. */
  accessList?: AccessListEntry[];
  /** Entries that may still be PENDING, and those of them this sync adds. */
  uncertain: string[];
  added: string[];
  /** spec.teams: each AtlasTeam (namespace/name) and its Atlas team id, once made or found. */
  teamIds?: Record<string, string>;
  /** The ids of the teams this sync created (not found by name). */
  createdTeams?: string[];
}

export type ProjectInput = StepInput<AtlasProjectSpec, ProjectScope>;

/** Stands for the id of a project a plan would create. */
export const PLANNED_ID = '{groupId}';

export function checkProjectSpec(facts: Facts): Validation<AtlasProjectSpec> {
  const spec = facts.parent.spec;
  const problem = schemaProblem(AtlasProjectSpec, spec);
  if (problem) return { ok: false, reason: 'ProjectSpecInvalid', message: problem };
  const valid = spec as AtlasProjectSpec;
  const foreign = foreignSecretProblem(facts.parent);
  if (foreign) return { ok: false, reason: 'ProjectSpecInvalid', message: foreign };
  for (const [i, entry] of (valid.projectIpAccessList ?? []).entries()) {
    const given = [entry.ipAddress, entry.cidrBlock, entry.awsSecurityGroup].filter((v) => v !== undefined);
    if (given.length !== 1) {
      return { ok: false, reason: 'ProjectIPAccessListInvalid', message: `spec.projectIpAccessList[${i}]: ${ONE_ADDRESS_MESSAGE}` };
    }
    if (entry.deleteAfterDate !== undefined && Number.isNaN(Date.parse(entry.deleteAfterDate))) {
      return { ok: false, reason: 'ProjectIPAccessListInvalid', message: `spec.projectIpAccessList[${i}].deleteAfterDate: "${entry.deleteAfterDate}" is not an ISO-8601 date` };
    }
  }
  const roleNames = new Set<string>();
  for (const [i, role] of (valid.customRoles ?? []).entries()) {
    const problem = roleProblem(role, `spec.customRoles[${i}]`) ?? (roleNames.has(role.name) ? `spec.customRoles[${i}].name: ${role.name} is listed twice` : undefined);
    if (problem) return { ok: false, reason: 'ProjectSpecInvalid', message: problem };
    roleNames.add(role.name);
  }
  const filter = valid.auditing?.auditFilter;
  if (filter !== undefined && !isJsonDocument(filter)) {
    return { ok: false, reason: 'ProjectSpecInvalid', message: 'spec.auditing.auditFilter: not a JSON document (write the filter as JSON, e.g. {"atype": "authenticate"})' };
  }
  const window = valid.maintenanceWindow;
  if (window?.startASAP && window.defer) {
    return { ok: false, reason: 'ProjectWindowInvalid', message: 'spec.maintenanceWindow: startASAP and defer cannot both be set (start the maintenance now, or put it off)' };
  }
  if (window && window.hourOfDay !== undefined && window.dayOfWeek === undefined) {
    return { ok: false, reason: 'ProjectWindowInvalid', message: 'spec.maintenanceWindow.hourOfDay needs spec.maintenanceWindow.dayOfWeek' };
  }
  return { ok: true, spec: valid };
}

export type ProjectObservation =
  | { project: Pick<Project, 'id' | 'orgId'> | undefined; accessList?: AccessListEntry[] }
  | { notInGroup: AtlasApiError };

export function planProject(input: ProjectInput, observed: ProjectObservation): StepPlan<ProjectScope> {
  const { spec, scope, status } = input;
  if ('notInGroup' in observed) {
    const message = `the credentials in Secret ${scope.secret.namespace}/${scope.secret.name} cannot see the Atlas project ${String(status.id)} (${observed.notInGroup.message}); nothing is created with them`;
    return { writes: [], settle: () => ({ condition: { status: 'False', reason: ACCESS_NOT_CONFIGURED, message } }) };
  }
  const found = observed.project;
  if (found) {
    return {
      writes: [],
      settle: () => ({
        condition: { status: 'True' },
        status: { id: found.id, orgId: found.orgId },
        scope: { groupId: found.id, ...(observed.accessList ? { accessList: observed.accessList } : {}) },
      }),
    };
  }
  const create: AtlasWrite = {
    verb: 'create',
    request: projectRequests.create({
      name: spec.name,
      orgId: scope.orgId,
      withDefaultAlertsSettings: spec.withDefaultAlertsSettings ?? true,
      // Commercial Atlas knows no NONE: only a real restriction is sent.
      ...(spec.regionUsageRestrictions && spec.regionUsageRestrictions !== 'NONE' ? { regionUsageRestrictions: spec.regionUsageRestrictions } : {}),
    }),
    summary: `create project ${spec.name} in organization ${scope.orgId}`,
    alreadyExists: 'GROUP_ALREADY_EXISTS',
  };
  return {
    writes: [create],
    settle: (answers) => {
      const created = answers?.[0] as Project | undefined;
      return {
        condition: { status: 'True' },
        status: { id: created?.id, orgId: created?.orgId ?? scope.orgId },
        // A new project's access list is empty: nothing to read.
        scope: { groupId: created?.id ?? PLANNED_ID, accessList: [] },
      };
    },
  };
}

/**
 * The settings the spec sets, compared flag by flag; flags it leaves out stay as Atlas has
 * them. Without spec.settings nothing is read or written and the condition goes, as the
 * official operator does (a removed field does not reset Atlas).
 */
export function planSettings(input: ProjectInput, current: Settings | undefined): StepPlan<ProjectScope> {
  const wanted = input.spec.settings;
  if (!wanted) return { writes: [], settle: () => ({ condition: { status: 'Absent' } }) };
  const differing = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => value !== undefined && current?.[name] !== value)) as Settings;
  const names = Object.keys(differing);
  if (names.length === 0) return { writes: [], settle: () => ({ condition: { status: 'True' } }) };
  return {
    writes: [{ verb: 'update', request: settingsRequests.update(input.scope.groupId, differing), summary: `set project settings ${names.map((n) => `${n}=${differing[n]}`).join(', ')}` }],
    settle: () => ({ condition: { status: 'True' } }),
  };
}

/** The entries the project's AtlasIPAccessList objects own: listed in their spec or their last status. */
export function accessListsOfOthers(facts: Facts): string[] {
  return objectsInProject(facts, 'AtlasIPAccessList').flatMap((list) => [
    ...((list.spec as { entries?: Array<{ ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string }> } | undefined)?.entries ?? []).map(accessListKey),
    ...(((list.status as { entries?: Array<{ entry: string }> } | undefined)?.entries ?? []).map((e) => e.entry)),
  ]);
}

/**
 * Whether this object managed a feature before: its condition is in the status the request
 * carried. A feature removed from the spec is then put back to Atlas's default once, as the
 * official operator does; one this object never managed is never read or touched.
 */
export function managedBefore(input: ProjectInput, condition: string): boolean {
  return input.facts.observed(condition) !== undefined;
}

/**
 * The maintenance window the spec sets: day, hour and auto-defer, each only when set.
 * Removed from the spec, the window is reset to Atlas's default once and the condition goes.
 * The one-shot actions (startASAP, defer) are the next step's.
 */
export function planMaintenanceWindow(input: ProjectInput, current: MaintenanceWindow | undefined): StepPlan<ProjectScope> {
  const window = input.spec.maintenanceWindow;
  if (!window) {
    if (!managedBefore(input, PROJECT_CONDITIONS.maintenanceWindow)) return { writes: [], settle: () => ({ condition: { status: 'Absent' } }) };
    return {
      writes: [{ verb: 'delete', request: maintenanceWindowRequests.reset(input.scope.groupId), summary: "reset the maintenance window to Atlas's default (spec.maintenanceWindow was removed)" }],
      settle: () => ({ condition: { status: 'Absent' } }),
    };
  }
  const wanted: MaintenanceWindow = {
    ...(window.dayOfWeek !== undefined ? { dayOfWeek: window.dayOfWeek } : {}),
    ...(window.hourOfDay !== undefined ? { hourOfDay: window.hourOfDay } : {}),
    ...(window.autoDefer !== undefined ? { autoDeferOnceEnabled: window.autoDefer } : {}),
  };
  const differing = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => current?.[name] !== value)) as MaintenanceWindow;
  const names = Object.keys(differing);
  if (names.length === 0) return { writes: [], settle: () => ({ condition: { status: 'True' } }) };
  return {
    writes: [{ verb: 'update', request: maintenanceWindowRequests.update(input.scope.groupId, differing), summary: `set the maintenance window ${names.map((n) => `${n}=${differing[n]}`).join(', ')}` }],
    settle: () => ({ condition: { status: 'True' } }),
  };
}

const ONE_SHOT_ACTIONS = ['startASAP', 'defer'] as const;

/**
 * startASAP and defer are actions, not state: each is taken once when it appears in the
 * spec, and recorded in status.maintenanceActionsTaken, so later syncs (and every other spec
 * change) do not start or defer maintenance again. Unset and set it again to repeat it. A
 * failed action is not recorded, so it is tried again. (The official operator takes them on
 * every reconcile while they are set.)
 */
export function planMaintenanceActions(input: ProjectInput): StepPlan<ProjectScope> {
  const window = input.spec.maintenanceWindow;
  const set = ONE_SHOT_ACTIONS.filter((action) => window?.[action] === true);
  const taken = ((input.status.maintenanceActionsTaken as string[] | undefined) ?? []).filter((action) => (set as readonly string[]).includes(action));
  const due = set.filter((action) => !taken.includes(action));
  const record = (actions: readonly string[]) => ({ maintenanceActionsTaken: actions.length > 0 ? [...actions] : undefined });
  const { groupId } = input.scope;
  const writes: AtlasWrite[] = due.map((action) =>
    action === 'startASAP'
      ? { verb: 'update' as const, request: maintenanceWindowRequests.update(groupId, { startASAP: true }), summary: 'start the pending maintenance now (startASAP)' }
      : { verb: 'create' as const, request: maintenanceWindowRequests.defer(groupId), summary: 'defer the scheduled maintenance by one week' },
  );
  // Written whether or not the writes succeed: only what was taken before stays recorded.
  return { writes, status: record(taken), settle: () => ({ condition: window ? { status: 'True' } : { status: 'Absent' }, status: record(set) }) };
}

/** Filters are compared as JSON: Atlas may space or order a document differently than it was written. */
function sameFilter(atlas: string | undefined, wanted: string): boolean {
  if (atlas === wanted) return true;
  if (atlas === undefined || !isJsonDocument(atlas)) return false;
  return canonical(JSON.parse(atlas)) === canonical(JSON.parse(wanted));
}

/**
 * Database auditing as the spec sets it: `enabled` and `auditAuthorizationSuccess` (false
 * when left out, as in the official operator) and the filter when given. Removed from the
 * spec, auditing is switched off once and the condition goes, as the official operator does.
 */
export function planAuditing(input: ProjectInput, current: Auditing | undefined): StepPlan<ProjectScope> {
  const auditing = input.spec.auditing;
  if (!auditing && !managedBefore(input, PROJECT_CONDITIONS.auditing)) return { writes: [], settle: () => ({ condition: { status: 'Absent' } }) };
  const done = { condition: auditing ? ({ status: 'True' } as const) : ({ status: 'Absent' } as const) };
  const wanted: Auditing = auditing
    ? { enabled: auditing.enabled ?? false, auditAuthorizationSuccess: auditing.auditAuthorizationSuccess ?? false, ...(auditing.auditFilter !== undefined ? { auditFilter: auditing.auditFilter } : {}) }
    : { enabled: false };
  const differing = Object.entries(wanted)
    .filter(([name, value]) => (name === 'auditFilter' ? !sameFilter(current?.auditFilter, value as string) : (current?.[name as keyof Auditing] ?? false) !== value))
    .map(([name]) => name);
  if (differing.length === 0) return { writes: [], settle: () => done };
  const summary = auditing ? `set auditing ${differing.map((n) => (n === 'auditFilter' ? 'auditFilter' : `${n}=${String(wanted[n as keyof Auditing])}`)).join(', ')}` : 'switch auditing off (spec.auditing was removed)';
  return { writes: [{ verb: 'update', request: auditingRequests.update(input.scope.groupId, wanted), summary }], settle: () => done };
}

export function planAccessListStep(input: ProjectInput, current: AccessListEntry[]): StepPlan<ProjectScope> {
  const { scope } = input;
  const plan = planAccessList(input.spec.projectIpAccessList ?? [], current, input.facts.now, accessListsOfOthers(input.facts));
  const writes: AtlasWrite[] = [
    // Add before removing, so a rejected entry leaves what already works in place.
    ...(plan.add.length > 0
      ? [{ verb: 'update' as const, request: accessListRequests.add(scope.groupId, plan.add), summary: `add or update access-list entries ${plan.add.map(accessListKey).join(', ')}` }]
      : []),
    ...plan.remove.map((key) => ({
      verb: 'delete' as const,
      request: accessListRequests.delete(scope.groupId, key),
      summary: `remove access-list entry ${key}`,
      alreadyDone: NOT_FOUND.accessListEntry,
    })),
  ];
  // Only entries that may be PENDING need a status read: every one until the list was seen
  // active, after that the ones this sync adds (re-posting an active entry keeps it active).
  const wasActive = input.facts.observed(PROJECT_CONDITIONS.accessList)?.status === 'True';
  return {
    writes,
    status: { expiredIpAccessList: plan.expired.length > 0 ? plan.expired : undefined },
    settle: () => ({ condition: { status: 'True' }, scope: { uncertain: wasActive ? plan.newKeys : plan.desiredKeys, added: plan.newKeys } }),
  };
}

export function planActivation(input: ProjectInput, states: Array<{ key: string; state: AccessListStatus }>): StepPlan<ProjectScope> {
  // A plan cannot read the state of an entry it has not added: Atlas starts every new one PENDING.
  const planned = input.dryRun ? input.scope.added.map((key) => ({ key, state: 'PENDING' as const })) : [];
  const pending = [...states, ...planned].find((s) => s.state !== 'ACTIVE');
  return {
    writes: [],
    settle: () =>
      pending
        ? { condition: { status: 'False', reason: 'ProjectIPAccessListNotActive', message: `${pending.key} IP Access List is not yet active, current state: ${pending.state}` }, wait: 'progress' }
        : { condition: { status: 'True' } },
  };
}

/** The roles spec.customRoles made: those its last status listed. */
export function ownedRoleNames(status: Readonly<Record<string, unknown>>): string[] {
  return ((status.customRoles as Array<{ name: string }> | undefined) ?? []).map((role) => role.name);
}

/**
 * spec.customRoles: each role created or put back as the spec says; a role this list made
 * (its status names it) and the spec dropped is deleted, as the official operator does with
 * its last-applied spec. Roles made elsewhere, in the Atlas UI or by an AtlasCustomRole, are
 * never touched; a role an AtlasCustomRole of this project also declares is refused, so two
 * objects never fight over it.
 */
export function planCustomRoles(input: ProjectInput, current: AtlasCustomDbRole[] | undefined): StepPlan<ProjectScope> {
  const desired = input.spec.customRoles ?? [];
  const owned = ownedRoleNames(input.status);
  if (desired.length === 0 && owned.length === 0) return { writes: [], settle: () => ({ condition: { status: 'Absent' } }) };
  const claimed = new Map(objectsInProject(input.facts, 'AtlasCustomRole').map((o) => [stringAt(o.spec, 'role', 'name'), `${o.metadata.namespace}/${o.metadata.name}`]));
  const contested = desired.find((role) => claimed.has(role.name));
  if (contested) {
    const message = `spec.customRoles: ${contested.name} is managed by AtlasCustomRole ${claimed.get(contested.name)}; declare it in one place only`;
    return { writes: [], settle: () => ({ condition: { status: 'False', reason: 'ProjectCustomRolesReady', message } }) };
  }
  const inAtlas = new Map((current ?? []).map((role) => [role.roleName, role]));
  const dropped = owned.filter((name) => !desired.some((role) => role.name === name) && inAtlas.has(name) && !claimed.has(name));
  const writes = [
    ...desired.flatMap((role) => roleWrite(input.scope.groupId, role, inAtlas.get(role.name)) ?? []),
    ...dropped.map((name) => roleDelete(input.scope.groupId, name)),
  ];
  const listed = (names: string[]) => (names.length > 0 ? names.map((name) => ({ name, status: 'OK' })) : undefined);
  return {
    writes,
    // Until a dropped role is gone it stays on record, so a failed delete is tried again.
    status: { customRoles: listed([...desired.map((role) => role.name), ...dropped]) },
    settle: () => ({ condition: desired.length > 0 ? { status: 'True' } : { status: 'Absent' }, status: { customRoles: listed(desired.map((role) => role.name)) } }),
  };
}

const DEPENDENT_KINDS = ['AtlasCluster', 'AtlasDeployment', 'AtlasDatabaseUser', 'AtlasIPAccessList', 'AtlasCustomRole'];

/** The objects of a kind, in this namespace, whose projectRef names this project. */
function ownObjects(facts: Facts, kind: string) {
  const { name, namespace = 'default' } = facts.parent.metadata;
  return Object.values(facts.related[groupKey(kind, API_VERSION)] ?? {}).filter(
    (object) => stringAt(object.spec, 'projectRef', 'name') === name && (stringAt(object.spec, 'projectRef', 'namespace') || object.metadata.namespace) === namespace,
  );
}

/**
 * The objects of a kind, in this namespace, that act in this project's Atlas project: by
 * projectRef, or by an externalProjectRef to its id. Their Atlas objects are theirs.
 */
function objectsInProject(facts: Facts, kind: string) {
  const id = stringAt(facts.parent.status, 'id');
  const external = id ? Object.values(facts.related[groupKey(kind, API_VERSION)] ?? {}).filter((object) => stringAt(object.spec, 'externalProjectRef', 'id') === id) : [];
  return [...ownObjects(facts, kind), ...external];
}

/** The objects of this namespace that belong to this project (clusters, deployments, users, access lists, custom roles). */
export function dependents(facts: Facts): string[] {
  return DEPENDENT_KINDS.flatMap((kind) =>
    ownObjects(facts, kind)
      .map((object) => `${kind} ${object.metadata.namespace}/${object.metadata.name}`)
      .sort(),
  );
}

export type ProjectRemovalObservation = { project: Project; clusters: Cluster[] } | { project: undefined; provenGone: boolean };

export function planProjectRemoval(input: RemovalInput<AtlasProjectSpec, ProjectScope>, observed: ProjectRemovalObservation): RemovalPlan {
  const { secret, orgId } = input.scope;
  if (!observed.project) {
    // Not found counts only from credentials proven to act for the project's organization,
    // and only once that organization's project list agrees.
    if (!observed.provenGone) {
      return { writes: [], settle: () => ({ gone: false, message: `the credentials in Secret ${secret.namespace}/${secret.name} cannot prove the Atlas project gone from organization ${orgId}`, wait: 'retry', keepHint: true }) };
    }
    // The teams it made go with it, as in the official operator (Atlas keeps any another project has).
    const madeTeams = ((input.status.teams as Array<{ id?: string; created?: boolean; teamRef: { name: string } }> | undefined) ?? []).filter((team) => team.created && team.id);
    if (madeTeams.length === 0) return { writes: [], settle: () => ({ gone: true }) };
    if (input.confirming) return { writes: [], settle: () => ({ gone: false, message: `the Atlas project is gone; deleting the teams it made (${madeTeams.map((team) => team.teamRef.name).join(', ')})`, wait: 'soon' }) };
    return {
      writes: madeTeams.map((team) => ({ verb: 'delete' as const, request: teamRequests.delete(orgId, team.id!), summary: `delete team ${team.teamRef.name} from the organization unless another project has it`, alreadyDone: TEAM_NOT_DELETABLE })),
      settle: () => ({ gone: true }),
    };
  }
  const project = observed.project;
  if (input.confirming) return { writes: [], settle: () => ({ gone: false, message: `the Atlas project ${project.id} is being deleted`, wait: 'soon' }) };
  if (observed.clusters.length > 0) {
    // Clusters that no AtlasCluster of this namespace manages: look again on a schedule.
    const names = observed.clusters.map((c) => c.name).join(', ');
    return { writes: [], settle: () => ({ gone: false, message: `the Atlas project ${project.name} (${project.id}) still has clusters: ${names}; it is deleted once they are gone`, wait: 'progress' }) };
  }
  return {
    writes: [{ verb: 'delete', request: projectRequests.delete(project.id), summary: `delete project ${project.name}`, alreadyDone: NOT_FOUND.project }],
    // Deleted only once Atlas says it is gone.
    confirm: true,
    settle: () => ({ gone: false, message: `the Atlas project ${project.id} is being deleted`, wait: 'soon' }),
  };
}
