/**
 * AtlasProject spec.teams: each entry names an AtlasTeam (an organization team: a name and
 * its members) and the roles it has in this project. Two steps, one condition
 * (ProjectTeamsReady): the teams exist in the organization with the members their AtlasTeam
 * lists, then the project's assignments match the spec. As in the official operator, once a
 * project declares teams its spec is the project's whole team list: a team assigned in the
 * Atlas UI that it does not list is removed from the project (only removed: a team is deleted
 * from the organization only if this object made it and no project has it). A project that
 * never declared teams reads none and changes none; one that drops spec.teams removes them
 * all once, as the official operator does, and then reads them no more.
 */
import { relatedObject, stringAt, type KubeObject } from '../../kernel/contract.js';
import type { AtlasClient } from '../../atlas/client.js';
import type { AtlasWrite, StepPlan } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import { teamReads, teamRequests, TEAM_NOT_DELETABLE, TEAM_NOT_IN_GROUP, type AtlasTeamRecord, type OrgUser, type TeamRole } from '../atlasteam/atlas.js';
import { AtlasTeamSpec } from '../atlasteam/schema.js';
import { API_VERSION } from '../common.js';
import { PLANNED_ID, type ProjectInput, type ProjectScope } from './plan.js';

export const TEAMS_READY = 'ProjectTeamsReady';
const UNAVAILABLE = 'ProjectTeamUnavailable';

interface TeamRef {
  name: string;
  namespace: string;
}
type StatusTeam = { id?: string; teamRef: { name: string; namespace?: string }; created?: boolean };

const keyOf = (ref: TeamRef) => `${ref.namespace}/${ref.name}`;

/** The AtlasTeams spec.teams names, with the project's namespace filled in. */
export function teamRefs(project: KubeObject): TeamRef[] {
  const teams = ((project.spec as { teams?: Array<{ teamRef?: { name?: string; namespace?: string } }> } | undefined)?.teams ?? []);
  return teams.map((t) => ({ name: t.teamRef?.name ?? '', namespace: t.teamRef?.namespace || project.metadata.namespace || 'default' }));
}

/** The related rules for them: one per namespace, by name. */
export function teamRules(project: KubeObject) {
  const byNamespace = new Map<string, string[]>();
  for (const ref of teamRefs(project)) byNamespace.set(ref.namespace, [...new Set([...(byNamespace.get(ref.namespace) ?? []), ref.name])]);
  return [...byNamespace].map(([namespace, names]) => ({ apiVersion: API_VERSION, resource: 'atlasteams', namespace, names: names.sort() }));
}

function ownedAssignments(status: Readonly<Record<string, unknown>>): StatusTeam[] {
  return (status.teams as StatusTeam[] | undefined) ?? [];
}

interface WantedTeam {
  ref: TeamRef;
  object: KubeObject | undefined;
  found: AtlasTeamRecord | undefined;
  members: OrgUser[];
}

export interface TeamsObservation {
  teams: WantedTeam[];
  /** The organization's users, read only when a team must be made or its members change. */
  orgUsers?: OrgUser[];
}

const usernamesOf = (object: KubeObject | undefined) => ((object?.spec as { usernames?: string[] } | undefined)?.usernames ?? []).map((u) => u.toLowerCase());

