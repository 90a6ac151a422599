/**
 * AtlasProject: the Atlas project and its IP access list.
 *
 * Steps, each with its condition (the official operator's protocol): ValidationSucceeded,
 * ProjectReady (credentials, then find or create the project), IPAccessListReady (the spec
 * is authoritative; entries compared after Atlas's normalisation, so 192.0.2.15 and
 * 192.0.2.15/32 never flip-flop). A sync where nothing differs writes nothing to Atlas.
 */
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { AtlasProjectSpec, ONE_ADDRESS_MESSAGE, type IpAccessListEntry } from '../api/atlasproject.js';
import { API_VERSION, RESOURCE_POLICY_ANNOTATION } from '../api/common.js';
import type { AccessListEntry, AtlasClient, Project } from '../atlas/client.js';
import { AtlasApiError, gone, NOT_FOUND } from '../atlas/errors.js';
import { credentialsFrom, projectCredentialsRef, secretRule, type SecretRef } from './credentials.js';
import type { FinalizeResult, HookContext, KindController, SyncResult } from './kind.js';
import { ACCESS_NOT_CONFIGURED, notInGroup, organizationMismatch, projectGone } from './identity.js';
import { progressResync } from './resync.js';
import { createOrAdopt, schemaProblem } from './spec-check.js';
import { groupKey } from './contract.js';

export const PROJECT_CONDITIONS = {
  validation: 'ValidationSucceeded',
  project: 'ProjectReady',
  accessList: 'IPAccessListReady',
} as const;

/** Seconds until the next look while Atlas activates entries or deletes the project. */
const RESYNC = { pending: 10, atlasError: 30, deleting: 5 } as const;

interface ProjectStatusFields {
  id?: string;
  orgId?: string;
  expiredIpAccessList?: IpAccessListEntry[];
}

type SpecCheck = { ok: true; spec: AtlasProjectSpec } | { ok: false; reason: string; message: string };

export function checkProjectSpec(spec: unknown): SpecCheck {
  const problem = schemaProblem(AtlasProjectSpec, spec);
  if (problem) return { ok: false, reason: 'ProjectSpecInvalid', message: problem };
  const valid = spec as AtlasProjectSpec;
  for (const [i, entry] of (valid.projectIpAccessList ?? []).entries()) {
    const given = [entry.ipAddress, entry.cidrBlock, entry.awsSecurityGroup].filter((v) => v !== undefined);
    if (given.length !== 1) {
      return { ok: false, reason: 'ProjectIPAccessListInvalid', message: `spec.projectIpAccessList[${i}]: ${ONE_ADDRESS_MESSAGE}` };
    }
    if (entry.deleteAfterDate !== undefined && Number.isNaN(Date.parse(entry.deleteAfterDate))) {
      return {
        ok: false,
        reason: 'ProjectIPAccessListInvalid',
        message: `spec.projectIpAccessList[${i}].deleteAfterDate: "${entry.deleteAfterDate}" is not an ISO-8601 date`,
      };
    }
  }
  return { ok: true, spec: valid };
}

/**
 * A CIDR block with its host bits cleared, as a user means `203.0.113.7/24`; undefined when
 * it is not one. IPv6 is written back in its compressed form.
 */
export function normalizeCidr(value: string): string | undefined {
  const [address, prefixText, ...rest] = value.split('/');
  if (rest.length > 0 || !address || !prefixText || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const family = isIP(address);
  const width = family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (family === 0 || prefix > width) return undefined;
  const bits = family === 4 ? ipv4Bits(address) : ipv6Bits(address);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  const network = bits & mask;
  return `${family === 4 ? ipv4Text(network) : ipv6Text(network)}/${prefix}`;
}

const ipv4Bits = (address: string) => address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
const ipv4Text = (bits: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 255n)).join('.');

function ipv6Bits(address: string): bigint {
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const text = v4 ? address.slice(0, -v4[1]!.length) + ((ipv4Bits(v4[1]!) >> 16n).toString(16) + ':' + (ipv4Bits(v4[1]!) & 0xffffn).toString(16)) : address;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group || '0', 16)), 0n);
}

