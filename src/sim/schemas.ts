/**
 * Request bodies the simulator accepts, per resource version, written from
 * ../shared/atlas-openapi/spec.yaml. Unknown fields are refused as Atlas refuses them, so a
 * client that sends a field of the wrong version finds out here, not in production.
 */
import { FormatRegistry, Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { atlasErrors, type SimError } from './errors.js';

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)));
}

const strict = { additionalProperties: false } as const;
const Tag = Type.Object({ key: Type.String({ minLength: 1, maxLength: 255 }), value: Type.String({ minLength: 1, maxLength: 255 }) }, strict);
const Label = Type.Object({ key: Type.Optional(Type.String()), value: Type.Optional(Type.String()) }, strict);
const ReadOnly = { id: Type.Optional(Type.String()), links: Type.Optional(Type.Array(Type.Unknown())) };

export const GroupCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    orgId: Type.String({ pattern: '^[a-f0-9]{24}$' }),
    withDefaultAlertsSettings: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Type.Array(Tag)),
    // NONE is what the official operator sends by default, and commercial Atlas takes it.
    regionUsageRestrictions: Type.Optional(Type.Union(['NONE', 'COMMERCIAL_FEDRAMP_REGIONS_ONLY', 'GOV_REGIONS_ONLY'].map((v) => Type.Literal(v)))),
    clusterCount: Type.Optional(Type.Integer()),
    created: Type.Optional(Type.String()),
    ...ReadOnly,
  },
  strict,
);

/**
 * Atlas's project name rule; needs the u flag, which TypeBox patterns do not get. The spec's
 * pattern has no space, but recorded Atlas accepts one ("Atlas CLI E2E"); the recording wins.
 */
export const PROJECT_NAME = /^[\p{L}\p{N}\-_.(),:&@+' ]{1,64}$/u;

export const GroupUpdate = Type.Object(
  { name: Type.Optional(Type.String()), tags: Type.Optional(Type.Array(Tag)), withDefaultAlertsSettings: Type.Optional(Type.Boolean()) },
  strict,
);

/** GroupSettings (2023-01-01): every flag a project has. */
export const PROJECT_SETTINGS = [
  'isClusterAiAssistantEnabled',
  'isCollectDatabaseSpecificsStatisticsEnabled',
  'isDataExplorerEnabled',
  'isDataExplorerGenAIFeaturesEnabled',
  'isDataExplorerGenAISampleDocumentPassingEnabled',
  'isDataValidationEnabled',
  'isExtendedStorageSizesEnabled',
  'isNativeRerankingEnabled',
  'isPerformanceAdvisorEnabled',
  'isRealtimePerformancePanelEnabled',
  'isSchemaAdvisorEnabled',
] as const;

export const GroupSettings = Type.Object(Object.fromEntries(PROJECT_SETTINGS.map((name) => [name, Type.Optional(Type.Boolean())])), strict);

export const AccessListEntry = Type.Object(
  {
    ipAddress: Type.Optional(Type.String()),
    cidrBlock: Type.Optional(Type.String()),
    awsSecurityGroup: Type.Optional(Type.String()),
    comment: Type.Optional(Type.String({ maxLength: 80 })),
    deleteAfterDate: Type.Optional(Type.String({ format: 'date-time' })),
    groupId: Type.Optional(Type.String()),
    links: Type.Optional(Type.Array(Type.Unknown())),
  },
  strict,
);
export const AccessListEntries = Type.Array(AccessListEntry, { minItems: 1 });

const Provider = Type.Union(['AWS', 'AZURE', 'GCP', 'TENANT'].map((p) => Type.Literal(p)));
const Hardware = Type.Object(
  {
    instanceSize: Type.Optional(Type.String()),
    nodeCount: Type.Optional(Type.Integer({ minimum: 0 })),
    diskIOPS: Type.Optional(Type.Integer()),
    diskSizeGB: Type.Optional(Type.Number()),
    ebsVolumeType: Type.Optional(Type.Union(['STANDARD', 'PROVISIONED', 'HIGH_PERFORMANCE'].map((p) => Type.Literal(p)))),
    effectiveInstanceSize: Type.Optional(Type.String()),
    diskThroughput: Type.Optional(Type.Integer()),
  },
  strict,
);
const AutoScaling = Type.Object(
  {
    compute: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          scaleDownEnabled: Type.Optional(Type.Boolean()),
          minInstanceSize: Type.Optional(Type.String()),
          maxInstanceSize: Type.Optional(Type.String()),
          predictiveEnabled: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    diskGB: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) }, strict)),
  },
  strict,
);

