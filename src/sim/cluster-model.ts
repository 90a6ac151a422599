/**
 * Clusters are stored in the 2024-08-05 shape (one replication spec per shard, disk size in
 * the hardware specs) and translated at the edges: 2023-02-01 requests carry `numShards`
 * and a top-level `diskSizeGB`, and its responses fold identical shards back together;
 * 2023-01-01 is the legacy cluster shape (providerSettings, regionsConfig by region name,
 * node counts), the one the seed-era operator spoke. Defaults and read-only fields follow
 * the recorded responses.
 */
import { atlasDate } from './clock.js';

/** A stored cluster: one shape, rendered per API version below. */
export type ClusterPhase = 'CREATING' | 'UPDATING' | 'DELETING' | 'IDLE';

export interface ClusterRecord {
  id: string;
  groupId: string;
  name: string;
  createDate: number;
  doc: ClusterDoc;
  /** Server-assigned ids of each replication spec (one per shard). */
  specIds: Array<{ id: string; zoneId: string }>;
  phase: ClusterPhase;
  phaseUntil: number;
  hostLabel: string;
  replicaSetLabel: string;
  /** Until then, GET …/status says changeStatus PENDING. */
  userChangesUntil: number;
  /** A flex cluster: served by /flexClusters only, refused by the cluster API. */
  flex?: FlexSettings;
  /** The cloud backup schedule, once read or set: Atlas's default until then. */
  backupSchedule?: Json;
  /** Advanced configuration options set through …/processArgs. */
  processArgs?: Json;
}

export interface FlexSettings {
  backingProviderName: string;
  regionName: string;
}

export type Json = Record<string, any>;

export interface RegionConfig extends Json {
  providerName: string;
  regionName: string;
  priority?: number;
}

export interface ReplicationSpec {
  zoneName?: string;
  regionConfigs: RegionConfig[];
}

export interface ClusterDoc extends Json {
  clusterType: string;
  replicationSpecs: ReplicationSpec[];
}

/** The versions the spec lists for each cluster operation. */
export const CLUSTER_VERSIONS = {
  get: ['2023-01-01', '2023-02-01', '2024-08-05'],
  create: ['2023-01-01', '2023-02-01', '2024-08-05', '2024-10-23'],
  delete: ['2023-01-01', '2023-02-01'],
} as const;

const MONGODB_VERSIONS: Record<string, string> = { '6.0': '6.0.26', '7.0': '7.0.40', '8.0': '8.0.29' };
const DEFAULT_DISK_GB: Record<string, number> = { M10: 10, M20: 20, M30: 40, M40: 80, M50: 160, M60: 320, M80: 750 };
const HARDWARE = ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs'] as const;
/** Disk defaults by provider, as recorded: AWS M10 3000 IOPS STANDARD, Azure M10 3500 IOPS 125 MB/s. */
const PROVIDER_DISK: Record<string, { diskIOPS?: number; diskThroughput?: number; ebsVolumeType?: string }> = {
  AWS: { diskIOPS: 3000, ebsVolumeType: 'STANDARD' },
  AZURE: { diskIOPS: 3500, diskThroughput: 125 },
  GCP: {},
};

const clone = <T>(value: T): T => structuredClone(value);

export function isTenant(doc: ClusterDoc): boolean {
  return doc.replicationSpecs.some((s) => s.regionConfigs.some((r) => r.providerName === 'TENANT'));
}

