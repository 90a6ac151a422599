/**
 * AtlasProject: the Atlas project and its IP access list. Decisions are in plan.ts; this
 * module reads Atlas for them and hands both to the kernel's sequence.
 */
import { AtlasApiError } from '../../atlas/errors.js';
import { stringAt } from '../../kernel/contract.js';
import { credentialsFrom, foreignSecretProblem, projectCredentialsRef, secretRule } from '../../kernel/credentials.js';
import { ACCESS_NOT_CONFIGURED, notInGroup, organizationMismatch } from '../../kernel/identity.js';
import type { KubeObject } from '../../kernel/contract.js';
import { step, type Connect, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { readEach } from '../../kernel/status-reads.js';
import { customRoleReads } from '../atlascustomrole/atlas.js';
import { REASONS } from '../atlascustomrole/plan.js';
import { clusterReads } from '../clusters/atlas.js';
import { API_VERSION } from '../common.js';
import { projectGone } from '../project-scope.js';
import { projectReads } from './atlas.js';
import { observeAssignments, observeTeams, planAssignments, planTeams, teamRules } from './teams.js';
import {
  checkProjectSpec,
  dependents,
  managedBefore,
  ownedRoleNames,
  planCustomRoles,
  planAccessListStep,
  planActivation,
  planProject,
  planProjectRemoval,
  planMaintenanceWindow,
  planMaintenanceActions,
  planAuditing,
  planSettings,
  PLANNED_ID,
  PROJECT_CONDITIONS,
  type ProjectObservation,
  type ProjectRemovalObservation,
  type ProjectScope,
} from './plan.js';
import { AtlasProjectSpec } from './schema.js';

/** The status fields carried from one sync to the next: the project's identity and what its steps record. */
function observedStatus(parent: KubeObject): Record<string, unknown> {
  const status = (parent.status ?? {}) as Record<string, unknown>;
  const carried: Record<string, unknown> = {};
  for (const field of ['id', 'orgId'] as const) if (typeof status[field] === 'string' && status[field]) carried[field] = status[field];
  for (const field of ['expiredIpAccessList', 'customRoles', 'teams', 'maintenanceActionsTaken'] as const) {
    const value = status[field];
    if (Array.isArray(value) && value.length > 0) carried[field] = value;
  }
  return carried;
}

const connect: Connect<AtlasProjectSpec, ProjectScope> = (facts, spec) => {
  const id = stringAt(facts.parent.status, 'id');
  const recordedOrgId = stringAt(facts.parent.status, 'orgId');
  // Never act with a Secret other than the one named: not even to delete.
  const foreign = foreignSecretProblem(facts.parent);
  if (foreign) return { ok: false, reason: 'ProjectSpecInvalid', message: foreign, deleteMessage: `${foreign}: nothing is deleted in Atlas with another Secret` };
  const secret = projectCredentialsRef(facts.parent, facts.identity);
  const creds = credentialsFrom(facts.related, secret);
  // The Secret is a related object: adding or fixing it syncs again.
  if (!creds.ok) return { ok: false, reason: creds.reason, message: creds.message, deleteMessage: `${creds.message}: the Atlas project cannot be deleted without credentials` };
  const mismatch = organizationMismatch(recordedOrgId, creds.credentials.orgId, secret, `the Atlas project ${id ?? spec.name}`);
  if (mismatch) {
    // A project would be created in the wrong organization and the real one left unmanaged.
    return { ok: false, reason: ACCESS_NOT_CONFIGURED, message: `${mismatch}; nothing is created or changed with them`, deleteMessage: `${mismatch}: they cannot tell whether it is gone` };
  }
  return {
    ok: true,
    connection: { credentials: creds.credentials, secret, scope: { groupId: id ?? PLANNED_ID, orgId: recordedOrgId ?? creds.credentials.orgId, secret, uncertain: [], added: [] } },
  };
};

const projectStep = step({
  name: 'project',
  condition: PROJECT_CONDITIONS.project,
  reasons: { create: 'ProjectNotCreatedInAtlas', update: 'ProjectNotCreatedInAtlas', delete: 'ProjectNotCreatedInAtlas' },
  async observe({ facts, spec, status }, atlas): Promise<ProjectObservation> {
    const id = status.id as string | undefined;
    // At steady state one read shows all there is to see: the access list of the recorded
    // project, which also answers GROUP_NOT_FOUND (or NOT_IN_GROUP) if the project is gone.
    if (id && status.orgId && facts.observed(PROJECT_CONDITIONS.project)?.status === 'True') {
      const accessList = await projectReads.accessList(atlas, id).catch((error: unknown) => {
        if (error instanceof AtlasApiError && error.is('GROUP_NOT_FOUND', 'NOT_IN_GROUP')) return undefined;
        throw error;
      });
      if (accessList) return { project: { id, orgId: status.orgId as string }, accessList };
    }
    try {
      // By id first: a project renamed in the Atlas UI must not get a twin.
      const byId = id ? await projectReads.get(atlas, id) : undefined;
      return { project: byId ?? (await projectReads.getByName(atlas, spec.name)) };
    } catch (error) {
      if (notInGroup(error)) return { notInGroup: error };
      throw error;
    }
  },
  plan: planProject,
});

const settingsStep = step({
  name: 'settings',
  condition: PROJECT_CONDITIONS.settings,
  // The official operator's reason for every failure of this step.
  reasons: { create: 'ProjectSettingsReady', update: 'ProjectSettingsReady', delete: 'ProjectSettingsReady' },
  // One read, and only when the spec sets any: a project without settings pays nothing.
  observe: async ({ spec, scope }, atlas) => (spec.settings && scope.groupId !== PLANNED_ID ? projectReads.settings(atlas, scope.groupId) : undefined),
  plan: planSettings,
});

const maintenanceWindowStep = step({
  name: 'maintenance window',
  condition: PROJECT_CONDITIONS.maintenanceWindow,
  // The official operator's reason for a window it could not set.
  reasons: { create: 'ProjectWindowNotCreatedInAtlas', update: 'ProjectWindowNotCreatedInAtlas', delete: 'projectWindowNotDeletedInAtlas' },
  // One read, and only when the spec sets a window (a removed one is reset without reading).
  observe: async ({ spec, scope }, atlas) => (spec.maintenanceWindow && scope.groupId !== PLANNED_ID ? projectReads.maintenanceWindow(atlas, scope.groupId) : undefined),
  plan: planMaintenanceWindow,
});

const maintenanceActionsStep = step<AtlasProjectSpec, ProjectScope, undefined>({
  name: 'maintenance actions',
  condition: PROJECT_CONDITIONS.maintenanceWindow,
  // The official operator's reasons: a failed startASAP PATCH, a failed defer.
  reasons: { create: 'ProjectWindowNotDeferredInAtlas', update: 'ProjectWindowNotCreatedInAtlas', delete: 'projectWindowNotDeletedInAtlas' },
  // An action needs no read: what was taken is in status.
  observe: async () => undefined,
  plan: (input) => planMaintenanceActions(input),
});

const auditingStep = step({
  name: 'auditing',
  condition: PROJECT_CONDITIONS.auditing,
  // The official operator's reason for every failure of this step.
  reasons: { create: 'ProjectAuditingReady', update: 'ProjectAuditingReady', delete: 'ProjectAuditingReady' },
  // One read while the spec sets auditing, and once more after it is removed.
  observe: async (input, atlas) =>
    (input.spec.auditing || managedBefore(input, PROJECT_CONDITIONS.auditing)) && input.scope.groupId !== PLANNED_ID ? projectReads.auditing(atlas, input.scope.groupId) : undefined,
  plan: planAuditing,
});

const customRolesStep = step({
  name: 'custom roles',
  condition: PROJECT_CONDITIONS.customRoles,
  reasons: REASONS,
  // One read while the spec lists roles or a role it made is still on record.
  observe: async ({ spec, scope, status }, atlas) =>
    (spec.customRoles?.length || ownedRoleNames(status).length > 0) && scope.groupId !== PLANNED_ID ? customRoleReads.list(atlas, scope.groupId) : undefined,
  plan: planCustomRoles,
});

const teamsStep = step({
  name: 'teams',
  condition: PROJECT_CONDITIONS.teams,
  reasons: { create: 'TeamNotCreatedInAtlas', update: 'TeamNotUpdatedInAtlas', delete: 'TeamNotUpdatedInAtlas' },
  observe: observeTeams,
  plan: planTeams,
});

const teamAssignmentStep = step({
  name: 'team assignment',
  condition: PROJECT_CONDITIONS.teams,
  // The official operator's reason for a failed assignment.
  reasons: { create: 'ProjectTeamUnavailable', update: 'ProjectTeamUnavailable', delete: 'ProjectTeamUnavailable' },
  observe: observeAssignments,
  plan: planAssignments,
});

const accessListStep = step({
  name: 'access list',
  condition: PROJECT_CONDITIONS.accessList,
  reasons: { create: 'ProjectIPAccessListNotCreatedInAtlas', update: 'ProjectIPAccessListNotCreatedInAtlas', delete: 'ProjectIPAccessListNotCreatedInAtlas' },
  observe: async ({ scope }, atlas) => scope.accessList ?? (await projectReads.accessList(atlas, scope.groupId)),
  plan: planAccessListStep,
});

const activationStep = step({
  name: 'access list activation',
  condition: PROJECT_CONDITIONS.accessList,
  reasons: accessListStep.reasons,
  async observe({ scope, dryRun }, atlas) {
    const readable = dryRun ? scope.uncertain.filter((key) => !scope.added.includes(key)) : scope.uncertain;
    return readEach(readable, async (key) => ({ key, state: await projectReads.accessListStatus(atlas, scope.groupId, key) }));
  },
  plan: planActivation,
});

export const atlasProjectKind: ManagedKind<AtlasProjectSpec, ProjectScope> = {
  kind: 'AtlasProject',
  apiVersion: API_VERSION,
  route: 'atlasproject',
  readyCondition: PROJECT_CONDITIONS.project,
  conditionTypes: Object.values(PROJECT_CONDITIONS),
  customize: (parent, identity) => [
    secretRule(projectCredentialsRef(parent, identity)),
    // A project being deleted waits for its clusters and users; each one going away re-runs it.
    { apiVersion: API_VERSION, resource: 'atlasclusters', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    { apiVersion: API_VERSION, resource: 'atlasdeployments', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    { apiVersion: API_VERSION, resource: 'atlasdatabaseusers', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    // Their entries are theirs: the project's own list leaves them in Atlas.
    { apiVersion: API_VERSION, resource: 'atlasipaccesslists', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    // Its roles are theirs too, and need the project until they are gone.
    { apiVersion: API_VERSION, resource: 'atlascustomroles', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    // The AtlasTeams spec.teams names: a change to one re-syncs the project.
    ...teamRules(parent),
  ],
  validate: checkProjectSpec,
  specSchema: AtlasProjectSpec,
  observedStatus,
  connect,
  steps: [projectStep, settingsStep, maintenanceWindowStep, maintenanceActionsStep, auditingStep, customRolesStep, accessListStep, activationStep, teamsStep, teamAssignmentStep],
  deletion: {
    noun: 'the Atlas project',
    // Clusters and users find their credentials through this object: gone first, they could never be finalized.
    blockers: dependents,
    async observe({ spec, status, scope, confirming }, atlas): Promise<ProjectRemovalObservation> {
      const id = status.id as string | undefined;
      const project = id ? await projectReads.get(atlas, id) : spec.name ? await projectReads.getByName(atlas, spec.name) : undefined;
      // After our own delete, these credentials have just seen and deleted it: no further proof.
      if (!project && confirming) return { project: undefined, provenGone: true };
      if (!project) return { project: undefined, provenGone: await projectGone(atlas, scope.orgId, { ...(id ? { id } : {}), ...(spec.name ? { name: spec.name } : {}) }) };
      return { project, clusters: confirming ? [] : await clusterReads.list(atlas, project.id) };
    },
    plan: planProjectRemoval,
  },
};

export const atlasProject = managedController(atlasProjectKind);