function regionConfig(withDiskInSpecs: boolean) {
  const hw = withDiskInSpecs ? Hardware : Type.Omit(Hardware, ['diskSizeGB'], strict);
  return Type.Object(
    {
      providerName: Provider,
      regionName: Type.String({ minLength: 1 }),
      priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
      backingProviderName: Type.Optional(Type.Union(['AWS', 'AZURE', 'GCP'].map((p) => Type.Literal(p)))),
      electableSpecs: Type.Optional(hw),
      readOnlySpecs: Type.Optional(hw),
      analyticsSpecs: Type.Optional(hw),
      effectiveElectableSpecs: Type.Optional(hw),
      effectiveReadOnlySpecs: Type.Optional(hw),
      effectiveAnalyticsSpecs: Type.Optional(hw),
      autoScaling: Type.Optional(AutoScaling),
      analyticsAutoScaling: Type.Optional(AutoScaling),
    },
    strict,
  );
}

const clusterCommon = {
  name: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$', maxLength: 64 })),
  clusterType: Type.Optional(Type.Union(['REPLICASET', 'SHARDED', 'GEOSHARDED'].map((p) => Type.Literal(p)))),
  backupEnabled: Type.Optional(Type.Boolean()),
  biConnector: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), readPreference: Type.Optional(Type.String()) }, strict)),
  encryptionAtRestProvider: Type.Optional(Type.Union(['NONE', 'AWS', 'AZURE', 'GCP'].map((p) => Type.Literal(p)))),
  labels: Type.Optional(Type.Array(Label)),
  tags: Type.Optional(Type.Array(Tag)),
  mongoDBMajorVersion: Type.Optional(Type.String()),
  paused: Type.Optional(Type.Boolean()),
  pitEnabled: Type.Optional(Type.Boolean()),
  rootCertType: Type.Optional(Type.Literal('ISRGROOTX1')),
  terminationProtectionEnabled: Type.Optional(Type.Boolean()),
  versionReleaseSystem: Type.Optional(Type.Union([Type.Literal('LTS'), Type.Literal('CONTINUOUS')])),
  globalClusterSelfManagedSharding: Type.Optional(Type.Boolean()),
  diskWarmingMode: Type.Optional(Type.String()),
  replicaSetScalingStrategy: Type.Optional(Type.String()),
  configServerManagementMode: Type.Optional(Type.String()),
  advancedConfiguration: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  acceptDataRisksAndForceReplicaSetReconfig: Type.Optional(Type.String()),
  // Read-only fields a client may echo back from a GET; Atlas ignores them.
  id: Type.Optional(Type.String()),
  groupId: Type.Optional(Type.String()),
  createDate: Type.Optional(Type.String()),
  stateName: Type.Optional(Type.String()),
  mongoDBVersion: Type.Optional(Type.String()),
  connectionStrings: Type.Optional(Type.Unknown()),
  links: Type.Optional(Type.Array(Type.Unknown())),
};

/** Flex clusters (2024-11-13): a name, where, tags and termination protection; nothing else is settable. */
export const FlexClusterCreate = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$', maxLength: 64 }),
    providerSettings: Type.Object(
      { backingProviderName: Type.Union(['AWS', 'AZURE', 'GCP'].map((p) => Type.Literal(p))), regionName: Type.String({ minLength: 1 }), providerName: Type.Optional(Type.Literal('FLEX')) },
      strict,
    ),
    tags: Type.Optional(Type.Array(Tag)),
    terminationProtectionEnabled: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const FlexClusterUpdate = Type.Object({ tags: Type.Optional(Type.Array(Tag)), terminationProtectionEnabled: Type.Optional(Type.Boolean()) }, strict);

const PolicyItem = Type.Object(
  {
    id: Type.Optional(Type.String()),
    frequencyType: Type.Union(['hourly', 'daily', 'weekly', 'monthly', 'yearly'].map((v) => Type.Literal(v))),
    frequencyInterval: Type.Integer({ minimum: 1, maximum: 40 }),
    retentionUnit: Type.Union(['days', 'weeks', 'months', 'years'].map((v) => Type.Literal(v))),
    retentionValue: Type.Integer({ minimum: 1 }),
  },
  strict,
);

