/**
 * AtlasCluster in the seed-era official operator's shape (../shared/reference/
 * atlas-operator.md §1.3). Atlas's v2 API no longer has the legacy cluster shape; the hook
 * translates these fields to advanced clusters (translation.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { cel, ClusterStatusFields, CommonStatus, ComputeAutoScaling, kept, READY_COLUMN, ResourceRefNamespaced } from '../common.js';

const Provider = Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'TENANT'] });


export const AutoScalingSpec = Type.Object({
  autoIndexingEnabled: Type.Optional(Type.Boolean()),
  diskGBEnabled: Type.Optional(Type.Boolean({ description: 'Atlas grows the disk as needed; a grown disk is never shrunk back.' })),
  compute: Type.Optional(ComputeAutoScaling),
});

export const ProviderSettings = Type.Object(
  {
    instanceSizeName: Type.String({ minLength: 1, description: 'M0, M10, M30… With compute autoscaling on, Atlas may change it and it is not forced back.' }),
    providerName: Provider,
    backingProviderName: Type.Optional(Type.String({ enum: ['AWS', 'GCP', 'AZURE'] })),
    regionName: Type.Optional(Type.String()),
    diskIOPS: Type.Optional(Type.Integer({ format: 'int64' })),
    diskTypeName: Type.Optional(Type.String()),
    encryptEBSVolume: Type.Optional(Type.Boolean()),
    volumeType: Type.Optional(Type.String({ enum: ['STANDARD', 'PROVISIONED'] })),
    autoScaling: Type.Optional(
      Type.Object({
        compute: Type.Optional(ComputeAutoScaling),
        // The official CRDs carry these here too; the top-level autoScaling is what is managed.
        autoIndexingEnabled: Type.Optional(kept(Type.Boolean())),
        diskGBEnabled: Type.Optional(kept(Type.Boolean())),
      }),
    ),
  },
  cel("self.providerName != 'TENANT' || has(self.backingProviderName)", 'providerSettings.backingProviderName is required when providerName is TENANT'),
);

export const RegionSpec = Type.Object({
  analyticsNodes: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
  electableNodes: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 7, format: 'int64' })),
  readOnlyNodes: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
});

export const ReplicationSpec = Type.Object({
  numShards: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, format: 'int64' })),
  zoneName: Type.Optional(Type.String()),
  regionsConfig: Type.Optional(Type.Record(Type.String(), RegionSpec)),
});

export const AtlasClusterSpec = Type.Object({
  projectRef: ResourceRefNamespaced,
  name: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$',
    ...cel('self == oldSelf', 'spec.name cannot be changed: Atlas cannot rename a cluster'),
  }),
  providerSettings: ProviderSettings,
  autoScaling: Type.Optional(AutoScalingSpec),
  biConnector: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), readPreference: Type.Optional(Type.String()) })),
  clusterType: Type.Optional(Type.String({ enum: ['REPLICASET', 'SHARDED', 'GEOSHARDED'] })),
  diskSizeGB: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096 })),
  encryptionAtRestProvider: Type.Optional(Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'NONE'] })),
  labels: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 255 }), value: Type.String() }))),
  mongoDBMajorVersion: Type.Optional(Type.String()),
  numShards: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  paused: Type.Optional(Type.Boolean()),
  pitEnabled: Type.Optional(Type.Boolean()),
  providerBackupEnabled: Type.Optional(Type.Boolean()),
  replicationSpecs: Type.Optional(Type.Array(ReplicationSpec)),
});
export type AtlasClusterSpec = Static<typeof AtlasClusterSpec>;

/** v0.8's clusterSpec: the seed-era fields, one level down. */
const { projectRef: _projectRef, ...seedFields } = AtlasClusterSpec.properties;
export const ClusterSpecV08 = Type.Object(seedFields);

const AdvancedHardware = Type.Object({
  instanceSize: Type.Optional(Type.String()),
  nodeCount: Type.Optional(Type.Integer()),
  diskIOPS: Type.Optional(Type.Integer({ format: 'int64' })),
  ebsVolumeType: Type.Optional(Type.String()),
});

