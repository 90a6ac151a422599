/**
 * The one cluster model both cluster kinds translate into: an Atlas advanced cluster as
 * the 2024-10-23 API takes it (one replication spec per shard, hardware per region), with
 * only the fields the user's spec sets. AtlasCluster's seed-era spec and AtlasDeployment's
 * deploymentSpec are translations into it; creating, comparing and updating are here once.
 *
 * Only what the spec sets is enforced; what it leaves out stays as Atlas has it. With
 * compute autoscaling on, Atlas owns the instance size; with disk autoscaling on, a disk
 * Atlas grew is not shrunk back.
 */
export type Json = Record<string, any>;

export const HARDWARE = ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs'] as const;

export interface DesiredCluster {
  name: string;
  clusterType: string;
  /** One per shard, regions highest priority first, in Atlas's names. */
  replicationSpecs: Json[];
  /** Top-level fields the spec sets, in Atlas's names. */
  settings: Json;
  /** Set only when the spec says; a pause change goes alone. */
  paused?: boolean;
}

/** The create body (2024-10-23). A cluster is never created paused: pausing is its own PATCH. */
export function createBody(desired: DesiredCluster): Json {
  return { name: desired.name, clusterType: desired.clusterType, replicationSpecs: desired.replicationSpecs, ...desired.settings };
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
export function planClusterChanges(desired: DesiredCluster, actual: Json): ClusterPlan {
  const differences: string[] = [];
  const update: Json = {};
  for (const [key, value] of Object.entries(desired.settings)) {
    if (!contains({ [key]: actual[key] }, { [key]: value })) {
      differences.push(key);
      update[key] = value;
    }
  }
  const actualSpecs: Json[] = actual.replicationSpecs ?? [];
  const adjusted = desired.replicationSpecs.map((shard, i) => ({
    ...shard,
    regionConfigs: shard.regionConfigs.map((region: Json) => {
      const current = actualSpecs[i]?.regionConfigs?.find((r: Json) => r.regionName === region.regionName && r.providerName === region.providerName);
      return adjustForAutoscaling(region, current);
    }),
  }));
  const specsDiffer = adjusted.length !== actualSpecs.length || adjusted.some((shard, i) => !sameShard(shard, actualSpecs[i]!));
  if (specsDiffer) {
    differences.push('replicationSpecs');
    update.replicationSpecs = adjusted;
  }
  const plan: ClusterPlan = { differences };
  if (desired.paused !== undefined && desired.paused !== (actual.paused === true)) {
    plan.pause = { paused: desired.paused };
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