/** The backup schedule's PATCH (2023-01-01 names the zone by replication spec id, 2024-08-05 by zone id). */
function backupSchedulePatch(version: string) {
  const zone: TProperties = version === '2023-01-01' ? { replicationSpecId: Type.String({ pattern: '^[a-f0-9]{24}$' }) } : { zoneId: Type.String({ pattern: '^[a-f0-9]{24}$' }) };
  return Type.Object(
    {
      autoExportEnabled: Type.Optional(Type.Boolean()),
      copySettings: Type.Optional(
        Type.Array(
          Type.Object(
            {
              cloudProvider: Type.Optional(Type.Union(['AWS', 'AZURE', 'GCP'].map((v) => Type.Literal(v)))),
              frequencies: Type.Optional(Type.Array(Type.Union(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'ON_DEMAND'].map((v) => Type.Literal(v))))),
              regionName: Type.Optional(Type.String()),
              shouldCopyOplogs: Type.Optional(Type.Boolean()),
              ...zone,
            },
            strict,
          ),
        ),
      ),
      export: Type.Optional(Type.Object({ exportBucketId: Type.Optional(Type.String()), frequencyType: Type.Optional(Type.Union([Type.Literal('monthly'), Type.Literal('yearly')])) }, strict)),
      policies: Type.Optional(Type.Array(Type.Object({ id: Type.Optional(Type.String()), policyItems: Type.Array(PolicyItem) }, strict), { maxItems: 1 })),
      referenceHourOfDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
      referenceMinuteOfHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 59 })),
      restoreWindowDays: Type.Optional(Type.Integer({ minimum: 1 })),
      updateSnapshots: Type.Optional(Type.Boolean()),
      useOrgAndGroupNamesInExportPrefix: Type.Optional(Type.Boolean()),
      // Read-only fields a client may echo back from a GET.
      clusterId: Type.Optional(Type.String()),
      clusterName: Type.Optional(Type.String()),
      nextSnapshot: Type.Optional(Type.String()),
      links: Type.Optional(Type.Array(Type.Unknown())),
    },
    strict,
  );
}

export const BackupSchedulePatch = { '2023-01-01': backupSchedulePatch('2023-01-01'), '2024-08-05': backupSchedulePatch('2024-08-05') } as const;

/** …/processArgs: 2023-01-01 still has defaultReadConcern and failIndexKeyTooLong, 2024-08-05 does not. */
function processArgsPatch(version: string) {
  return Type.Object(
    {
      ...(version === '2023-01-01' ? { defaultReadConcern: Type.Optional(Type.Union(['local', 'available'].map((v) => Type.Literal(v)))), failIndexKeyTooLong: Type.Optional(Type.Boolean()) } : {}),
      defaultWriteConcern: Type.Optional(Type.String()),
      javascriptEnabled: Type.Optional(Type.Boolean()),
      minimumEnabledTlsProtocol: Type.Optional(Type.Union(['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3'].map((v) => Type.Literal(v)))),
      noTableScan: Type.Optional(Type.Boolean()),
      oplogMinRetentionHours: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
      oplogSizeMB: Type.Optional(Type.Union([Type.Integer({ minimum: 990 }), Type.Null()])),
      sampleRefreshIntervalBIConnector: Type.Optional(Type.Integer({ minimum: 0 })),
      sampleSizeBIConnector: Type.Optional(Type.Integer({ minimum: 0 })),
      defaultMaxTimeMS: Type.Optional(Type.Integer({ minimum: 1 })),
      transactionLifetimeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    },
    strict,
  );
}

export const ProcessArgsPatch = { '2023-01-01': processArgsPatch('2023-01-01'), '2024-08-05': processArgsPatch('2024-08-05') } as const;

/** …/auditLog (2023-01-01): database auditing; configurationType is Atlas's to say. */
export const AuditLogPatch = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    auditFilter: Type.Optional(Type.String()),
    auditAuthorizationSuccess: Type.Optional(Type.Boolean()),
  },
  strict,
);

