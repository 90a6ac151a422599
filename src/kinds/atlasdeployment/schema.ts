/**
 * AtlasDeployment as the official operator v2 defines it (../shared/reference/
 * atlas-operator.md §1.7): every field its CRD has, typed the same, so stored objects keep
 * and validate them. deploymentSpec (a dedicated or shared-tier advanced cluster) and
 * flexSpec (a flex cluster) are managed; what is marked kept() is stored and reported under
 * FieldsManaged, never acted on.
 */
import { Type, type Static } from '@sinclair/typebox';
import { cel, ClusterStatusFields, CommonStatus, ComputeAutoScaling, ExternalProjectOrg, kept, PROJECT_REFERENCE_RULES, READY_COLUMN, ResourceRef, ResourceRefNamespaced, Tags } from '../common.js';

const Int64 = Type.Integer({ format: 'int64' });
const Volume = Type.String({ enum: ['STANDARD', 'PROVISIONED'] });
const Cloud = Type.String({ enum: ['AWS', 'GCP', 'AZURE'] });

const Hardware = Type.Object({
  instanceSize: Type.Optional(Type.String({ description: 'M10, M30… With compute autoscaling on, Atlas may change it and it is not forced back.' })),
  nodeCount: Type.Optional(Type.Integer()),
  diskIOPS: Type.Optional(Int64),
  ebsVolumeType: Type.Optional(Volume),
});

const RegionConfig = Type.Object({
  providerName: Type.Optional(Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'TENANT', 'SERVERLESS'] })),
  backingProviderName: Type.Optional(Cloud),
  regionName: Type.Optional(Type.String()),
  priority: Type.Optional(Type.Integer()),
  electableSpecs: Type.Optional(Hardware),
  readOnlySpecs: Type.Optional(Hardware),
  analyticsSpecs: Type.Optional(Hardware),
  autoScaling: Type.Optional(
    Type.Object({
      compute: Type.Optional(
        ComputeAutoScaling,
      ),
      diskGB: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean({ description: 'Atlas grows the disk as needed; a grown disk is never shrunk back.' })) })),
    }),
  ),
});
export type RegionConfig = Static<typeof RegionConfig>;

const SearchIndex = Type.Object({
  name: Type.String(),
  DBName: Type.String(),
  collectionName: Type.String(),
  type: Type.String({ enum: ['search', 'vectorSearch'] }),
  search: Type.Optional(
    Type.Object({
      mappings: Type.Object({
        dynamic: Type.Optional(Type.Unknown({ 'x-kubernetes-preserve-unknown-fields': true })),
        fields: Type.Optional(Type.Unknown({ 'x-kubernetes-preserve-unknown-fields': true })),
      }),
      searchConfigurationRef: ResourceRefNamespaced,
      synonyms: Type.Optional(
        Type.Array(
          Type.Object({
            name: Type.String(),
            // The official CRD's list of Lucene analyzers; kept open here, checked by Atlas.
            analyzer: Type.String(),
            source: Type.Object({ collection: Type.String() }),
          }),
        ),
      ),
    }),
  ),
  vectorSearch: Type.Optional(Type.Object({ fields: Type.Unknown({ 'x-kubernetes-preserve-unknown-fields': true }) })),
});

const ManagedNamespace = {
  db: Type.String(),
  collection: Type.String(),
  customShardKey: Type.Optional(Type.String()),
  isCustomShardKeyHashed: Type.Optional(Type.Boolean()),
  isShardKeyUnique: Type.Optional(Type.Boolean()),
  numInitialChunks: Type.Optional(Type.Integer()),
  presplitHashedZones: Type.Optional(Type.Boolean()),
};

