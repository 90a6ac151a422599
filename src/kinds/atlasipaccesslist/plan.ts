/**
 * AtlasIPAccessList's decisions, pure. It owns only its entries: those its spec lists, and
 * those its last status listed (so an entry dropped from the spec is removed from Atlas,
 * and nobody else's ever is).
 */
import { NOT_FOUND } from '../../atlas/errors.js';
import type { AtlasWrite, Facts, RemovalInput, RemovalPlan, StepInput, StepPlan, Validation } from '../../kernel/managed.js';
import { schemaProblem } from '../../kernel/validation.js';
import { projectReferenceProblem } from '../common.js';
import { accessListKey, planAccessList } from '../atlasproject/access-list.js';
import { accessListRequests, type AccessListEntry, type AccessListStatus } from '../atlasproject/atlas.js';
import { orgOnRecord, type InProject } from '../project-scope.js';
import { AtlasIPAccessListSpec } from './schema.js';

export const IP_ACCESS_LIST_READY = 'IPAccessListReady';

export type AccessListScope = InProject & { desiredKeys: string[]; added: string[] };
type Input = StepInput<AtlasIPAccessListSpec, AccessListScope>;
type StatusEntry = { entry: string; status: string };

export function checkAccessListSpec(facts: Facts): Validation<AtlasIPAccessListSpec> {
  const invalid = (message: string) => ({ ok: false as const, reason: 'ProjectIPAccessListInvalid', message });
  const problem = schemaProblem(AtlasIPAccessListSpec, facts.parent.spec);
  if (problem) return invalid(problem);
  const spec = facts.parent.spec as AtlasIPAccessListSpec;
  const reference = projectReferenceProblem(spec);
  if (reference) return invalid(reference);
  for (const [i, entry] of spec.entries.entries()) {
    const addresses = [entry.ipAddress, entry.cidrBlock, entry.awsSecurityGroup].filter((a) => a !== undefined).length;
    if (addresses !== 1) return invalid(`spec.entries[${i}]: exactly one of ipAddress, cidrBlock or awsSecurityGroup is required`);
    if (entry.deleteAfterDate !== undefined && Number.isNaN(Date.parse(entry.deleteAfterDate))) return invalid(`spec.entries[${i}].deleteAfterDate: "${entry.deleteAfterDate}" is not an ISO-8601 date`);
  }
  return { ok: true, spec };
}

/** The entries it listed last time: what it owns in Atlas besides what its spec lists. */
export function ownedKeys(status: Readonly<Record<string, unknown>>): string[] {
  return ((status.entries as StatusEntry[] | undefined) ?? []).map((e) => e.entry);
}

export function planEntries(input: Input, current: AccessListEntry[]): StepPlan<AccessListScope> {
  const { spec, scope, facts, status } = input;
  // The project's own list decides what to add the same way; what to remove is only what this object owned.
  const { add, desiredKeys, newKeys: added } = planAccessList(spec.entries, current, facts.now);
  const inAtlas = new Set(current.map((e) => accessListKey(e.cidrBlock ? { cidrBlock: e.cidrBlock } : e)));
  const remove = ownedKeys(status).filter((key) => !desiredKeys.includes(key) && inAtlas.has(key));
  const writes: AtlasWrite[] = [
    ...(add.length > 0 ? [{ verb: 'update' as const, request: accessListRequests.add(scope.groupId, add), summary: `add or update access-list entries ${add.map(accessListKey).join(', ')}` }] : []),
    ...remove.map((key) => ({ verb: 'delete' as const, request: accessListRequests.delete(scope.groupId, key), summary: `remove access-list entry ${key}`, alreadyDone: NOT_FOUND.accessListEntry })),
  ];
  return { writes, status: orgOnRecord(spec, scope), settle: () => ({ condition: { status: 'True' }, scope: { desiredKeys, added } }) };
}

/** The entries whose state must be read: new ones, and those not seen ACTIVE last time. */
export function uncertainKeys(input: Input): string[] {
  const seen = new Map(((input.status.entries as StatusEntry[] | undefined) ?? []).map((e) => [e.entry, e.status]));
  return input.scope.desiredKeys.filter((key) => input.scope.added.includes(key) || seen.get(key) !== 'ACTIVE');
}

export function planActivation(input: Input, states: Array<{ key: string; state: AccessListStatus }>): StepPlan<AccessListScope> {
  const read = new Map(states.map((s) => [s.key, s.state as string]));
  // A plan cannot read the state of an entry it has not added: Atlas starts every new one PENDING.
  const entries = input.scope.desiredKeys.map((key) => ({ entry: key, status: read.get(key) ?? (input.dryRun && input.scope.added.includes(key) ? 'PENDING' : 'ACTIVE') }));
  const pending = entries.find((e) => e.status !== 'ACTIVE');
  return {
    writes: [],
    settle: () => ({
      status: { entries },
      ...(pending
        ? { condition: { status: 'False', reason: 'ProjectIPAccessListNotActive', message: `${pending.entry} IP Access List is not yet active, current state: ${pending.status}` }, wait: 'progress' as const }
        : { condition: { status: 'True' } }),
    }),
  };
}

export function planEntriesRemoval(input: RemovalInput<AtlasIPAccessListSpec, InProject>, current: AccessListEntry[]): RemovalPlan {
  const mine = new Set([...ownedKeys(input.status), ...(input.spec.entries ?? []).map(accessListKey)]);
  const left = current.map((e) => accessListKey(e.cidrBlock ? { cidrBlock: e.cidrBlock } : e)).filter((key) => mine.has(key));
  if (left.length === 0) return { writes: [], settle: () => ({ gone: true }) };
  return {
    writes: left.map((key) => ({ verb: 'delete' as const, request: accessListRequests.delete(input.scope.groupId, key), summary: `remove access-list entry ${key}`, alreadyDone: NOT_FOUND.accessListEntry })),
    // The list is read again to confirm.
    confirm: true,
    settle: () => ({ gone: false, message: `removing ${left.join(', ')} from the access list`, wait: 'soon' }),
  };
}