/** v0.8's advancedClusterSpec: the advanced cluster shape AtlasDeployment's deploymentSpec grew from. No enums: v0.8 had none. */
export const AdvancedClusterSpecV08 = Type.Object({
  name: Type.Optional(Type.String()),
  clusterType: Type.Optional(Type.String()),
  backupEnabled: Type.Optional(Type.Boolean()),
  biConnector: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), readPreference: Type.Optional(Type.String()) })),
  diskSizeGB: Type.Optional(Type.Integer()),
  encryptionAtRestProvider: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 255 }), value: Type.String() }))),
  mongoDBMajorVersion: Type.Optional(Type.String()),
  paused: Type.Optional(Type.Boolean()),
  pitEnabled: Type.Optional(Type.Boolean()),
  rootCertType: Type.Optional(Type.String()),
  versionReleaseSystem: Type.Optional(Type.String()),
  replicationSpecs: Type.Optional(
    Type.Array(
      Type.Object({
        numShards: Type.Optional(Type.Integer()),
        zoneName: Type.Optional(Type.String()),
        regionConfigs: Type.Optional(
          Type.Array(
            Type.Object({
              providerName: Type.Optional(Type.String()),
              backingProviderName: Type.Optional(Type.String()),
              regionName: Type.Optional(Type.String()),
              priority: Type.Optional(Type.Integer()),
              electableSpecs: Type.Optional(AdvancedHardware),
              readOnlySpecs: Type.Optional(AdvancedHardware),
              analyticsSpecs: Type.Optional(AdvancedHardware),
              autoScaling: Type.Optional(
                Type.Object({
                  compute: Type.Optional(
                    ComputeAutoScaling,
                  ),
                  diskGBEnabled: Type.Optional(Type.Boolean()),
                  // Atlas's advanced API has no such setting any more.
                  autoIndexingEnabled: Type.Optional(kept(Type.Boolean())),
                }),
              ),
            }),
          ),
        ),
        // Atlas's ids, which v0.8 let a spec carry: read-only.
        id: Type.Optional(kept(Type.String())),
      }),
    ),
  ),
  // What Atlas reports, which v0.8 let a spec carry: kept, never sent.
  id: Type.Optional(kept(Type.String())),
  groupId: Type.Optional(kept(Type.String())),
  createDate: Type.Optional(kept(Type.String())),
  stateName: Type.Optional(kept(Type.String())),
  mongoDBVersion: Type.Optional(kept(Type.String())),
  connectionStrings: Type.Optional(
    kept(
      Type.Object({
        ...ClusterStatusFields.connectionStrings,
        awsPrivateLink: Type.Optional(Type.Record(Type.String(), Type.String())),
        awsPrivateLinkSrv: Type.Optional(Type.Record(Type.String(), Type.String())),
      }),
    ),
  ),
});
export type AdvancedClusterSpecV08 = Static<typeof AdvancedClusterSpecV08>;

/**
 * The spec as the API server stores it and the hooks take it: the seed-era fields at the
 * top, or v0.8 of the official operator's spec.clusterSpec or spec.advancedClusterSpec with
 * no top-level name. The CRD asks for the seed-era pair only when neither is there.
 */
export const AtlasClusterStoredSpec = Type.Object(
  {
    ...AtlasClusterSpec.properties,
    name: Type.Optional(AtlasClusterSpec.properties.name),
    providerSettings: Type.Optional(ProviderSettings),
    clusterSpec: Type.Optional(ClusterSpecV08),
    advancedClusterSpec: Type.Optional(AdvancedClusterSpecV08),
  },
  cel(
    'has(self.clusterSpec) || has(self.advancedClusterSpec) || (has(self.name) && has(self.providerSettings))',
    'spec.name and spec.providerSettings are required unless spec.clusterSpec or spec.advancedClusterSpec is set',
  ),
);

export type AtlasClusterStoredSpec = Static<typeof AtlasClusterStoredSpec>;

export const AtlasClusterStatus = Type.Object({
  ...CommonStatus,
  stateName: ClusterStatusFields.stateName,
  mongoDBVersion: ClusterStatusFields.mongoDBVersion,
  connectionStrings: Type.Optional(Type.Object(ClusterStatusFields.connectionStrings)),
  mongoURIUpdated: ClusterStatusFields.mongoURIUpdated,
});
export type AtlasClusterStatus = Static<typeof AtlasClusterStatus>;

export const atlasClusterCrd = {
  kind: 'AtlasCluster',
  plural: 'atlasclusters',
  singular: 'atlascluster',
  shortNames: ['ac'],
  spec: AtlasClusterStoredSpec,
  status: AtlasClusterStatus,
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name' },
    READY_COLUMN,
    { name: 'State', type: 'string', jsonPath: '.status.stateName' },
    { name: 'MongoDB version', type: 'string', jsonPath: '.status.mongoDBVersion' },
  ],
} as const;
