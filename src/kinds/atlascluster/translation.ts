/**
 * The seed-era AtlasCluster spec, translated to Atlas's advanced-cluster API (2024-10-23:
 * one replication spec per shard, hardware per region), and compared with what Atlas has.
 * Pure functions: the shapes covered are a shared tier (TENANT, M0–M5), one region, several
 * regions (replicationSpecs[].regionsConfig), and sharded (numShards).
 *
 * Only what the spec sets is enforced; what it leaves out stays as Atlas has it. With
 * compute autoscaling on, Atlas owns the instance size; with disk autoscaling on, a disk
 * Atlas grew is not shrunk back.
 */
import type { AtlasClusterSpec } from './schema.js';

type Json = Record<string, any>;

const HARDWARE = ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs'] as const;

function hardware(spec: AtlasClusterSpec, nodeCount: number): Json {
  const p = spec.providerSettings;
  const aws = p.providerName === 'AWS';
  return {
    instanceSize: p.instanceSizeName,
    nodeCount,
    ...(spec.diskSizeGB !== undefined ? { diskSizeGB: spec.diskSizeGB } : {}),
    ...(aws && p.diskIOPS !== undefined ? { diskIOPS: p.diskIOPS } : {}),
    ...(aws && p.volumeType !== undefined ? { ebsVolumeType: p.volumeType } : {}),
  };
}

function autoScaling(spec: AtlasClusterSpec): Json | undefined {
  const compute = { ...spec.providerSettings.autoScaling?.compute, ...spec.autoScaling?.compute };
  if (spec.autoScaling === undefined && spec.providerSettings.autoScaling === undefined) return undefined;
  return {
    compute: {
      enabled: compute.enabled ?? false,
      scaleDownEnabled: compute.scaleDownEnabled ?? false,
      ...(compute.minInstanceSize ? { minInstanceSize: compute.minInstanceSize } : {}),
      ...(compute.maxInstanceSize ? { maxInstanceSize: compute.maxInstanceSize } : {}),
    },
    diskGB: { enabled: spec.autoScaling?.diskGBEnabled ?? true },
  };
}

function regionConfigs(spec: AtlasClusterSpec, regions: Array<[string, { electableNodes?: number; readOnlyNodes?: number; analyticsNodes?: number; priority?: number }]>): Json[] {
  const p = spec.providerSettings;
  if (p.providerName === 'TENANT') {
    return [{ providerName: 'TENANT', backingProviderName: p.backingProviderName, regionName: regions[0]?.[0], priority: 7, electableSpecs: { instanceSize: p.instanceSizeName } }];
  }
  const scaling = autoScaling(spec);
  return regions
    .map(([regionName, r]) => ({
      providerName: p.providerName,
      regionName,
      priority: r.priority ?? 7,
      // Atlas echoes every node type; stating 0 makes nodes removed from the spec go away.
      electableSpecs: hardware(spec, r.electableNodes ?? 0),
      readOnlySpecs: hardware(spec, r.readOnlyNodes ?? 0),
      analyticsSpecs: hardware(spec, r.analyticsNodes ?? 0),
      ...(scaling ? { autoScaling: scaling } : {}),
    }))
    .sort((a, b) => b.priority - a.priority); // Atlas wants the highest priority first
}

function replicationSpecs(spec: AtlasClusterSpec): Json[] {
  const specs = spec.replicationSpecs?.length
    ? spec.replicationSpecs.map((r) => ({
        numShards: r.numShards ?? 1,
        zoneName: r.zoneName ?? 'Zone 1',
        regions: Object.entries(r.regionsConfig ?? {}),
      }))
    : [{ numShards: spec.numShards ?? 1, zoneName: 'Zone 1', regions: [[spec.providerSettings.regionName ?? '', { electableNodes: 3, priority: 7 }]] as Array<[string, { electableNodes: number; priority: number }]> }];
  return specs.flatMap(({ numShards, zoneName, regions }) =>
    Array.from({ length: numShards }, () => ({ zoneName, regionConfigs: regionConfigs(spec, regions) })),
  );
}

function shardCount(spec: AtlasClusterSpec): number {
  return spec.replicationSpecs?.length ? spec.replicationSpecs.reduce((n, r) => n + (r.numShards ?? 1), 0) : (spec.numShards ?? 1);
}

