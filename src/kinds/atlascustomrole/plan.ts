/**
 * Custom database roles, decided purely: the role as Atlas spells it, whether Atlas holds
 * it as the spec says, and the writes that make it so. AtlasCustomRole manages one role;
 * AtlasProject's spec.customRoles several, with the same rules (roles.ts).
 */
import type { AtlasWrite, Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import { projectReferenceProblem } from '../common.js';
import { orgOnRecord, type InProject } from '../project-scope.js';
import { customRoleRequests, ROLE_NOT_FOUND, type AtlasCustomDbRole } from './atlas.js';
import { AtlasCustomRoleSpec, type CustomRole } from './schema.js';

export const CUSTOM_ROLES_READY = 'ProjectCustomRolesReady';
export const REASONS = { create: 'CustomRoleNotCreated', update: 'CustomRoleNotUpdated', delete: 'CustomRoleNotDeleted' } as const;

/** Atlas's own rule for a role name (ATLAS_CUSTOM_ROLE_INVALID_NAME), checked before asking it. */
const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The problem with one role, naming the field under `at`; undefined when Atlas can take it. */
export function roleProblem(role: CustomRole, at: string): string | undefined {
  if (!ROLE_NAME.test(role.name)) return `${at}.name: "${role.name}" is not a role name (ASCII letters, digits, - and _, starting with a letter or digit)`;
  if (role.name.startsWith('xgen-')) return `${at}.name: the prefix xgen- is Atlas's own`;
  if (!role.actions?.length && !role.inheritedRoles?.length) return `${at}: a custom role needs at least one action or inherited role`;
  return undefined;
}

export function checkCustomRoleSpec(facts: Facts): Validation<AtlasCustomRoleSpec> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'CustomRoleSpecInvalid', message });
  const problem = schemaProblem(AtlasCustomRoleSpec, facts.parent.spec);
  if (problem) return invalid(problem);
  const spec = facts.parent.spec as AtlasCustomRoleSpec;
  const reference = projectReferenceProblem(spec);
  if (reference) return invalid(reference);
  const roleInvalid = roleProblem(spec.role, 'spec.role');
  return roleInvalid ? invalid(roleInvalid) : { ok: true, spec };
}

/** The role in Atlas's words; left-out collections and databases are Atlas's empty strings. */
export function toAtlasRole(role: CustomRole): AtlasCustomDbRole {
  return {
    roleName: role.name,
    actions: (role.actions ?? []).map((action) => ({
      action: action.name,
      resources: action.resources.map((r) => (r.cluster ? { cluster: true } : { cluster: false, db: r.database ?? '', collection: r.collection ?? '' })),
    })),
    inheritedRoles: (role.inheritedRoles ?? []).map((inherited) => ({ role: inherited.name, db: inherited.database })),
  };
}

/**
 * One text per role for comparison: Atlas may list actions, resources and inherited roles in
 * another order, and fills in empty database and collection names, which are no drift.
 */
function roleShape(role: AtlasCustomDbRole): string {
  const resource = (r: { cluster?: boolean; db?: string; collection?: string }) => (r.cluster ? 'cluster' : `${r.db ?? ''}.${r.collection ?? ''}`);
  const actions = (role.actions ?? []).map((a) => `${a.action}:${(a.resources ?? []).map(resource).sort().join(',')}`).sort();
  const inherited = (role.inheritedRoles ?? []).map((r) => `${r.role}@${r.db}`).sort();
  return JSON.stringify([actions, inherited]);
}

export function sameRole(atlas: AtlasCustomDbRole, wanted: AtlasCustomDbRole): boolean {
  return roleShape(atlas) === roleShape(wanted);
}

/** The write that makes Atlas hold `role`, or none when it already does. */
export function roleWrite(groupId: string, role: CustomRole, current: AtlasCustomDbRole | undefined): AtlasWrite | undefined {
  const wanted = toAtlasRole(role);
  if (!current) {
    return { verb: 'create', request: customRoleRequests.create(groupId, wanted), summary: `create custom role ${role.name}`, alreadyExists: 'ATLAS_CUSTOM_ROLE_NAME_ALREADY_EXISTS' };
  }
  if (sameRole(current, wanted)) return undefined;
  const { roleName: _name, ...body } = wanted;
  return { verb: 'update', request: customRoleRequests.update(groupId, role.name, body), summary: `update custom role ${role.name}` };
}

export function roleDelete(groupId: string, name: string): AtlasWrite {
  return { verb: 'delete', request: customRoleRequests.delete(groupId, name), summary: `delete custom role ${name}`, alreadyDone: ROLE_NOT_FOUND };
}

type Input = StepInput<AtlasCustomRoleSpec, InProject>;

export function planCustomRole(input: Input, current: AtlasCustomDbRole | undefined): StepPlan<InProject> {
  const write = roleWrite(input.scope.groupId, input.spec.role, current);
  return { writes: write ? [write] : [], status: orgOnRecord(input.spec, input.scope), settle: () => ({ condition: { status: 'True' } }) };
}

export type RoleRemovalObservation = { left: boolean } | undefined;

export function planCustomRoleRemoval(input: RemovalInput<AtlasCustomRoleSpec, InProject>, observed: RoleRemovalObservation): RemovalPlan {
  const name = input.spec.role?.name;
  if (!name) return { writes: [], settle: () => ({ gone: true }) };
  // Finalized only once Atlas answers not-found for the role and its list agrees.
  if (observed) return { writes: [], settle: () => (observed.left ? { gone: false, message: `the custom role ${name} is still listed in Atlas; looking again`, wait: 'soon' } : { gone: true }) };
  return { writes: [roleDelete(input.scope.groupId, name)], confirm: true, settle: () => ({ gone: true }) };
}