export async function observeTeams(input: ProjectInput, atlas: AtlasClient): Promise<TeamsObservation | undefined> {
  const refs = teamRefs(input.facts.parent);
  if (refs.length === 0 || input.scope.groupId === PLANNED_ID) return undefined;
  const { orgId } = input.scope;
  const teams = await Promise.all(
    refs.map(async (ref) => {
      const object = relatedObject(input.facts.related, 'AtlasTeam', API_VERSION, ref.namespace, ref.name);
      const name = stringAt(object?.spec, 'name');
      const found = name ? await teamReads.byName(atlas, orgId, name) : undefined;
      return { ref, object, found, members: found ? await teamReads.members(atlas, orgId, found.id) : [] };
    }),
  );
  const changing = teams.some((t) => t.object && (!t.found || !sameSet(usernamesOf(t.object), t.members.map((m) => m.username.toLowerCase()))));
  return { teams, ...(changing ? { orgUsers: await teamReads.orgUsers(atlas, orgId) } : {}) };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Step 1: the teams exist in the organization, with the members their AtlasTeam lists. */
export function planTeams(input: ProjectInput, observed: TeamsObservation | undefined): StepPlan<ProjectScope> {
  if (!observed) return { writes: [], settle: () => ({ condition: { status: ownedAssignments(input.status).length > 0 ? 'True' : 'Absent' }, scope: { teamIds: {} } }) as const };
  const unavailable = (message: string): StepPlan<ProjectScope> => ({ writes: [], settle: () => ({ condition: { status: 'False', reason: UNAVAILABLE, message }, wait: 'dependency' }) });
  const { orgId } = input.scope;
  const writes: AtlasWrite[] = [];
  const teamIds: Record<string, string> = {};
  const creates = new Map<string, number>();
  const byUsername = new Map((observed.orgUsers ?? []).filter((u) => (u.orgMembershipStatus ?? 'ACTIVE') === 'ACTIVE').map((u) => [u.username.toLowerCase(), u]));
  for (const team of observed.teams) {
    const label = `AtlasTeam ${keyOf(team.ref)}`;
    if (!team.object) return unavailable(`${label} not found`);
    const problem = schemaProblem(AtlasTeamSpec, team.object.spec);
    if (problem) return unavailable(`${label}: ${problem}`);
    const spec = team.object.spec as AtlasTeamSpec;
    const wanted = usernamesOf(team.object);
    if (wanted.length === 0) return unavailable(`${label}: spec.usernames is empty; Atlas makes no team without members`);
    const strangers = observed.orgUsers ? wanted.filter((u) => !byUsername.has(u)) : [];
    if (strangers.length > 0) return unavailable(`${label}: ${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not an active member of organization ${orgId}; invite them to it first (an invited user counts once they accept)`);
    if (!team.found) {
      creates.set(keyOf(team.ref), writes.length);
      writes.push({ verb: 'create', request: teamRequests.create(orgId, spec.name, spec.usernames), summary: `create team ${spec.name} in organization ${orgId} with ${spec.usernames.join(', ')}`, alreadyExists: 'TEAM_NAME_NOT_AVAILABLE' });
      continue;
    }
    teamIds[keyOf(team.ref)] = team.found.id;
    const members = team.members.map((m) => m.username.toLowerCase());
    for (const username of wanted.filter((u) => !members.includes(u))) {
      writes.push({ verb: 'update', request: teamRequests.addMember(orgId, team.found.id, byUsername.get(username)!.id), summary: `add ${username} to team ${spec.name}` });
    }
    for (const member of team.members.filter((m) => !wanted.includes(m.username.toLowerCase()))) {
      writes.push({ verb: 'update', request: teamRequests.removeMember(orgId, team.found.id, member.id), summary: `remove ${member.username} from team ${spec.name}` });
    }
  }
  return {
    writes,
    settle: (answers) => {
      // A created team's id is in Atlas's answer (planning: not known yet).
      const createdTeams: string[] = [];
      for (const [key, index] of creates) {
        const id = (answers?.[index] as AtlasTeamRecord | undefined)?.id;
        teamIds[key] = id ?? `{teamId of ${key}}`;
        if (id) createdTeams.push(id);
      }
      return { condition: { status: 'True' }, scope: { teamIds, createdTeams } };
    },
  };
}

/** Step 2: the project's team assignments match spec.teams. */
export async function observeAssignments(input: ProjectInput, atlas: AtlasClient): Promise<TeamRole[] | undefined> {
  const wanted = Object.keys(input.scope.teamIds ?? {}).length > 0;
  if ((!wanted && ownedAssignments(input.status).length === 0) || input.scope.groupId === PLANNED_ID) return undefined;
  return teamReads.projectTeams(atlas, input.scope.groupId);
}

export function planAssignments(input: ProjectInput, assigned: TeamRole[] | undefined): StepPlan<ProjectScope> {
  const teams = (input.spec as { teams?: Array<{ roles: string[] }> }).teams ?? [];
  const refs = teamRefs(input.facts.parent);
  const ids = input.scope.teamIds ?? {};
  const desired = refs.map((ref, i) => ({ ref, id: ids[keyOf(ref)]!, roles: [...new Set(teams[i]!.roles)].sort() })).filter((d) => d.id);
  const current = new Map((assigned ?? []).map((a) => [a.teamId, [...a.roleNames].sort()]));
  const { groupId } = input.scope;
  const missing = desired.filter((d) => !current.has(d.id));
  const differing = desired.filter((d) => current.has(d.id) && !sameSet(current.get(d.id)!, d.roles));
  const owned = ownedAssignments(input.status);
  // A team this project made (recorded as created) goes from the organization with its last
  // assignment, as in the official operator; one found by name was someone else's and stays.
  const created = new Set([...(input.scope.createdTeams ?? []), ...owned.filter((o) => o.created && o.id).map((o) => o.id!)]);
  const dropped = owned.filter((o) => o.id && !desired.some((d) => d.id === o.id) && (current.has(o.id) || created.has(o.id)));
  // Assigned in Atlas, not listed, never recorded: someone else's assignment, removed as the
  // official operator removes it, and never deleted from the organization.
  const strays = [...current.keys()].filter((id) => !desired.some((d) => d.id === id) && !owned.some((o) => o.id === id));
  const { orgId } = input.scope;
  const writes: AtlasWrite[] = [
    ...(missing.length > 0 ? [{ verb: 'create' as const, request: teamRequests.assign(groupId, missing.map((d) => ({ teamId: d.id, roleNames: d.roles }))), summary: `assign ${missing.map((d) => `${keyOf(d.ref)} as ${d.roles.join('+')}`).join(', ')}` }] : []),
    ...differing.map((d) => ({ verb: 'update' as const, request: teamRequests.setRoles(groupId, d.id, d.roles), summary: `set the roles of ${keyOf(d.ref)} to ${d.roles.join(', ')}` })),
    ...dropped
      .filter((o) => current.has(o.id!))
      .map((o) => ({ verb: 'delete' as const, request: teamRequests.unassign(groupId, o.id!), summary: `remove team ${o.teamRef.name} from the project`, alreadyDone: TEAM_NOT_IN_GROUP })),
    ...strays.map((id) => ({ verb: 'delete' as const, request: teamRequests.unassign(groupId, id), summary: `remove team ${id}, which spec.teams does not list, from the project`, alreadyDone: TEAM_NOT_IN_GROUP })),
    ...dropped
      .filter((o) => created.has(o.id!))
      .map((o) => ({ verb: 'delete' as const, request: teamRequests.delete(orgId, o.id!), summary: `delete team ${o.teamRef.name} from the organization unless another project has it`, alreadyDone: TEAM_NOT_DELETABLE })),
  ];
  const record = (entries: StatusTeam[]) => ({ teams: entries.length > 0 ? entries : undefined });
  const mine = desired.map((d) => ({ id: d.id, teamRef: { name: d.ref.name, namespace: d.ref.namespace }, ...(created.has(d.id) ? { created: true } : {}) }));
  return {
    writes,
    // Until a dropped assignment is gone it stays on record, so a failed removal is tried again.
    status: record([...mine, ...dropped]),
    settle: () => ({ condition: teams.length > 0 ? { status: 'True' } : { status: 'Absent' }, status: record(mine) }),
  };
}