/** Top-level fields the spec sets, in Atlas's names. */
function topLevel(spec: AtlasClusterSpec): Json {
  return {
    ...(spec.mongoDBMajorVersion !== undefined ? { mongoDBMajorVersion: spec.mongoDBMajorVersion } : {}),
    ...(spec.pitEnabled !== undefined ? { pitEnabled: spec.pitEnabled } : {}),
    ...(spec.providerBackupEnabled !== undefined ? { backupEnabled: spec.providerBackupEnabled } : {}),
    ...(spec.biConnector !== undefined ? { biConnector: spec.biConnector } : {}),
    ...(spec.encryptionAtRestProvider !== undefined ? { encryptionAtRestProvider: spec.encryptionAtRestProvider } : {}),
    ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
  };
}

export function clusterType(spec: AtlasClusterSpec): string {
  return spec.clusterType ?? (shardCount(spec) > 1 ? 'SHARDED' : 'REPLICASET');
}

/** The create body (2024-10-23). A cluster is never created paused: pausing is its own PATCH. */
export function createBody(spec: AtlasClusterSpec): Json {
  return { name: spec.name, clusterType: clusterType(spec), replicationSpecs: replicationSpecs(spec), ...topLevel(spec) };
}

export interface ClusterPlan {
  /** A pause change goes alone, first: Atlas refuses other changes to a paused cluster. */
  pause?: { paused: boolean };
  /** The PATCH body for everything else, or undefined when Atlas already matches. */
  update?: Json;
  /** Human-readable names of what differs, for the condition message. */
  differences: string[];
}

function computeAutoscaled(region: Json | undefined): boolean {
  return region?.autoScaling?.compute?.enabled === true;
}

function diskAutoscaled(region: Json | undefined): boolean {
  return region?.autoScaling?.diskGB?.enabled === true;
}

/**
 * What to send so Atlas matches the spec. The desired replication specs are adjusted to
 * what Atlas's autoscaling decided, so a PATCH never forces those back.
 */
export function planClusterChanges(spec: AtlasClusterSpec, actual: Json): ClusterPlan {
  const differences: string[] = [];
  const update: Json = {};
  for (const [key, value] of Object.entries(topLevel(spec))) {
    if (!contains({ [key]: actual[key] }, { [key]: value })) {
      differences.push(key);
      update[key] = value;
    }
  }
  const desired = replicationSpecs(spec);
  const actualSpecs: Json[] = actual.replicationSpecs ?? [];
  const adjusted = desired.map((shard, i) => ({
    ...shard,
    regionConfigs: shard.regionConfigs.map((region: Json) => {
      const current = actualSpecs[i]?.regionConfigs?.find((r: Json) => r.regionName === region.regionName && r.providerName === region.providerName);
      return adjustForAutoscaling(region, current);
    }),
  }));
  const specsDiffer =
    adjusted.length !== actualSpecs.length ||
    adjusted.some((shard, i) => !sameShard(shard, actualSpecs[i]!));
  if (specsDiffer) {
    differences.push('replicationSpecs');
    update.replicationSpecs = adjusted;
  }
  const plan: ClusterPlan = { differences };
  if (spec.paused !== undefined && spec.paused !== (actual.paused === true)) {
    plan.pause = { paused: spec.paused };
    differences.unshift('paused');
  }
  if (Object.keys(update).length > 0) plan.update = update;
  return plan;
}

function adjustForAutoscaling(region: Json, current: Json | undefined): Json {
  if (!current || region.providerName === 'TENANT') return region;
  const out = structuredClone(region);
  for (const hw of HARDWARE) {
    if (!out[hw] || !current[hw]) continue;
    if (computeAutoscaled(current) || computeAutoscaled(out)) out[hw].instanceSize = current[hw].instanceSize;
    const grown = current[hw].diskSizeGB;
    if (grown !== undefined && (diskAutoscaled(current) || diskAutoscaled(out)) && (out[hw].diskSizeGB === undefined || grown > out[hw].diskSizeGB)) {
      out[hw].diskSizeGB = grown;
    }
  }
  return out;
}

/** Does Atlas's shard hold what we would send? Only fields we send are compared. */
function sameShard(desired: Json, actual: Json): boolean {
  const regions: Json[] = actual?.regionConfigs ?? [];
  if (regions.length !== desired.regionConfigs.length) return false;
  return desired.regionConfigs.every((want: Json) => {
    const have = regions.find((r) => r.regionName === want.regionName && r.providerName === want.providerName);
    return have !== undefined && contains(have, want);
  });
}

/** Every field of `want` has the same value in `have`; what `want` leaves out is Atlas's business. */
function contains(have: Json, want: Json): boolean {
  for (const [key, value] of Object.entries(want)) {
    const actual = have?.[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (!contains(actual ?? {}, value)) return false;
    } else if (JSON.stringify(normalize(actual)) !== JSON.stringify(normalize(value))) {
      return false;
    }
  }
  return true;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normalize((value as Json)[k])]));
  }
  return value;
}
