/**
 * Organization teams (2023-01-01), their members (2025-02-19: :addUser/:removeUser and the
 * user lists with membership status) and the teams' roles in projects. The member actions
 * put a literal colon after the team id, so that id is matched by its pattern. Only ACTIVE members
 * of the organization can join a team, as in Atlas.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { atlasDate } from '../clock.js';
import { baseUrl, ownedProject, paginate, principal, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { TeamAssignments, TeamCreate, TeamMember, TeamRolesUpdate, validateBody } from '../schemas.js';
import type { OrgUserRecord, TeamRecord } from '../store.js';

const V1 = { config: { versions: ['2023-01-01'] } } as const;
const V2 = { config: { versions: ['2025-02-19'] } } as const;
const USERS_BOTH = { config: { versions: ['2023-01-01', '2025-02-19'] } } as const;
type OrgParams = { orgId: string };
type TeamParams = { orgId: string; teamId: string };

export function teamRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;
  const ownOrg = (request: FastifyRequest, orgId: string) => {
    if (orgId !== principal(request).orgId) throw atlasErrors.forbidden();
    return orgId;
  };
  const teamOf = (orgId: string, teamId: string): TeamRecord => {
    const team = store.teams.get(teamId);
    if (!team || team.orgId !== orgId) throw atlasErrors.teamNotFound(teamId);
    return team;
  };
  const renderTeam = (request: FastifyRequest, team: TeamRecord) => ({
    id: team.id,
    links: [{ href: `${baseUrl(request)}/api/atlas/v2/orgs/${team.orgId}/teams/${team.id}`, rel: 'self' }],
    name: team.name,
  });
  const teamIdsOf = (user: OrgUserRecord) => store.teamsOf(user.orgId).filter((t) => t.userIds.has(user.id)).map((t) => t.id);
  // An active user's answer carries their name and join date; a pending one's, the invitation.
  const renderUser = (user: OrgUserRecord) => {
    const local = user.username.split('@')[0] ?? user.username;
    return {
      ...(user.status === 'ACTIVE'
        ? { createdAt: atlasDate(user.since), firstName: local.charAt(0).toUpperCase() + local.slice(1), lastName: 'Example' }
        : { invitationCreatedAt: atlasDate(user.since), inviterUsername: 'owner@example.com' }),
      id: user.id,
      orgMembershipStatus: user.status,
      roles: { groupRoleAssignments: [], orgRoles: ['ORG_MEMBER'] },
      teamIds: teamIdsOf(user),
      username: user.username,
    };
  };
  /** 2023-01-01's user (CloudAppUser; Atlas never returns the password it lists). */
  const renderLegacyUser = (user: OrgUserRecord) => {
    const local = user.username.split('@')[0] ?? user.username;
    return {
      country: 'US',
      createdAt: atlasDate(user.since),
      emailAddress: user.username,
      firstName: local.charAt(0).toUpperCase() + local.slice(1),
      id: user.id,
      lastName: 'Example',
      mobileNumber: '',
      roles: [{ orgId: user.orgId, roleName: 'ORG_MEMBER' }],
      teamIds: teamIdsOf(user),
      username: user.username,
    };
  };
  const usersAnswer = (request: FastifyRequest, users: OrgUserRecord[]): object[] => (request.atlasVersion === '2023-01-01' ? users.map(renderLegacyUser) : users.map(renderUser));
  const memberFor = (orgId: string, body: unknown) => {
    const { id } = validateBody<{ id: string }>(TeamMember, body);
    const user = store.orgUsers.get(id);
    if (!user || user.orgId !== orgId) throw atlasErrors.userIdNotFound(id);
    if (user.status !== 'ACTIVE') throw atlasErrors.pendingUser();
    return user;
  };

  return async (app) => {
    app.get<{ Params: OrgParams }>('/api/atlas/v2/orgs/:orgId/users', USERS_BOTH, async (request, reply) => {
      const orgId = ownOrg(request, request.params.orgId);
      return send(reply, 200, paginate(request, usersAnswer(request, store.usersOfOrg(orgId)), `/api/atlas/v2/orgs/${orgId}/users`));
    });

    app.get<{ Params: OrgParams }>('/api/atlas/v2/orgs/:orgId/teams', V1, async (request, reply) => {
      const orgId = ownOrg(request, request.params.orgId);
      return send(reply, 200, paginate(request, store.teamsOf(orgId).map((t) => renderTeam(request, t)), `/api/atlas/v2/orgs/${orgId}/teams`));
    });

    app.post<{ Params: OrgParams }>('/api/atlas/v2/orgs/:orgId/teams', V1, async (request, reply) => {
      const orgId = ownOrg(request, request.params.orgId);
      const body = validateBody<{ name: string; usernames: string[] }>(TeamCreate, request.body);
      if (body.usernames.length === 0) throw atlasErrors.emptyTeam();
      if (store.teamsOf(orgId).some((t) => t.name === body.name)) throw atlasErrors.teamNameTaken(body.name, orgId);
      const members = body.usernames.map((username) => {
        const user = store.usersOfOrg(orgId).find((u) => u.username.toLowerCase() === username.toLowerCase());
        if (!user) throw atlasErrors.usernameNotFound(username);
        if (user.status !== 'ACTIVE') throw atlasErrors.pendingUser();
        return user;
      });
      const team: TeamRecord = { id: store.newId(), orgId, name: body.name, userIds: new Set(members.map((u) => u.id)) };
      store.teams.set(team.id, team);
      return send(reply, 200, { ...renderTeam(request, team), usernames: members.map((u) => u.username) });
    });

    app.get<{ Params: { orgId: string; teamName: string } }>('/api/atlas/v2/orgs/:orgId/teams/byName/:teamName', V1, async (request, reply) => {
      const orgId = ownOrg(request, request.params.orgId);
      const team = store.teamsOf(orgId).find((t) => t.name === request.params.teamName);
      if (!team) throw atlasErrors.teamNameNotFound(request.params.teamName);
      return send(reply, 200, renderTeam(request, team));
    });

    app.get<{ Params: TeamParams }>('/api/atlas/v2/orgs/:orgId/teams/:teamId', V1, async (request, reply) =>
      send(reply, 200, renderTeam(request, teamOf(ownOrg(request, request.params.orgId), request.params.teamId))),
    );

    app.delete<{ Params: TeamParams }>('/api/atlas/v2/orgs/:orgId/teams/:teamId', V1, async (request, reply) => {
      const team = teamOf(ownOrg(request, request.params.orgId), request.params.teamId);
      if (store.projectsOf(team.orgId).some((project) => project.teamRoles?.[team.id])) throw atlasErrors.teamAssignedToProject();
      store.teams.delete(team.id);
      return send(reply, 204, undefined);
    });

    app.get<{ Params: TeamParams }>('/api/atlas/v2/orgs/:orgId/teams/:teamId/users', USERS_BOTH, async (request, reply) => {
      const team = teamOf(ownOrg(request, request.params.orgId), request.params.teamId);
      const users = usersAnswer(request, [...team.userIds].flatMap((id) => store.orgUsers.get(id) ?? []));
      return send(reply, 200, paginate(request, users, `/api/atlas/v2/orgs/${team.orgId}/teams/${team.id}/users`));
    });

    app.post<{ Params: TeamParams }>('/api/atlas/v2/orgs/:orgId/teams/:teamId(^[a-f0-9]{24})::addUser', V2, async (request, reply) => {
      const team = teamOf(ownOrg(request, request.params.orgId), request.params.teamId);
      const user = memberFor(team.orgId, request.body);
      // Adding a member twice changes nothing (the spec lists no conflict answer here).
      team.userIds.add(user.id);
      return send(reply, 200, renderUser(user));
    });

    app.post<{ Params: TeamParams }>('/api/atlas/v2/orgs/:orgId/teams/:teamId(^[a-f0-9]{24})::removeUser', V2, async (request, reply) => {
      const team = teamOf(ownOrg(request, request.params.orgId), request.params.teamId);
      const user = memberFor(team.orgId, request.body);
      team.userIds.delete(user.id);
      return send(reply, 200, renderUser(user));
    });

    const roles = (groupId: string) => Object.entries(store.projects.get(groupId)?.teamRoles ?? {}).map(([teamId, roleNames]) => ({ roleNames, teamId }));
    app.get<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/teams', V1, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, paginate(request, roles(project.id), `/api/atlas/v2/groups/${project.id}/teams`));
    });

    app.post<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/teams', V1, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<Array<{ teamId: string; roleNames: string[] }>>(TeamAssignments, request.body);
      for (const entry of body) teamOf(project.orgId, entry.teamId);
      // A team already in the project gets the roles given (the spec lists no conflict answer here).
      project.teamRoles = { ...project.teamRoles, ...Object.fromEntries(body.map((entry) => [entry.teamId, [...new Set(entry.roleNames)]])) };
      return send(reply, 200, paginate(request, roles(project.id), `/api/atlas/v2/groups/${project.id}/teams`));
    });

    app.patch<{ Params: { groupId: string; teamId: string } }>('/api/atlas/v2/groups/:groupId/teams/:teamId', V1, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<{ roleNames: string[] }>(TeamRolesUpdate, request.body ?? {});
      if (!project.teamRoles?.[request.params.teamId]) throw atlasErrors.teamNotInGroup();
      project.teamRoles[request.params.teamId] = [...new Set(body.roleNames)];
      return send(reply, 200, paginate(request, roles(project.id).filter((r) => r.teamId === request.params.teamId), `/api/atlas/v2/groups/${project.id}/teams`));
    });

    app.delete<{ Params: { groupId: string; teamId: string } }>('/api/atlas/v2/groups/:groupId/teams/:teamId', V1, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      if (!project.teamRoles?.[request.params.teamId]) throw atlasErrors.teamNotInGroup();
      delete project.teamRoles[request.params.teamId];
      return send(reply, 204, undefined);
    });
  };
}