function ipv6Text(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * An entry as Atlas takes it. Atlas accepts only a bare address in `ipAddress`; the official
 * operator's own quick start puts a CIDR block there, so such an entry goes as a cidrBlock.
 */
export function atlasEntry(entry: IpAccessListEntry): AccessListEntry {
  if (entry.ipAddress === undefined || !entry.ipAddress.includes('/')) return { ...entry };
  const { ipAddress, ...rest } = entry;
  return { ...rest, cidrBlock: normalizeCidr(ipAddress) ?? ipAddress };
}

/** The key Atlas stores an entry under: an IP becomes its /32 (or /128) block. */
export function accessListKey(entry: { ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string }): string {
  if (entry.ipAddress !== undefined) {
    if (entry.ipAddress.includes('/')) return normalizeCidr(entry.ipAddress) ?? entry.ipAddress;
    return `${entry.ipAddress}/${isIP(entry.ipAddress) === 6 ? 128 : 32}`;
  }
  return entry.cidrBlock ?? entry.awsSecurityGroup ?? '';
}

const sameDate = (a: string | undefined, b: string | undefined) =>
  (a === undefined && b === undefined) || (a !== undefined && b !== undefined && Date.parse(a) === Date.parse(b));

export interface AccessListPlan {
  add: AccessListEntry[];
  remove: string[];
  desiredKeys: string[];
  /** Keys of the added entries Atlas does not hold yet: the only ones that can be PENDING once the list was active. */
  newKeys: string[];
  expired: IpAccessListEntry[];
}

/** What to send so Atlas holds exactly the active spec entries. Pure. */
export function planAccessList(spec: IpAccessListEntry[], current: AccessListEntry[], now: Date): AccessListPlan {
  const expired = spec.filter((e) => e.deleteAfterDate !== undefined && Date.parse(e.deleteAfterDate) <= now.getTime());
  const active = spec.filter((e) => !expired.includes(e));
  const currentByKey = new Map(current.map((e) => [accessListKey(e.cidrBlock ? { cidrBlock: e.cidrBlock } : e), e]));
  const desiredKeys = active.map(accessListKey);
  const add = active
    .filter((entry) => {
      const existing = currentByKey.get(accessListKey(entry));
      return !existing || (existing.comment ?? '') !== (entry.comment ?? '') || !sameDate(existing.deleteAfterDate, entry.deleteAfterDate);
    })
    .map(atlasEntry);
  const remove = [...currentByKey.keys()].filter((key) => !desiredKeys.includes(key));
  const newKeys = add.map(accessListKey).filter((key) => !currentByKey.has(key));
  return { add, remove, desiredKeys, newKeys, expired };
}

function observedStatus(ctx: HookContext): ProjectStatusFields {
  const status = (ctx.parent.status ?? {}) as ProjectStatusFields;
  return {
    ...(status.id ? { id: status.id } : {}),
    ...(status.orgId ? { orgId: status.orgId } : {}),
    ...(status.expiredIpAccessList?.length ? { expiredIpAccessList: status.expiredIpAccessList } : {}),
  };
}

const isClientError = (error: unknown) => error instanceof AtlasApiError && error.httpStatus >= 400 && error.httpStatus < 500;

/** The project as Atlas holds it, by id first (one renamed in the Atlas UI must not get a twin), then by name. Reads only. */
async function observeProject(atlas: AtlasClient, knownId: string | undefined, name: string): Promise<Project | undefined> {
  const byId = knownId ? await atlas.projects.get(knownId) : undefined;
  return byId ?? (await atlas.projects.getByName(name));
}

async function syncProject(ctx: HookContext): Promise<SyncResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  const check = checkProjectSpec(ctx.parent.spec);
  if (!check.ok) {
    // Nothing to retry until the spec changes, and a spec change syncs again.
    conditions.false(PROJECT_CONDITIONS.validation, check.reason, check.message);
    return { status, children: [] };
  }
  conditions.true(PROJECT_CONDITIONS.validation);
  const spec = check.spec;

  const creds = credentialsFrom(ctx.related, projectCredentialsRef(ctx.parent, ctx.env.identity));
  if (!creds.ok) {
    // The Secret is a related object: adding or fixing it syncs again.
    conditions.false(PROJECT_CONDITIONS.project, creds.reason, creds.message);
    return { status, children: [] };
  }
  const mismatch = organizationMismatch(status.orgId, creds.credentials.orgId, creds.ref, `the Atlas project ${status.id ?? spec.name}`);
  if (mismatch) {
    // A project would be created in the wrong organization and the real one left unmanaged.
    conditions.false(PROJECT_CONDITIONS.project, ACCESS_NOT_CONFIGURED, `${mismatch}; nothing is created or changed with them`);
    return { status, children: [] };
  }
  const atlas = ctx.atlas(creds.credentials);

  // At steady state one read shows all there is to see: the access list of the recorded
  // project, which also answers GROUP_NOT_FOUND (or NOT_IN_GROUP) if the project is gone.
  const wasReady = conditions.get(PROJECT_CONDITIONS.project)?.status === 'True';
  if (status.id && status.orgId && wasReady) {
    const current = await atlas.accessList.list(status.id).catch((error: unknown) => {
      if (error instanceof AtlasApiError && error.is('GROUP_NOT_FOUND', 'NOT_IN_GROUP')) return undefined;
      throw error;
    });
    if (current) return finishProject(ctx, atlas, status, status.id, spec, current);
  }

  let project: Project;
  try {
    const observed = await observeProject(atlas, status.id, spec.name);
    project = observed ?? (await createOrAdopt(() => atlas.projects.create({ name: spec.name, orgId: creds.credentials.orgId, withDefaultAlertsSettings: true }), 'GROUP_ALREADY_EXISTS', () => atlas.projects.getByName(spec.name)));
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    if (notInGroup(error)) {
      const message = `the credentials in Secret ${creds.ref.namespace}/${creds.ref.name} cannot see the Atlas project ${status.id} (${error.message}); nothing is created with them`;
      conditions.false(PROJECT_CONDITIONS.project, ACCESS_NOT_CONFIGURED, message);
      return { status, children: [] };
    }
    // A failed read is not a failed create: say which it was.
    const reason = error.method === 'POST' ? 'ProjectNotCreatedInAtlas' : 'InternalError';
    conditions.false(PROJECT_CONDITIONS.project, reason, error.message);
    return { status, children: [], resyncAfterSeconds: isClientError(error) ? RESYNC.atlasError : RESYNC.pending };
  }
  status.id = project.id;
  status.orgId = project.orgId;
  return finishProject(ctx, atlas, status, project.id, spec, await atlas.accessList.list(project.id));
}

