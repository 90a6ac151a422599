/**
 * AtlasCustomRole as the official operator v2 defines it: one custom database role of a
 * project, in a project an AtlasProject manages or one an externalProjectRef names. The
 * role's shape is shared with AtlasProject's (deprecated) spec.customRoles.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, ExternalProjectOrg, PROJECT_REFERENCE_RULES, READY_COLUMN, ResourceRef, ResourceRefNamespaced } from '../common.js';

export const CustomRole = Type.Object({
  name: Type.String({ description: 'The role name, unique in the project. It cannot be changed: a new name is a new role.' }),
  actions: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.String({ description: 'The privilege action, as Atlas spells it: FIND, INSERT, LIST_COLLECTIONS, …' }),
        resources: Type.Array(
          Type.Object({
            cluster: Type.Optional(Type.Boolean({ description: 'On the cluster resource (database and collection are then ignored).' })),
            database: Type.Optional(Type.String()),
            collection: Type.Optional(Type.String({ description: 'Left out: every collection of the database.' })),
          }),
        ),
      }),
    ),
  ),
  inheritedRoles: Type.Optional(Type.Array(Type.Object({ database: Type.String(), name: Type.String({ description: 'A built-in role or another custom role.' }) }))),
});
export type CustomRole = Static<typeof CustomRole>;

export const AtlasCustomRoleSpec = Type.Object(
  {
    projectRef: Type.Optional(ResourceRefNamespaced),
    externalProjectRef: Type.Optional(Type.Object({ id: Type.String() })),
    connectionSecret: Type.Optional(ResourceRef),
    role: CustomRole,
  },
  {
    'x-kubernetes-validations': [
      ...PROJECT_REFERENCE_RULES,
    ],
  },
);
export type AtlasCustomRoleSpec = Static<typeof AtlasCustomRoleSpec>;

export const AtlasCustomRoleStatus = Type.Object({
  ...CommonStatus,
  orgId: ExternalProjectOrg,
});

export const atlasCustomRoleCrd = {
  kind: 'AtlasCustomRole',
  plural: 'atlascustomroles',
  singular: 'atlascustomrole',
  shortNames: ['acr'],
  spec: AtlasCustomRoleSpec,
  status: AtlasCustomRoleStatus,
  printerColumns: [READY_COLUMN, { name: 'Name', type: 'string', jsonPath: '.spec.role.name' }],
} as const;
