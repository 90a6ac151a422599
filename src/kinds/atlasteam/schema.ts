/**
 * AtlasTeam as the official operator defines it: an organization team (a name and its
 * members' Atlas usernames). As in the official operator it is managed only through the
 * AtlasProjects whose spec.teams reference it, with their credentials.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, READY_COLUMN } from '../common.js';

export const AtlasTeamSpec = Type.Object({
  name: Type.String({ description: 'The team name in the organization.' }),
  usernames: Type.Array(Type.String({ format: 'email' }), { description: "The members' Atlas usernames (email addresses); each must already belong to the organization." }),
});
export type AtlasTeamSpec = Static<typeof AtlasTeamSpec>;

export const AtlasTeamStatus = Type.Object({
  ...CommonStatus,
  id: Type.Optional(Type.String({ description: 'The Atlas team id, once a referencing project has made or found it.' })),
  projects: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), { description: 'The Atlas projects it is assigned to through AtlasProjects.' })),
});

export const atlasTeamCrd = {
  kind: 'AtlasTeam',
  plural: 'atlasteams',
  singular: 'atlasteam',
  shortNames: ['at'],
  spec: AtlasTeamSpec,
  status: AtlasTeamStatus,
  printerColumns: [{ name: 'Name', type: 'string', jsonPath: '.spec.name' }, READY_COLUMN, { name: 'Atlas ID', type: 'string', jsonPath: '.status.id' }],
} as const;
