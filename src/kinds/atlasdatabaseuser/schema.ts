/**
 * AtlasDatabaseUser, compatible with the official operator (../shared/reference/
 * atlas-operator.md §1.4, with v0.8's optional passwordSecretRef and x509Type).
 */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, ExternalProjectOrg, PROJECT_REFERENCE_RULES, READY_COLUMN, ResourceRef, ResourceRefNamespaced } from '../common.js';

const NONE_OR = (values: string[], description: string) => Type.Optional(Type.String({ default: 'NONE', enum: ['NONE', ...values], description }));

export const AtlasDatabaseUserSpec = Type.Object(
  {
    // Optional only so that the official operator's users with externalProjectRef stay
    // writable; the rule below asks for exactly one of the two, as the official CRD does.
    projectRef: Type.Optional(ResourceRefNamespaced),
    externalProjectRef: Type.Optional(Type.Object({ id: Type.String() })),
    connectionSecret: Type.Optional(Type.Object({ name: Type.String() })),
    username: Type.String({ minLength: 1, maxLength: 1024 }),
    description: Type.Optional(Type.String({ maxLength: 100 })),
    // A Secret in the user's namespace whose key "password" holds the password.
    passwordSecretRef: Type.Optional(ResourceRef),
    databaseName: Type.String({ default: 'admin', description: "The authentication database: admin, or $external for X.509, AWS IAM and OIDC Workload users." }),
    roles: Type.Array(
      Type.Object({ roleName: Type.String({ minLength: 1 }), databaseName: Type.String({ minLength: 1 }), collectionName: Type.Optional(Type.String()) }),
      { minItems: 1 },
    ),
    scopes: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), type: Type.String({ enum: ['CLUSTER', 'DATA_LAKE'] }) }))),
    labels: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 255 }), value: Type.String() }))),
    deleteAfterDate: Type.Optional(Type.String({ description: 'ISO-8601; Atlas removes the user then (at most a week ahead).' })),
    // No enum in the CRD: v0.8 had none, and a stored value must stay writable; the hook checks it.
    x509Type: Type.Optional(Type.String({ default: 'NONE', description: 'NONE, MANAGED or CUSTOMER.' })),
    oidcAuthType: NONE_OR(['IDP_GROUP', 'USER'], 'OIDC federated authentication: IDP_GROUP (Workforce) or USER (Workload).'),
    awsIamType: NONE_OR(['USER', 'ROLE'], 'AWS IAM authentication: USER or ROLE (the username is the ARN).'),
  },
  {
    'x-kubernetes-validations': [
      {
        rule: "has(self.passwordSecretRef) || (has(self.x509Type) && self.x509Type != 'NONE') || (has(self.oidcAuthType) && self.oidcAuthType != 'NONE') || (has(self.awsIamType) && self.awsIamType != 'NONE')",
        message: 'spec.passwordSecretRef is required unless x509Type, oidcAuthType or awsIamType is set',
      },
      ...PROJECT_REFERENCE_RULES,
    ],
  },
);
export type AtlasDatabaseUserSpec = Static<typeof AtlasDatabaseUserSpec>;

export const AtlasDatabaseUserStatus = Type.Object({
  ...CommonStatus,
  passwordVersion: Type.Optional(Type.String({ description: 'resourceVersion of the password Secret last sent to Atlas.' })),
  name: Type.Optional(Type.String({ description: 'The username last applied in Atlas.' })),
  orgId: ExternalProjectOrg,
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
    READY_COLUMN,
  ],
} as const;