/** Request body (any version) → stored doc, with Atlas's defaults filled in. */
export function docFromRequest(body: Json, version: string, previous?: ClusterDoc): ClusterDoc {
  if (version === '2023-01-01') return docFromRequest(fromLegacy(body, previous), '2024-08-05', previous);
  const input = clone(body);
  if (version === '2023-02-01' && Array.isArray(input.replicationSpecs)) {
    const diskSizeGB = input.diskSizeGB;
    delete input.diskSizeGB;
    input.replicationSpecs = input.replicationSpecs.flatMap((spec: Json) => {
      const { numShards = 1, id: _id, zoneId: _zoneId, ...rest } = spec;
      if (diskSizeGB !== undefined) {
        for (const region of rest.regionConfigs ?? []) {
          for (const hw of HARDWARE) if (region[hw]) region[hw].diskSizeGB = diskSizeGB;
        }
      }
      return Array.from({ length: numShards }, () => clone(rest));
    });
  } else if (version === '2023-02-01' && input.diskSizeGB !== undefined && previous) {
    const diskSizeGB = input.diskSizeGB;
    delete input.diskSizeGB;
    input.replicationSpecs = clone(previous.replicationSpecs);
    for (const spec of input.replicationSpecs) {
      for (const region of spec.regionConfigs) for (const hw of HARDWARE) if (region[hw]) region[hw].diskSizeGB = diskSizeGB;
    }
  }
  const doc = { ...(previous ? clone(previous) : {}), ...input } as ClusterDoc;
  doc.replicationSpecs = (doc.replicationSpecs ?? []).map((spec) => ({
    zoneName: spec.zoneName ?? 'Zone 1',
    regionConfigs: spec.regionConfigs.map(withRegionDefaults),
  }));
  for (const [key, value] of Object.entries(CLUSTER_DEFAULTS)) if (doc[key] === undefined) doc[key] = clone(value);
  if (!doc.mongoDBMajorVersion && doc.versionReleaseSystem !== 'CONTINUOUS') doc.mongoDBMajorVersion = '8.0';
  return doc;
}

const CLUSTER_DEFAULTS: Json = {
  backupEnabled: false,
  biConnector: { enabled: false, readPreference: 'secondary' },
  encryptionAtRestProvider: 'NONE',
  globalClusterSelfManagedSharding: false,
  labels: [],
  paused: false,
  pitEnabled: false,
  redactClientLogData: false,
  retainBackups: false,
  rootCertType: 'ISRGROOTX1',
  terminationProtectionEnabled: false,
  versionReleaseSystem: 'LTS',
};

function withRegionDefaults(region: RegionConfig): RegionConfig {
  const out = clone(region);
  out.priority ??= 7;
  if (out.providerName === 'TENANT') {
    const size = out.electableSpecs?.instanceSize ?? 'M0';
    out.electableSpecs = { instanceSize: size, diskSizeGB: out.electableSpecs?.diskSizeGB ?? 0.5, effectiveInstanceSize: size };
    return out;
  }
  const base = out.electableSpecs ?? out.readOnlySpecs ?? out.analyticsSpecs ?? { instanceSize: 'M10' };
  const instanceSize = base.instanceSize ?? 'M10';
  const diskSizeGB = base.diskSizeGB ?? DEFAULT_DISK_GB[instanceSize] ?? 10;
  const provider = PROVIDER_DISK[out.providerName] ?? {};
  for (const hw of HARDWARE) {
    const spec = out[hw] ?? {};
    // Atlas's field order: instanceSize, diskIOPS, diskSizeGB, diskThroughput/ebsVolumeType, nodeCount.
    out[hw] = {
      instanceSize: spec.instanceSize ?? instanceSize,
      ...(provider.diskIOPS !== undefined ? { diskIOPS: spec.diskIOPS ?? base.diskIOPS ?? provider.diskIOPS } : {}),
      diskSizeGB: spec.diskSizeGB ?? diskSizeGB,
      ...(provider.diskThroughput !== undefined ? { diskThroughput: spec.diskThroughput ?? provider.diskThroughput } : {}),
      ...(provider.ebsVolumeType !== undefined ? { ebsVolumeType: spec.ebsVolumeType ?? base.ebsVolumeType ?? provider.ebsVolumeType } : {}),
      nodeCount: spec.nodeCount ?? (hw === 'electableSpecs' ? 3 : 0),
    };
  }
  out.autoScaling = {
    compute: { enabled: false, scaleDownEnabled: false, ...out.autoScaling?.compute },
    diskGB: { enabled: true, ...out.autoScaling?.diskGB },
  };
  return out;
}