/** …/maintenanceWindow (2023-01-01): when Atlas may restart the project's clusters. */
export const MaintenanceWindowPatch = Type.Object(
  {
    dayOfWeek: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    hourOfDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
    autoDeferOnceEnabled: Type.Optional(Type.Boolean()),
    startASAP: Type.Optional(Type.Boolean()),
    protectedHours: Type.Optional(Type.Object({ startHourOfDay: Type.Optional(Type.Integer()), endHourOfDay: Type.Optional(Type.Integer()) }, strict)),
    numberOfDeferrals: Type.Optional(Type.Integer()),
    timeZoneId: Type.Optional(Type.String()),
  },
  strict,
);

/** 2023-02-01 counts shards and keeps the disk size at the top; 2024-08-05 has a spec per shard. */
function replicationSpecs(version: '2023-02-01' | '2024-08-05') {
  const perShard = version === '2024-08-05';
  return Type.Optional(
    Type.Array(
      Type.Object(
        {
          id: Type.Optional(Type.String()),
          zoneId: Type.Optional(Type.String()),
          zoneName: Type.Optional(Type.String()),
          ...(perShard ? {} : { numShards: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
          regionConfigs: Type.Array(regionConfig(perShard), { minItems: 1 }),
        },
        strict,
      ),
      { minItems: 1 },
    ),
  );
}

export const Cluster20240805 = Type.Object(
  {
    ...clusterCommon,
    replicationSpecs: replicationSpecs('2024-08-05'),
    redactClientLogData: Type.Optional(Type.Boolean()),
    retainBackups: Type.Optional(Type.Boolean()),
    useAwsTimeBasedSnapshotCopyForFastInitialSync: Type.Optional(Type.Boolean()),
    effectiveReplicationSpecs: Type.Optional(Type.Unknown()),
    featureCompatibilityVersion: Type.Optional(Type.String()),
  },
  strict,
);

export const Cluster20230201 = Type.Object(
  {
    ...clusterCommon,
    diskSizeGB: Type.Optional(Type.Number({ minimum: 0 })),
    replicationSpecs: replicationSpecs('2023-02-01'),
  },
  strict,
);

const LegacyRegion = Type.Object(
  {
    analyticsNodes: Type.Optional(Type.Integer({ minimum: 0 })),
    electableNodes: Type.Optional(Type.Integer({ minimum: 0 })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
    readOnlyNodes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

/** The legacy 2023-01-01 cluster shape: provider settings and node counts per region. */
export const Cluster20230101 = Type.Object(
  {
    ...clusterCommon,
    providerSettings: Type.Optional(
      Type.Object(
        {
          providerName: Provider,
          backingProviderName: Type.Optional(Type.Union(['AWS', 'AZURE', 'GCP'].map((p) => Type.Literal(p)))),
          instanceSizeName: Type.Optional(Type.String({ minLength: 1 })),
          regionName: Type.Optional(Type.String({ minLength: 1 })),
          diskIOPS: Type.Optional(Type.Integer({ minimum: 0 })),
          diskTypeName: Type.Optional(Type.String()),
          encryptEBSVolume: Type.Optional(Type.Boolean()),
          volumeType: Type.Optional(Type.Union([Type.Literal('STANDARD'), Type.Literal('PROVISIONED')])),
          autoScaling: Type.Optional(
            Type.Object({ compute: Type.Optional(Type.Object({ minInstanceSize: Type.Optional(Type.String()), maxInstanceSize: Type.Optional(Type.String()) }, strict)) }, strict),
          ),
        },
        strict,
      ),
    ),
    autoScaling: Type.Optional(
      Type.Object(
        {
          autoIndexingEnabled: Type.Optional(Type.Boolean()),
          compute: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), scaleDownEnabled: Type.Optional(Type.Boolean()) }, strict)),
          diskGBEnabled: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    diskSizeGB: Type.Optional(Type.Number({ minimum: 0 })),
    numShards: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    replicationFactor: Type.Optional(Type.Integer({ minimum: 1 })),
    providerBackupEnabled: Type.Optional(Type.Boolean()),
    replicationSpec: Type.Optional(Type.Record(Type.String(), LegacyRegion)),
    replicationSpecs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.Optional(Type.String()),
            numShards: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            zoneName: Type.Optional(Type.String()),
            regionsConfig: Type.Optional(Type.Record(Type.String(), LegacyRegion)),
          },
          strict,
        ),
        { minItems: 1 },
      ),
    ),
    mongoURI: Type.Optional(Type.String()),
    mongoURIUpdated: Type.Optional(Type.String()),
    mongoURIWithOptions: Type.Optional(Type.String()),
    srvAddress: Type.Optional(Type.String()),
  },
  strict,
);