/** The project exists: its condition, then the access list step. */
async function finishProject(
  ctx: HookContext,
  atlas: AtlasClient,
  status: ProjectStatusFields,
  groupId: string,
  spec: AtlasProjectSpec,
  current: AccessListEntry[],
): Promise<SyncResult> {
  ctx.conditions.true(PROJECT_CONDITIONS.project);
  const outcome = await syncAccessList(ctx, atlas, groupId, spec.projectIpAccessList ?? [], current);
  if (outcome.expired.length > 0) status.expiredIpAccessList = outcome.expired;
  else delete status.expiredIpAccessList;
  return { status, children: [], ...(outcome.resyncAfterSeconds ? { resyncAfterSeconds: outcome.resyncAfterSeconds } : {}) };
}

/** Status reads of entries that may still be PENDING: at most this many at once per sync. */
const STATUS_READS_AT_ONCE = 8;

async function syncAccessList(
  ctx: HookContext,
  atlas: AtlasClient,
  groupId: string,
  spec: IpAccessListEntry[],
  current: AccessListEntry[],
): Promise<{ expired: IpAccessListEntry[]; resyncAfterSeconds?: number }> {
  const { conditions } = ctx;
  const plan = planAccessList(spec, current, ctx.env.now());
  try {
    // Add before removing, so a rejected entry leaves what already works in place.
    if (plan.add.length > 0) await atlas.accessList.add(groupId, plan.add);
    for (const key of plan.remove) await gone(atlas.accessList.delete(groupId, key), NOT_FOUND.accessListEntry);
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    conditions.false(PROJECT_CONDITIONS.accessList, 'ProjectIPAccessListNotCreatedInAtlas', error.message);
    // A rejected entry stays rejected until the spec changes; anything else is retried.
    return { expired: plan.expired, ...(isClientError(error) ? {} : { resyncAfterSeconds: RESYNC.atlasError }) };
  }
  // Only entries that may be PENDING need a status read: every one until the list was seen
  // active, after that the ones this sync added (re-posting an active entry keeps it active).
  const wasActive = ctx.conditions.get(PROJECT_CONDITIONS.accessList)?.status === 'True';
  const uncertain = wasActive ? plan.newKeys : plan.desiredKeys;
  const limit = pLimit(STATUS_READS_AT_ONCE);
  const states = await Promise.all(uncertain.map((key) => limit(async () => ({ key, state: await atlas.accessList.status(groupId, key) }))));
  const pending = states.find((s) => s.state !== 'ACTIVE');
  if (pending) {
    conditions.false(PROJECT_CONDITIONS.accessList, 'ProjectIPAccessListNotActive', `${pending.key} IP Access List is not yet active, current state: ${pending.state}`);
    return { expired: plan.expired, resyncAfterSeconds: RESYNC.pending };
  }
  conditions.true(PROJECT_CONDITIONS.accessList);
  return { expired: plan.expired };
}

const DEPENDENT_KINDS = ['AtlasCluster', 'AtlasDatabaseUser'];

/** The AtlasClusters and AtlasDatabaseUsers of this namespace that belong to this project. */
function dependents(ctx: HookContext): string[] {
  const { name, namespace = 'default' } = ctx.parent.metadata;
  return DEPENDENT_KINDS.flatMap((kind) =>
    Object.values(ctx.related[groupKey(kind, API_VERSION)] ?? {})
      .filter((object) => {
        const ref = (object.spec as { projectRef?: { name?: string; namespace?: string } } | undefined)?.projectRef;
        return ref?.name === name && (ref.namespace || object.metadata.namespace) === namespace;
      })
      .map((object) => `${kind} ${object.metadata.namespace}/${object.metadata.name}`)
      .sort(),
  );
}