function sortKeys(value: Json): Json {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
}

function links(base: string, cluster: ClusterRecord): Json[] {
  const self = `${base}/api/atlas/v2/groups/${cluster.groupId}/clusters/${cluster.name}`;
  return [
    { href: self, rel: 'self' },
    { href: `${self}/backup/restoreJobs`, rel: 'https://cloud.mongodb.com/restoreJobs' },
    { href: `${self}/backup/snapshots`, rel: 'https://cloud.mongodb.com/snapshots' },
  ];
}

function connectionStrings(cluster: ClusterRecord): Json {
  const srv = `mongodb+srv://${cluster.name.toLowerCase()}.${cluster.hostLabel}.mongodb.net`;
  // Recorded: sharded clusters always list (empty) private link and endpoint fields; a
  // shared-tier cluster has its SRV address from the start; a dedicated one has nothing
  // until it is IDLE.
  const out: Json = cluster.doc.clusterType === 'REPLICASET' ? {} : { awsPrivateLinkSrv: {}, privateEndpoint: [] };
  if (cluster.phase === 'CREATING') return isTenant(cluster.doc) ? { ...out, standardSrv: srv } : out;
  const host = (i: number) => `${cluster.name.toLowerCase()}-shard-00-0${i}.${cluster.hostLabel}.mongodb.net:27017`;
  return {
    ...out,
    standard: `mongodb://${host(0)},${host(1)},${host(2)}/?ssl=true&authSource=admin&replicaSet=atlas-${cluster.replicaSetLabel}-shard-0`,
    standardSrv: srv,
  };
}

function common(base: string, cluster: ClusterRecord): Json {
  const { doc } = cluster;
  const { replicationSpecs: _r, ...writable } = doc;
  const out: Json = {
    ...writable,
    connectionStrings: connectionStrings(cluster),
    createDate: atlasDate(cluster.createDate),
    groupId: cluster.groupId,
    id: cluster.id,
    links: links(base, cluster),
    mongoDBVersion: MONGODB_VERSIONS[doc.mongoDBMajorVersion] ?? `${doc.mongoDBMajorVersion ?? '8.0'}.0`,
    name: cluster.name,
    stateName: cluster.phase,
  };
  if (isTenant(doc)) {
    delete out.advancedConfiguration;
  } else {
    out.advancedConfiguration ??= {
      customOpensslCipherConfigTls12: [],
      customOpensslCipherConfigTls13: [],
      minimumEnabledTlsProtocol: 'TLS1_2',
      tlsCipherConfigMode: 'DEFAULT',
    };
    out.diskWarmingMode ??= 'FULLY_WARMED';
  }
  if (doc.clusterType !== 'REPLICASET') {
    out.configServerManagementMode ??= 'ATLAS_MANAGED';
    out.configServerType ??= 'EMBEDDED';
  }
  out.tags ??= [];
  return out;
}

/** Stored cluster → response body of the given version. */
export function renderCluster(base: string, cluster: ClusterRecord, version: string): Json {
  if (version === '2023-01-01') return renderLegacy(base, cluster);
  return version === '2023-02-01' ? render20230201(base, cluster) : render20240805(base, cluster);
}

interface LegacyRegion {
  analyticsNodes?: number;
  electableNodes?: number;
  priority?: number;
  readOnlyNodes?: number;
}

/** Runs of identical specs (shards) folded into one with numShards, as 2023-02-01 and 2023-01-01 show them. */
function foldShards(specs: ReplicationSpec[]): Array<{ spec: ReplicationSpec; numShards: number; index: number }> {
  const groups: Array<{ spec: ReplicationSpec; numShards: number; index: number }> = [];
  specs.forEach((spec, index) => {
    const last = groups.at(-1);
    if (last && JSON.stringify(last.spec) === JSON.stringify(spec)) last.numShards += 1;
    else groups.push({ spec, numShards: 1, index });
  });
  return groups;
}