export const DeploymentSpec = Type.Object({
  name: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$', ...cel('self == oldSelf', 'Name cannot be modified after deployment creation') }),
  clusterType: Type.Optional(Type.String({ enum: ['REPLICASET', 'SHARDED', 'GEOSHARDED'] })),
  replicationSpecs: Type.Optional(
    Type.Array(
      Type.Object({
        numShards: Type.Optional(Type.Integer({ description: 'Copies of this replication spec, one per shard.' })),
        zoneName: Type.Optional(Type.String()),
        regionConfigs: Type.Optional(Type.Array(RegionConfig)),
      }),
    ),
  ),
  diskSizeGB: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096, description: 'Every node’s disk; with disk autoscaling on, a disk Atlas grew is not shrunk back.' })),
  mongoDBMajorVersion: Type.Optional(Type.String()),
  versionReleaseSystem: Type.Optional(Type.String()),
  backupEnabled: Type.Optional(Type.Boolean()),
  pitEnabled: Type.Optional(Type.Boolean()),
  paused: Type.Optional(Type.Boolean()),
  terminationProtectionEnabled: Type.Optional(Type.Boolean({ default: false, description: 'While on in Atlas, deleting this object leaves the cluster and keeps the finalizer.' })),
  encryptionAtRestProvider: Type.Optional(Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'NONE'] })),
  rootCertType: Type.Optional(Type.String()),
  configServerManagementMode: Type.Optional(Type.String({ enum: ['ATLAS_MANAGED', 'FIXED_TO_DEDICATED'] })),
  biConnector: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), readPreference: Type.Optional(Type.String()) })),
  labels: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 255 }), value: Type.String() }))),
  tags: Type.Optional(Tags),
  // Atlas decides the exact version; the spec names the major one.
  mongoDBVersion: Type.Optional(kept(Type.String())),
  customZoneMapping: Type.Optional(kept(Type.Array(Type.Object({ location: Type.String(), zone: Type.String() })))),
  managedNamespaces: Type.Optional(kept(Type.Array(Type.Object(ManagedNamespace)))),
  searchNodes: Type.Optional(kept(Type.Array(Type.Object({ instanceSize: Type.Optional(Type.String()), nodeCount: Type.Optional(Type.Integer({ minimum: 2, maximum: 32 })) }), { maxItems: 1 }))),
  searchIndexes: Type.Optional(kept(Type.Array(SearchIndex))),
});
export type DeploymentSpec = Static<typeof DeploymentSpec>;

const ProcessArgs = Type.Object({
  defaultReadConcern: Type.Optional(Type.String()),
  defaultWriteConcern: Type.Optional(Type.String()),
  failIndexKeyTooLong: Type.Optional(Type.Boolean()),
  javascriptEnabled: Type.Optional(Type.Boolean()),
  minimumEnabledTlsProtocol: Type.Optional(Type.String()),
  noTableScan: Type.Optional(Type.Boolean()),
  oplogMinRetentionHours: Type.Optional(Type.String()),
  oplogSizeMB: Type.Optional(Int64),
  sampleRefreshIntervalBIConnector: Type.Optional(Int64),
  sampleSizeBIConnector: Type.Optional(Int64),
});

export const FlexSpec = Type.Object({
  name: Type.String(),
  providerSettings: Type.Object({
    backingProviderName: Type.String({ enum: ['AWS', 'GCP', 'AZURE'], ...cel('self == oldSelf', 'Backing Provider cannot be modified after cluster creation') }),
    regionName: Type.String(cel('self == oldSelf', 'Region Name cannot be modified after cluster creation')),
  }),
  tags: Type.Optional(Tags),
  terminationProtectionEnabled: Type.Optional(Type.Boolean({ default: false })),
});
export type FlexSpec = Static<typeof FlexSpec>;

const ServerlessSpec = Type.Object({
  name: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$' }),
  providerSettings: Type.Object({
    providerName: Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'TENANT', 'SERVERLESS'] }),
    backingProviderName: Type.Optional(Cloud),
    regionName: Type.Optional(Type.String()),
    instanceSizeName: Type.Optional(Type.String()),
    diskIOPS: Type.Optional(Int64),
    diskTypeName: Type.Optional(Type.String()),
    encryptEBSVolume: Type.Optional(Type.Boolean()),
    volumeType: Type.Optional(Volume),
    autoScaling: Type.Optional(
      Type.Object({
        autoIndexingEnabled: Type.Optional(Type.Boolean()),
        diskGBEnabled: Type.Optional(Type.Boolean()),
        compute: Type.Optional(
          ComputeAutoScaling,
        ),
      }),
    ),
  }),
  backupOptions: Type.Optional(Type.Object({ serverlessContinuousBackupEnabled: Type.Optional(Type.Boolean({ default: true })) })),
  privateEndpoints: Type.Optional(
    Type.Array(Type.Object({ name: Type.Optional(Type.String()), cloudProviderEndpointID: Type.Optional(Type.String()), privateEndpointIpAddress: Type.Optional(Type.String()) })),
  ),
  tags: Type.Optional(Tags),
  terminationProtectionEnabled: Type.Optional(Type.Boolean({ default: false })),
});

