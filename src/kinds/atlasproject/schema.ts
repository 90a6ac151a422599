/**
 * AtlasProject, compatible with the official operator's atlas.mongodb.com/v1 manifests
 * (../shared/reference/atlas-operator.md §1.2). One schema serves hook-side validation, the
 * TypeScript types and the CRD (generate-crds.ts).
 */
import { Type, type Static, type TBoolean, type TOptional } from '@sinclair/typebox';
import { CustomRole } from '../atlascustomrole/schema.js';
import { cel, CommonStatus, READY_COLUMN } from '../common.js';
import { KEPT_SPEC_FIELDS, OFFICIAL_STATUS_FIELDS } from './kept-fields.js';

export const ONE_ADDRESS_MESSAGE = "only one of the 'awsSecurityGroup', 'cidrBlock' or 'ipAddress' is required be specified";

export const IpAccessListEntry = Type.Object(
  {
    ipAddress: Type.Optional(
      Type.String({ description: 'A single IPv4 or IPv6 address. A CIDR block written here (as the official v0.5.0 quick start does) is sent to Atlas as cidrBlock, host bits cleared.' }),
    ),
    cidrBlock: Type.Optional(Type.String({ description: 'A range of addresses in CIDR notation.' })),
    awsSecurityGroup: Type.Optional(Type.String({ description: 'An AWS security group id (needs VPC peering).' })),
    comment: Type.Optional(Type.String({ maxLength: 80 })),
    deleteAfterDate: Type.Optional(Type.String({ description: 'ISO-8601 date and time after which Atlas removes the entry.' })),
  },
  cel(
    '(has(self.ipAddress) ? 1 : 0) + (has(self.cidrBlock) ? 1 : 0) + (has(self.awsSecurityGroup) ? 1 : 0) == 1',
    ONE_ADDRESS_MESSAGE,
  ),
);
export type IpAccessListEntry = Static<typeof IpAccessListEntry>;

/** The project settings the official operator manages; only those set are compared. */
export const PROJECT_SETTING_NAMES = [
  'isCollectDatabaseSpecificsStatisticsEnabled',
  'isDataExplorerEnabled',
  'isExtendedStorageSizesEnabled',
  'isPerformanceAdvisorEnabled',
  'isRealtimePerformancePanelEnabled',
  'isSchemaAdvisorEnabled',
] as const;

export const ProjectSettings = Type.Object(Object.fromEntries(PROJECT_SETTING_NAMES.map((name) => [name, Type.Optional(Type.Boolean())])) as Record<(typeof PROJECT_SETTING_NAMES)[number], TOptional<TBoolean>>);
export type ProjectSettings = Static<typeof ProjectSettings>;