/** The legacy view of a stored doc: what a 2023-01-01 GET shows of it. */
function legacyOf(doc: ClusterDoc): Json {
  const first = doc.replicationSpecs[0]!;
  const top = [...first.regionConfigs].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0]!;
  const tenant = top.providerName === 'TENANT';
  const electable = top.electableSpecs ?? {};
  const compute = top.autoScaling?.compute ?? {};
  const regionsConfig = (spec: ReplicationSpec): Record<string, LegacyRegion> =>
    Object.fromEntries(
      spec.regionConfigs.map((r) => [
        r.regionName,
        { analyticsNodes: r.analyticsSpecs?.nodeCount ?? 0, electableNodes: r.electableSpecs?.nodeCount ?? (tenant ? 3 : 0), priority: r.priority ?? 7, readOnlyNodes: r.readOnlySpecs?.nodeCount ?? 0 },
      ]),
    );
  const groups = foldShards(doc.replicationSpecs);
  return {
    providerSettings: tenant
      ? { backingProviderName: top.backingProviderName, instanceSizeName: electable.instanceSize, providerName: 'TENANT', regionName: top.regionName }
      : sortKeys({
          ...(compute.minInstanceSize || compute.maxInstanceSize
            ? { autoScaling: { compute: { ...(compute.maxInstanceSize ? { maxInstanceSize: compute.maxInstanceSize } : {}), ...(compute.minInstanceSize ? { minInstanceSize: compute.minInstanceSize } : {}) } } }
            : {}),
          ...(electable.diskIOPS !== undefined ? { diskIOPS: electable.diskIOPS } : {}),
          instanceSizeName: electable.instanceSize,
          providerName: top.providerName,
          regionName: top.regionName,
          ...(electable.ebsVolumeType ? { volumeType: electable.ebsVolumeType } : {}),
        }),
    autoScaling: { compute: { enabled: compute.enabled ?? false, scaleDownEnabled: compute.scaleDownEnabled ?? false }, diskGBEnabled: top.autoScaling?.diskGB?.enabled ?? false },
    // A shared-tier cluster's 0.5 GB is no legacy diskSizeGB (the spec's minimum is 10).
    ...(tenant ? {} : { diskSizeGB: electable.diskSizeGB }),
    numShards: doc.replicationSpecs.length,
    replicationFactor: Object.values(regionsConfig(first)).reduce((n, r) => n + (r.electableNodes ?? 0), 0),
    replicationSpec: regionsConfig(first),
    groups: groups.map(({ spec, numShards, index }) => ({ index, numShards, regionsConfig: regionsConfig(spec), zoneName: spec.zoneName })),
  };
}