const KEEP_HINT = `add the annotation ${RESOURCE_POLICY_ANNOTATION}: keep to release the AtlasProject and leave the Atlas project in place`;

async function finalizeProject(ctx: HookContext): Promise<FinalizeResult> {
  const { conditions } = ctx;
  const status = observedStatus(ctx);
  const waiting = (message: string, resyncAfterSeconds: number): FinalizeResult => {
    conditions.false(PROJECT_CONDITIONS.project, 'AtlasFinalizerNotRemoved', message);
    return { status, children: [], finalized: false, resyncAfterSeconds };
  };
  if (ctx.parent.metadata.annotations?.[RESOURCE_POLICY_ANNOTATION] === 'keep') {
    return { status, children: [], finalized: true };
  }
  // Clusters and users find their credentials through this object: gone first, they could
  // never be finalized. They are related objects, so each one leaving wakes this up.
  const left = dependents(ctx);
  if (left.length > 0) {
    return waiting(`waiting for ${left.join(', ')} to be deleted first; the Atlas project is deleted after them`, progressResync(conditions.get(PROJECT_CONDITIONS.project), ctx.env.now()));
  }
  const ref: SecretRef = projectCredentialsRef(ctx.parent, ctx.env.identity);
  const creds = credentialsFrom(ctx.related, ref);
  if (!creds.ok) return waiting(`${creds.message}: the Atlas project cannot be deleted without credentials; ${KEEP_HINT}`, RESYNC.atlasError);
  const mismatch = organizationMismatch(status.orgId, creds.credentials.orgId, ref, `the Atlas project ${status.id ?? ''}`.trim());
  if (mismatch) return waiting(`${mismatch}: they cannot tell whether it is gone; ${KEEP_HINT}`, RESYNC.atlasError);
  const atlas = ctx.atlas(creds.credentials);
  const name = (ctx.parent.spec as { name?: string } | undefined)?.name;
  try {
    const project = status.id ? await atlas.projects.get(status.id) : name ? await atlas.projects.getByName(name) : undefined;
    if (!project) {
      // Not found counts only from credentials proven to act for the project's organization,
      // and only once that organization's project list agrees.
      const orgId = status.orgId ?? creds.credentials.orgId;
      if (!(await projectGone(atlas, orgId, { ...(status.id ? { id: status.id } : {}), ...(name ? { name } : {}) }))) {
        return waiting(`the credentials in Secret ${ref.namespace}/${ref.name} cannot prove the Atlas project gone from organization ${orgId}; ${KEEP_HINT}`, RESYNC.atlasError);
      }
      return { status, children: [], finalized: true };
    }
    try {
      await atlas.projects.delete(project.id);
    } catch (error) {
      if (!(error instanceof AtlasApiError && error.is('CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS'))) throw error;
      const clusters = await atlas.clusters.list(project.id).catch(() => []);
      const names = clusters.map((c) => c.name).join(', ') || 'clusters';
      const message = `the Atlas project ${project.name} (${project.id}) still has clusters: ${names}; it is deleted once they are gone (${error.message})`;
      // Clusters that no AtlasCluster of this namespace manages: look again on a schedule.
      return waiting(message, progressResync(conditions.get(PROJECT_CONDITIONS.project), ctx.env.now()));
    }
    // Deleted only once Atlas says it is gone.
    if (await atlas.projects.get(project.id)) return waiting(`the Atlas project ${project.id} is being deleted`, RESYNC.deleting);
    return { status, children: [], finalized: true };
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    if (notInGroup(error)) {
      return waiting(`the credentials in Secret ${ref.namespace}/${ref.name} cannot see the Atlas project ${status.id} (${error.message}); ${KEEP_HINT}`, RESYNC.atlasError);
    }
    if (error.httpStatus === 401 || error.httpStatus === 403) {
      return waiting(`Atlas refused the credentials in Secret ${ref.namespace}/${ref.name} (${error.message}); ${KEEP_HINT}`, RESYNC.atlasError);
    }
    return waiting(error.message, RESYNC.atlasError);
  }
}

export const atlasProject: KindController = {
  kind: 'AtlasProject',
  apiVersion: API_VERSION,
  route: 'atlasproject',
  conditionTypes: Object.values(PROJECT_CONDITIONS),
  customize: (parent, identity) => [
    secretRule(projectCredentialsRef(parent, identity)),
    // A project being deleted waits for its clusters and users; each one going away re-runs it.
    { apiVersion: API_VERSION, resource: 'atlasclusters', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
    { apiVersion: API_VERSION, resource: 'atlasdatabaseusers', namespace: parent.metadata.namespace ?? 'default', labelSelector: {} },
  ],
  sync: syncProject,
  finalize: finalizeProject,
};
