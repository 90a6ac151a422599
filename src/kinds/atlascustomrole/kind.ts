/**
 * AtlasCustomRole: one custom database role, in a project an AtlasProject manages or one an
 * externalProjectRef names. Decisions are in plan.ts.
 */
import { stringAt } from '../../kernel/contract.js';
import { step, type ManagedKind } from '../../kernel/managed.js';
import { managedController } from '../../kernel/sequence.js';
import { API_VERSION } from '../common.js';
import { connectToProject, goneWithProject, projectOrExternalRules, type InProject } from '../project-scope.js';
import { customRoleReads } from './atlas.js';
import { checkCustomRoleSpec, CUSTOM_ROLES_READY, planCustomRole, planCustomRoleRemoval, REASONS, type RoleRemovalObservation } from './plan.js';
import { AtlasCustomRoleSpec } from './schema.js';

const roleStep = step({
  name: 'custom role',
  condition: CUSTOM_ROLES_READY,
  reasons: REASONS,
  observe: ({ spec, scope }, atlas) => customRoleReads.get(atlas, scope.groupId, spec.role.name),
  plan: planCustomRole,
});

export const atlasCustomRoleKind: ManagedKind<AtlasCustomRoleSpec, InProject> = {
  kind: 'AtlasCustomRole',
  apiVersion: API_VERSION,
  route: 'atlascustomrole',
  readyCondition: CUSTOM_ROLES_READY,
  conditionTypes: [CUSTOM_ROLES_READY],
  customize: projectOrExternalRules,
  validate: checkCustomRoleSpec,
  specSchema: AtlasCustomRoleSpec,
  observedStatus: (parent) => {
    const orgId = stringAt(parent.status, 'orgId');
    return orgId ? { orgId } : {};
  },
  connect: connectToProject,
  steps: [roleStep],
  deletion: {
    noun: 'the custom role',
    async observe({ scope, spec, confirming }, atlas): Promise<RoleRemovalObservation> {
      // Deleting is harmless to repeat, so the first pass deletes without looking.
      const name = spec.role?.name;
      if (!confirming || !name) return undefined;
      const [one, all] = await Promise.all([customRoleReads.get(atlas, scope.groupId, name), customRoleReads.list(atlas, scope.groupId)]);
      return { left: Boolean(one) || all.some((role) => role.roleName === name) };
    },
    plan: planCustomRoleRemoval,
    goneOn: (error, { scope }, atlas) => goneWithProject(error, scope, atlas),
  },
};

export const atlasCustomRole = managedController(atlasCustomRoleKind);