/** A legacy request → the 2024-08-05 fields it means; a PATCH is merged over the stored doc's legacy view. */
function fromLegacy(body: Json, previous?: ClusterDoc): Json {
  const {
    providerSettings: settingsIn,
    replicationSpecs: specsIn,
    replicationSpec: specIn,
    numShards: shardsIn,
    replicationFactor: factorIn,
    diskSizeGB: diskIn,
    autoScaling: autoScalingIn,
    providerBackupEnabled,
    mongoURI: _uri,
    mongoURIUpdated: _updated,
    mongoURIWithOptions: _withOptions,
    srvAddress: _srv,
    ...rest
  } = clone(body);
  const before = previous ? legacyOf(previous) : undefined;
  const settings = { ...before?.providerSettings, ...settingsIn } as Json;
  const autoScaling = { ...before?.autoScaling, ...autoScalingIn, compute: { ...before?.autoScaling?.compute, ...autoScalingIn?.compute } };
  const diskSizeGB = diskIn ?? (settingsIn?.instanceSizeName ? undefined : before?.diskSizeGB);
  const touchesTopology = specsIn || specIn || shardsIn !== undefined || factorIn !== undefined || settingsIn || diskIn !== undefined || autoScalingIn;
  if (previous && !touchesTopology) return { ...rest, ...(providerBackupEnabled !== undefined ? { backupEnabled: providerBackupEnabled } : {}) };
  const tenant = settings.providerName === 'TENANT';
  const specs: Array<{ numShards?: number; zoneName?: string; regionsConfig?: Record<string, LegacyRegion> }> = specsIn?.length
    ? specsIn
    : [
        {
          numShards: shardsIn ?? before?.numShards ?? 1,
          zoneName: 'Zone 1',
          regionsConfig: specIn ??
            (factorIn === undefined && before && !settingsIn?.regionName ? before.replicationSpec : { [settings.regionName]: { electableNodes: factorIn ?? 3, priority: 7, readOnlyNodes: 0, analyticsNodes: 0 } }),
        },
      ];
  const hardware = (nodeCount: number) => ({
    instanceSize: settings.instanceSizeName,
    nodeCount,
    ...(diskSizeGB !== undefined ? { diskSizeGB } : {}),
    ...(settings.diskIOPS !== undefined ? { diskIOPS: settings.diskIOPS } : {}),
    ...(settings.volumeType ? { ebsVolumeType: settings.volumeType } : {}),
  });
  const regionAutoScaling = {
    compute: {
      enabled: autoScaling.compute?.enabled ?? false,
      scaleDownEnabled: autoScaling.compute?.scaleDownEnabled ?? false,
      ...(settings.autoScaling?.compute?.minInstanceSize ? { minInstanceSize: settings.autoScaling.compute.minInstanceSize } : {}),
      ...(settings.autoScaling?.compute?.maxInstanceSize ? { maxInstanceSize: settings.autoScaling.compute.maxInstanceSize } : {}),
    },
    diskGB: { enabled: autoScaling.diskGBEnabled ?? false },
  };
  const replicationSpecs = specs.flatMap((spec) =>
    Array.from({ length: spec.numShards ?? 1 }, () => ({
      zoneName: spec.zoneName ?? 'Zone 1',
      regionConfigs: Object.entries(spec.regionsConfig ?? {})
        .sort(([, a], [, b]) => (b.priority ?? 0) - (a.priority ?? 0))
        .map(([regionName, r]) =>
          tenant
            ? { providerName: 'TENANT', backingProviderName: settings.backingProviderName, regionName, priority: r.priority ?? 7, electableSpecs: { instanceSize: settings.instanceSizeName } }
            : {
                providerName: settings.providerName,
                regionName,
                priority: r.priority ?? 7,
                electableSpecs: hardware(r.electableNodes ?? 0),
                readOnlySpecs: hardware(r.readOnlyNodes ?? 0),
                analyticsSpecs: hardware(r.analyticsNodes ?? 0),
                autoScaling: regionAutoScaling,
              },
        ),
    })),
  );
  const clusterType = rest.clusterType ?? previous?.clusterType ?? (replicationSpecs.length > 1 ? 'SHARDED' : 'REPLICASET');
  return { ...rest, clusterType, ...(providerBackupEnabled !== undefined ? { backupEnabled: providerBackupEnabled } : {}), replicationSpecs };
}

function renderLegacy(base: string, cluster: ClusterRecord): Json {
  const out = common(base, cluster);
  for (const key of ['redactClientLogData', 'retainBackups']) delete out[key];
  const { groups, ...legacy } = legacyOf(cluster.doc);
  Object.assign(out, legacy);
  out.providerBackupEnabled = Boolean(cluster.doc.backupEnabled);
  out.replicationSpecs = (groups as Array<{ index: number; numShards: number; regionsConfig: Json; zoneName?: string }>).map(({ index, ...group }) => ({
    id: cluster.specIds[index]?.id,
    ...group,
  }));
  const strings = out.connectionStrings as Json;
  if (strings.standard) {
    out.mongoURI = strings.standard.replace(/\/\?.*$/, '');
    out.mongoURIWithOptions = strings.standard;
    out.mongoURIUpdated = atlasDate(cluster.createDate);
    out.srvAddress = strings.standardSrv;
  }
  return sortKeys(out);
}

