/**
 * AtlasTeam: made, kept and assigned in Atlas by the AtlasProjects whose spec.teams
 * reference it, with their credentials (as in the official operator). Its own hooks check the
 * spec, report the team's id and projects from those projects' status, and keep the finalizer
 * while a project still references it.
 */
import { stringAt, type KubeObject } from '../../kernel/contract.js';
import { teamRefs } from '../atlasproject/teams.js';
import { referencedController } from '../referenced.js';
import { AtlasTeamSpec } from './schema.js';

export const TEAM_READY = 'TeamReady';

/** The id and projects, as the referencing projects' status records the assignment. */
function teamStatus(team: KubeObject, projects: KubeObject[]): Record<string, unknown> {
  const assignments = projects.flatMap((project) =>
    ((project.status as { teams?: Array<{ id?: string; teamRef: { name: string; namespace?: string } }> } | undefined)?.teams ?? [])
      .filter((t) => t.teamRef.name === team.metadata.name && (t.teamRef.namespace || project.metadata.namespace) === team.metadata.namespace)
      .map((t) => ({ teamId: t.id, project: { id: stringAt(project.status, 'id') ?? '', name: stringAt(project.spec, 'name') ?? '' } })),
  );
  const id = assignments.find((a) => a.teamId)?.teamId;
  const listed = assignments.filter((a) => a.project.id).map((a) => a.project).sort((a, b) => a.id.localeCompare(b.id));
  return { ...(id ? { id } : {}), ...(listed.length > 0 ? { projects: listed } : {}) };
}

export const atlasTeam = referencedController({
  kind: 'AtlasTeam',
  route: 'atlasteam',
  spec: AtlasTeamSpec,
  condition: TEAM_READY,
  invalidReason: 'TeamInvalidSpec',
  status: teamStatus,
  referrer: { kind: 'AtlasProject', resource: 'atlasprojects', refs: teamRefs },
  unreferenced: { type: 'TeamUnmanaged', reason: 'TeamNotReferenced', message: 'no AtlasProject references it in spec.teams: a team is made and assigned in Atlas only through a project' },
});
