/** Custom database roles under …/customDBRoles/roles; a role a user holds cannot be deleted. */
import type { FastifyPluginAsync } from 'fastify';
import { ownedProject, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { CustomDbRole, CustomDbRoleUpdate, validateBody } from '../schemas.js';
import type { CustomRoleRecord } from '../store.js';

const V = { config: { versions: ['2023-01-01'] } } as const;
const ROLES = '/api/atlas/v2/groups/:groupId/customDBRoles/roles';
type RoleParams = { groupId: string; roleName: string };
type RoleInput = { actions?: Array<{ action: string; resources?: Array<{ cluster?: boolean; db?: string; collection?: string }> }>; inheritedRoles?: CustomRoleRecord['inheritedRoles'] };

const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** What Atlas stores and answers: every resource with all three fields, empty names for the cluster. */
function normalised(input: RoleInput): Pick<CustomRoleRecord, 'actions' | 'inheritedRoles'> {
  const actions = (input.actions ?? []).map((a) => ({
    action: a.action,
    resources: (a.resources ?? []).map((r) => (r.cluster ? { cluster: true, collection: '', db: '' } : { cluster: false, collection: r.collection ?? '', db: r.db ?? '' })),
  }));
  if (new Set(actions.map((a) => a.action)).size !== actions.length) throw atlasErrors.customRoleDuplicateAction();
  const inheritedRoles = input.inheritedRoles ?? [];
  if (actions.length === 0 && inheritedRoles.length === 0) throw atlasErrors.customRoleHasNoPermissions();
  return { actions, inheritedRoles };
}

export function customRoleRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;
  const find = (groupId: string, name: string) => {
    const role = store.customRolesOf(groupId).get(name);
    if (!role) throw atlasErrors.customRoleNotFound(name, groupId);
    return role;
  };

  return async (app) => {
    app.get<{ Params: { groupId: string } }>(ROLES, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, [...store.customRolesOf(project.id).values()]);
    });

    app.post<{ Params: { groupId: string } }>(ROLES, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const input = validateBody<RoleInput & { roleName: string }>(CustomDbRole, request.body);
      if (!ROLE_NAME.test(input.roleName) || input.roleName.startsWith('xgen-')) throw atlasErrors.customRoleInvalidName(input.roleName);
      const roles = store.customRolesOf(project.id);
      if (roles.has(input.roleName)) throw atlasErrors.customRoleExists(input.roleName);
      const role: CustomRoleRecord = { roleName: input.roleName, ...normalised(input) };
      roles.set(role.roleName, role);
      return send(reply, 202, role);
    });

    app.get<{ Params: RoleParams }>(`${ROLES}/:roleName`, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, find(project.id, request.params.roleName));
    });

    app.patch<{ Params: RoleParams }>(`${ROLES}/:roleName`, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const role = find(project.id, request.params.roleName);
      const input = validateBody<RoleInput>(CustomDbRoleUpdate, request.body ?? {});
      Object.assign(role, normalised({ actions: input.actions ?? role.actions, inheritedRoles: input.inheritedRoles ?? role.inheritedRoles }));
      return send(reply, 200, role);
    });

    app.delete<{ Params: RoleParams }>(`${ROLES}/:roleName`, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const name = find(project.id, request.params.roleName).roleName;
      const holders = [...store.usersOf(project.id).values()].filter((u) => u.roles.some((r) => r.roleName === name)).map((u) => u.username);
      if (holders.length > 0) throw atlasErrors.customRoleInUseByUsers(holders);
      store.customRolesOf(project.id).delete(name);
      return send(reply, 204, undefined);
    });
  };
}