function render20240805(base: string, cluster: ClusterRecord): Json {
  const out = common(base, cluster);
  const specs = cluster.doc.replicationSpecs.map((spec, i) => ({
    id: cluster.specIds[i]?.id,
    regionConfigs: spec.regionConfigs.map((r) => sortKeys(clone(r))),
    zoneId: cluster.specIds[i]?.zoneId,
    zoneName: spec.zoneName,
  }));
  out.effectiveReplicationSpecs = clone(specs);
  out.replicationSpecs = specs.map((spec) => ({
    ...spec,
    regionConfigs: spec.regionConfigs.map((r) =>
      r.providerName === 'TENANT'
        ? r
        : sortKeys({
            ...r,
            effectiveAnalyticsSpecs: clone(r.analyticsSpecs),
            effectiveElectableSpecs: clone(r.electableSpecs),
            effectiveReadOnlySpecs: clone(r.readOnlySpecs),
          }),
    ),
  }));
  Object.assign(out, {
    adaptiveCapacity: null,
    effectiveDatabaseEdition: 'CORE',
    featureCompatibilityVersion: out.mongoDBMajorVersion ?? '8.0',
    internalClusterRole: 'NONE',
    useAwsTimeBasedSnapshotCopyForFastInitialSync: false,
  });
  return sortKeys(out);
}

function render20230201(base: string, cluster: ClusterRecord): Json {
  const out = common(base, cluster);
  for (const key of ['redactClientLogData', 'retainBackups']) delete out[key];
  const groups = foldShards(cluster.doc.replicationSpecs);
  let diskSizeGB: number | undefined;
  out.replicationSpecs = groups.map(({ spec, numShards, index }) => ({
    id: cluster.specIds[index]?.id,
    numShards,
    regionConfigs: spec.regionConfigs.map((r) => {
      const region = clone(r);
      for (const hw of HARDWARE) {
        if (region[hw]) {
          diskSizeGB ??= region[hw].diskSizeGB;
          delete region[hw].diskSizeGB;
        }
      }
      return sortKeys(region);
    }),
    zoneId: cluster.specIds[index]?.zoneId,
    zoneName: spec.zoneName,
  }));
  out.diskSizeGB = diskSizeGB;
  return sortKeys(out);
}

/** A flex cluster as 2024-11-13 shows it: one replica set on a shared host, 5 GB. */
export function renderFlexCluster(base: string, cluster: ClusterRecord): Json {
  const { doc } = cluster;
  const srv = `mongodb+srv://${cluster.name.toLowerCase()}.${cluster.hostLabel}.mongodb.net`;
  const host = (i: number) => `${cluster.name.toLowerCase()}-shard-00-0${i}.${cluster.hostLabel}.mongodb.net:27017`;
  return {
    backupSettings: { enabled: true },
    clusterType: 'REPLICASET',
    connectionStrings:
      cluster.phase === 'CREATING'
        ? {}
        : { standard: `mongodb://${host(0)},${host(1)},${host(2)}/?ssl=true&authSource=admin&replicaSet=atlas-${cluster.replicaSetLabel}-shard-0`, standardSrv: srv },
    createDate: atlasDate(cluster.createDate),
    groupId: cluster.groupId,
    id: cluster.id,
    links: [{ href: `${base}/api/atlas/v2/groups/${cluster.groupId}/flexClusters/${cluster.name}`, rel: 'self' }],
    mongoDBVersion: MONGODB_VERSIONS['8.0'],
    name: cluster.name,
    providerSettings: { backingProviderName: cluster.flex!.backingProviderName, diskSizeGB: 5, providerName: 'FLEX', regionName: cluster.flex!.regionName },
    stateName: cluster.phase,
    tags: doc.tags ?? [],
    terminationProtectionEnabled: doc.terminationProtectionEnabled === true,
    versionReleaseSystem: 'LTS',
  };
}
