/**
 * Organization teams, their members and their project roles, in the versions the official Go
 * SDK uses (2023-01-01); members are read and changed in 2025-02-19 (:addUser/:removeUser
 * replace the deprecated users routes, and that version's user answers carry membership status).
 */
import { atlasRequest, type AtlasClient } from '../../atlas/client.js';

export interface AtlasTeamRecord {
  id: string;
  name: string;
}
export interface OrgUser {
  id: string;
  username: string;
  /** ACTIVE members only can join a team; PENDING ones have not accepted the invitation. */
  orgMembershipStatus?: string;
}
export interface TeamRole {
  teamId: string;
  roleNames: string[];
}

const VERSION = '2023-01-01';
const MEMBERSHIP = '2025-02-19';
export const TEAM_NOT_FOUND = ['TEAM_NAME_NOT_FOUND', 'TEAM_NOT_FOUND', 'TEAM_NOT_IN_ORG'] as const;
export const TEAM_NOT_IN_GROUP = ['TEAM_NOT_IN_GROUP', 'TEAM_NOT_FOUND'] as const;
/** Deleting a team is done when it is gone, and not ours to do while another project has it. */
export const TEAM_NOT_DELETABLE = ['TEAM_NOT_FOUND', 'CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT'] as const;

export const teamRequests = {
  byName: (orgId: string, name: string) => atlasRequest('GET', '/orgs/{orgId}/teams/byName/{teamName}', [orgId, name], VERSION),
  create: (orgId: string, name: string, usernames: string[]) => atlasRequest('POST', '/orgs/{orgId}/teams', [orgId], VERSION, { body: { name, usernames } }),
  members: (orgId: string, teamId: string) => atlasRequest('GET', '/orgs/{orgId}/teams/{teamId}/users', [orgId, teamId], MEMBERSHIP),
  addMember: (orgId: string, teamId: string, userId: string) => atlasRequest('POST', '/orgs/{orgId}/teams/{teamId}:addUser', [orgId, teamId], MEMBERSHIP, { body: { id: userId }, idempotent: true }),
  removeMember: (orgId: string, teamId: string, userId: string) => atlasRequest('POST', '/orgs/{orgId}/teams/{teamId}:removeUser', [orgId, teamId], MEMBERSHIP, { body: { id: userId }, idempotent: true }),
  orgUsers: (orgId: string) => atlasRequest('GET', '/orgs/{orgId}/users', [orgId], MEMBERSHIP),
  projectTeams: (groupId: string) => atlasRequest('GET', '/groups/{groupId}/teams', [groupId], VERSION),
  assign: (groupId: string, roles: TeamRole[]) => atlasRequest('POST', '/groups/{groupId}/teams', [groupId], VERSION, { body: roles }),
  setRoles: (groupId: string, teamId: string, roleNames: string[]) => atlasRequest('PATCH', '/groups/{groupId}/teams/{teamId}', [groupId, teamId], VERSION, { body: { roleNames }, idempotent: true }),
  unassign: (groupId: string, teamId: string) => atlasRequest('DELETE', '/groups/{groupId}/teams/{teamId}', [groupId, teamId], VERSION),
  /** Atlas refuses while any project still has the team (CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT). */
  delete: (orgId: string, teamId: string) => atlasRequest('DELETE', '/orgs/{orgId}/teams/{teamId}', [orgId, teamId], VERSION),
};

export const teamReads = {
  byName: (atlas: AtlasClient, orgId: string, name: string) => atlas.find<AtlasTeamRecord>(teamRequests.byName(orgId, name), TEAM_NOT_FOUND),
  members: (atlas: AtlasClient, orgId: string, teamId: string) => atlas.all<OrgUser>(teamRequests.members(orgId, teamId)),
  orgUsers: (atlas: AtlasClient, orgId: string) => atlas.all<OrgUser>(teamRequests.orgUsers(orgId)),
  projectTeams: (atlas: AtlasClient, groupId: string) => atlas.all<TeamRole>(teamRequests.projectTeams(groupId)),
};