const RoleName = Type.String({ minLength: 1 });
export const DatabaseUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 1024 }),
    databaseName: Type.Union([Type.Literal('admin'), Type.Literal('$external')]),
    groupId: Type.Optional(Type.String()),
    password: Type.Optional(Type.String({ minLength: 8 })),
    roles: Type.Optional(
      Type.Array(
        Type.Object({ roleName: RoleName, databaseName: Type.String(), collectionName: Type.Optional(Type.String()) }, strict),
      ),
    ),
    scopes: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), type: Type.Union(['CLUSTER', 'DATA_LAKE', 'STREAM'].map((p) => Type.Literal(p))) }, strict)),
    ),
    labels: Type.Optional(Type.Array(Label)),
    description: Type.Optional(Type.String({ maxLength: 100 })),
    deleteAfterDate: Type.Optional(Type.String()),
    x509Type: Type.Optional(Type.Union(['NONE', 'CUSTOMER', 'MANAGED'].map((p) => Type.Literal(p)))),
    awsIAMType: Type.Optional(Type.Union(['NONE', 'USER', 'ROLE'].map((p) => Type.Literal(p)))),
    ldapAuthType: Type.Optional(Type.Union(['NONE', 'GROUP', 'USER'].map((p) => Type.Literal(p)))),
    oidcAuthType: Type.Optional(Type.Union(['NONE', 'IDP_GROUP', 'USER'].map((p) => Type.Literal(p)))),
    links: Type.Optional(Type.Array(Type.Unknown())),
  },
  strict,
);
export const DatabaseUserUpdate = Type.Partial(DatabaseUser, strict);

/** Organization teams (2023-01-01), their members (2025-02-19) and project roles. */
export const TeamCreate = Type.Object({ name: Type.String({ minLength: 1 }), usernames: Type.Array(Type.String()) }, strict);
export const TeamMember = Type.Object({ id: Type.String() }, strict);
// Project roles; the spec lists no enum, so only their prefix is checked.
const TeamRoleNames = Type.Array(Type.String({ pattern: '^GROUP_' }), { minItems: 1 });
export const TeamAssignments = Type.Array(Type.Object({ teamId: Type.String(), roleNames: TeamRoleNames }, strict), { minItems: 1 });
export const TeamRolesUpdate = Type.Object({ teamId: Type.Optional(Type.String()), roleNames: TeamRoleNames }, strict);

/** …/customDBRoles/roles (2023-01-01): a custom database role; the update leaves out the name. */
const RoleAction = Type.Object(
  {
    action: Type.String(),
    resources: Type.Optional(Type.Array(Type.Object({ cluster: Type.Optional(Type.Boolean()), db: Type.Optional(Type.String()), collection: Type.Optional(Type.String()) }, strict))),
  },
  strict,
);
const InheritedRole = Type.Object({ role: Type.String(), db: Type.String() }, strict);
export const CustomDbRoleUpdate = Type.Object({ actions: Type.Optional(Type.Array(RoleAction)), inheritedRoles: Type.Optional(Type.Array(InheritedRole)) }, strict);
export const CustomDbRole = Type.Object({ roleName: Type.String(), actions: Type.Optional(Type.Array(RoleAction)), inheritedRoles: Type.Optional(Type.Array(InheritedRole)) }, strict);

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The body, or the Atlas error the first problem in it earns. */
export function validateBody<T>(schema: TSchema, body: unknown): T {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(body)) return body as T;
  throw toAtlasError(check.Errors(body).First()!);
}

function toAtlasError(error: { type: ValueErrorType; path: string; message: string; schema: TSchema; value: unknown }): SimError {
  const field = error.path.replace(/^\//, '').replace(/\//g, '.') || 'body';
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const names = Object.keys((error.value as object) ?? {}).filter((k) => !((error.schema as any).properties ?? {})[k]);
    return atlasErrors.invalidAttribute(names[0] ?? field);
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return atlasErrors.missingAttribute(field);
  return atlasErrors.validation(`${field}: ${error.message}`);
}
