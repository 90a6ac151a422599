/**
 * AtlasDatabaseUser, compatible with the official operator (../shared/reference/
 * atlas-operator.md §1.4, with v0.8's optional passwordSecretRef and x509Type).
 */
import { Type, type Static } from '@sinclair/typebox';
import { cel, CommonStatus, ResourceRef, ResourceRefNamespaced } from '../common.js';

export const AtlasDatabaseUserSpec = Type.Object(
  {
    projectRef: ResourceRefNamespaced,
    username: Type.String({ minLength: 1, maxLength: 1024 }),
    // A Secret in the user's namespace whose key "password" holds the password.
    passwordSecretRef: Type.Optional(ResourceRef),
    databaseName: Type.String({ default: 'admin', enum: ['admin', '$external'], description: 'The authentication database.' }),
    roles: Type.Array(
      Type.Object({ roleName: Type.String({ minLength: 1 }), databaseName: Type.String({ minLength: 1 }), collectionName: Type.Optional(Type.String()) }),
      { minItems: 1 },
    ),
    scopes: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), type: Type.String({ enum: ['CLUSTER', 'DATA_LAKE'] }) }))),
    labels: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 255 }), value: Type.String() }))),
    deleteAfterDate: Type.Optional(Type.String({ description: 'ISO-8601; Atlas removes the user then (at most a week ahead).' })),
    x509Type: Type.Optional(Type.String({ enum: ['NONE', 'CUSTOMER', 'MANAGED'] })),
  },
  cel("has(self.passwordSecretRef) || (has(self.x509Type) && self.x509Type != 'NONE')", 'spec.passwordSecretRef is required unless x509Type is CUSTOMER or MANAGED'),
);
export type AtlasDatabaseUserSpec = Static<typeof AtlasDatabaseUserSpec>;

export const AtlasDatabaseUserStatus = Type.Object({
  ...CommonStatus,
  passwordVersion: Type.Optional(Type.String({ description: 'resourceVersion of the password Secret last sent to Atlas.' })),
  name: Type.Optional(Type.String({ description: 'The username last applied in Atlas.' })),
});
export type AtlasDatabaseUserStatus = Static<typeof AtlasDatabaseUserStatus>;

export const atlasDatabaseUserCrd = {
  kind: 'AtlasDatabaseUser',
  plural: 'atlasdatabaseusers',
  singular: 'atlasdatabaseuser',
  shortNames: ['adu'],
  spec: AtlasDatabaseUserSpec,
  status: AtlasDatabaseUserStatus,
  printerColumns: [
    { name: 'Username', type: 'string', jsonPath: '.spec.username' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  ],
} as const;