export const AtlasDeploymentSpec = Type.Object(
  {
    // Optional only so that objects with externalProjectRef stay writable; the rules below
    // ask for exactly one of the two, as the official CRD does.
    projectRef: Type.Optional(ResourceRefNamespaced),
    externalProjectRef: Type.Optional(Type.Object({ id: Type.String() })),
    connectionSecret: Type.Optional(ResourceRef),
    deploymentSpec: Type.Optional(DeploymentSpec),
    flexSpec: Type.Optional(FlexSpec),
    serverlessSpec: Type.Optional(kept(ServerlessSpec)),
    upgradeToDedicated: Type.Optional(Type.Boolean({ description: 'With deploymentSpec in place of flexSpec: upgrade the flex cluster of that name to it.' })),
    processArgs: Type.Optional(ProcessArgs),
    backupRef: Type.Optional(ResourceRefNamespaced),
  },
  {
    'x-kubernetes-validations': [
      ...PROJECT_REFERENCE_RULES,
      { rule: '!has(self.serverlessSpec) || (oldSelf.hasValue() && oldSelf.value().serverlessSpec != null)', message: 'serverlessSpec cannot be added - serverless instances are deprecated', fieldPath: '.serverlessSpec', optionalOldSelf: true },
    ],
  },
);
export type AtlasDeploymentSpec = Static<typeof AtlasDeploymentSpec>;

export const AtlasDeploymentStatus = Type.Object({
  ...CommonStatus,
  stateName: ClusterStatusFields.stateName,
  mongoDBVersion: ClusterStatusFields.mongoDBVersion,
  connectionStrings: Type.Optional(Type.Object(ClusterStatusFields.connectionStrings)),
  mongoURIUpdated: ClusterStatusFields.mongoURIUpdated,
  orgId: ExternalProjectOrg,
  replicaSets: Type.Optional(Type.Array(Type.Object({ id: Type.String(), zoneName: Type.Optional(Type.String()) }))),
  serverlessPrivateEndpoints: Type.Optional(
    Type.Array(
      Type.Object({
        _id: Type.Optional(Type.String()),
        name: Type.Optional(Type.String()),
        cloudProviderEndpointId: Type.Optional(Type.String()),
        endpointServiceName: Type.Optional(Type.String()),
        errorMessage: Type.Optional(Type.String()),
        privateEndpointIpAddress: Type.Optional(Type.String()),
        privateLinkServiceResourceId: Type.Optional(Type.String()),
        providerName: Type.Optional(Type.String()),
        status: Type.Optional(Type.String()),
      }),
    ),
  ),
  customZoneMapping: Type.Optional(
    Type.Object({
      customZoneMapping: Type.Optional(Type.Record(Type.String(), Type.String())),
      zoneMappingErrMessage: Type.Optional(Type.String()),
      zoneMappingState: Type.Optional(Type.String()),
    }),
  ),
  managedNamespaces: Type.Optional(Type.Array(Type.Object({ ...ManagedNamespace, errMessage: Type.Optional(Type.String()), status: Type.Optional(Type.String()) }))),
  searchIndexes: Type.Optional(Type.Array(Type.Object({ ID: Type.String(), name: Type.String(), status: Type.String(), message: Type.String() }))),
});

export const atlasDeploymentCrd = {
  kind: 'AtlasDeployment',
  plural: 'atlasdeployments',
  singular: 'atlasdeployment',
  shortNames: ['ad'],
  spec: AtlasDeploymentSpec,
  status: AtlasDeploymentStatus,
  printerColumns: [READY_COLUMN, { name: 'Atlas State', type: 'string', jsonPath: '.status.stateName' }, { name: 'MongoDB Version', type: 'string', jsonPath: '.status.mongoDBVersion' }],
} as const;