export const AtlasProjectSpec = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'The Atlas project name. It cannot be changed: a new name would mean a new project.',
    ...cel('self == oldSelf', 'spec.name cannot be changed; create a new AtlasProject for a new Atlas project'),
  }),
  connectionSecretRef: Type.Optional(
    Type.Object({
      name: Type.String({ minLength: 1 }),
      namespace: Type.Optional(Type.String({ description: "Only the project's own namespace is followed: a Secret elsewhere is refused, so no namespace borrows another's Atlas keys." })),
    }),
  ),
  projectIpAccessList: Type.Optional(Type.Array(IpAccessListEntry)),
  settings: Type.Optional(ProjectSettings),
  maintenanceWindow: Type.Optional(
    Type.Object({
      dayOfWeek: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, description: '1 = Sunday … 7 = Saturday.' })),
      hourOfDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, description: 'UTC hour the window starts.' })),
      autoDefer: Type.Optional(Type.Boolean({ description: "Defer each scheduled maintenance once, automatically (Atlas's autoDeferOnceEnabled)." })),
      // One-shot actions: taken once when set (status.maintenanceActionsTaken), not on every sync.
      startASAP: Type.Optional(Type.Boolean({ description: 'Start the pending maintenance now: taken once when set; unset and set again to repeat.' })),
      defer: Type.Optional(Type.Boolean({ description: 'Defer the scheduled maintenance by a week: taken once when set; unset and set again to repeat.' })),
    }),
  ),
  auditing: Type.Optional(
    Type.Object({
      enabled: Type.Optional(Type.Boolean({ description: 'Database auditing on for the project (false when left out).' })),
      auditFilter: Type.Optional(Type.String({ description: 'The audit filter, a JSON document; compared with Atlas as JSON.' })),
      auditAuthorizationSuccess: Type.Optional(Type.Boolean({ description: 'Also record successful authorization checks (authCheck events); slows clusters down.' })),
    }),
  ),
  teams: Type.Optional(
    Type.Array(
      Type.Object({
        roles: Type.Array(Type.String({ enum: ['GROUP_OWNER', 'GROUP_CLUSTER_MANAGER', 'GROUP_DATA_ACCESS_ADMIN', 'GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'] }), { minItems: 1 }),
        teamRef: Type.Object({ name: Type.String(), namespace: Type.Optional(Type.String()) }, { description: 'An AtlasTeam; its namespace defaults to the project\'s.' }),
      }),
      { description: 'Organization teams (AtlasTeam) and their roles in this project.' },
    ),
  ),
  customRoles: Type.Optional(Type.Array(CustomRole, { description: 'Custom database roles of the project (the official operator deprecates this for AtlasCustomRole; both work).' })),
  ...KEPT_SPEC_FIELDS,
  // Create-time only, as in the official operator: Atlas takes them when the project is made.
  withDefaultAlertsSettings: Type.Optional(Type.Boolean({ default: true, description: "Create the project with Atlas's default alerts (only when it is created)." })),
  regionUsageRestrictions: Type.Optional(
    Type.String({ default: 'NONE', enum: ['NONE', 'GOV_REGIONS_ONLY', 'COMMERCIAL_FEDRAMP_REGIONS_ONLY'], description: 'Atlas for Government only; NONE is not sent (only when the project is created).' }),
  ),
});
export type AtlasProjectSpec = Static<typeof AtlasProjectSpec>;

export const AtlasProjectStatus = Type.Object({
  ...CommonStatus,
  id: Type.Optional(Type.String({ description: 'The Atlas project id (groupId).' })),
  orgId: Type.Optional(
    Type.String({ description: 'The Atlas organization the project lives in: credentials of another organization never create or delete for this object.' }),
  ),
  expiredIpAccessList: Type.Optional(Type.Array(IpAccessListEntry)),
  ...OFFICIAL_STATUS_FIELDS,
  teams: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.Optional(Type.String()),
        teamRef: Type.Object({ name: Type.String(), namespace: Type.Optional(Type.String()) }),
        created: Type.Optional(Type.Boolean({ description: 'This project made the team: it is deleted from the organization with its last assignment.' })),
      }),
      {
        description: 'The team assignments spec.teams made: one dropped from the spec is removed from the project, and no other ever is.',
      },
    ),
  ),
  maintenanceActionsTaken: Type.Optional(
    Type.Array(Type.String(), { description: 'The one-shot maintenance actions (startASAP, defer) set in the spec and already taken; one is taken again only after it was unset.' }),
  ),
  customRoles: Type.Optional(
    Type.Array(Type.Object({ name: Type.String(), status: Type.String({ description: 'OK or FAILED.' }), error: Type.Optional(Type.String()) }), {
      description: 'The roles spec.customRoles manages: one dropped from the spec is deleted from Atlas, and no other role ever is.',
    }),
  ),
});
export type AtlasProjectStatus = Static<typeof AtlasProjectStatus>;

export const atlasProjectCrd = {
  kind: 'AtlasProject',
  plural: 'atlasprojects',
  singular: 'atlasproject',
  shortNames: ['ap'],
  spec: AtlasProjectSpec,
  status: AtlasProjectStatus,
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name' },
    READY_COLUMN,
    { name: 'Atlas ID', type: 'string', jsonPath: '.status.id' },
  ],
} as const;
