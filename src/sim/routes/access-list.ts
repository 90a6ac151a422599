/** The project IP access list: POST is an upsert of an array and answers with the whole list. */
import type { FastifyPluginAsync } from 'fastify';
import { baseUrl, ownedProject, paginate, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { AWS_SECURITY_GROUP, parseCidrBlock, parseIpAddress } from '../network.js';
import { AccessListEntries, validateBody } from '../schemas.js';
import type { AccessEntryRecord } from '../store.js';

const V = { config: { versions: ['2023-01-01'] } } as const;
type Params = { groupId: string; entryValue: string };
type EntryInput = { ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string; comment?: string; deleteAfterDate?: string };

const WEEK_MS = 7 * 24 * 3600 * 1000;

function entryKey(entry: AccessEntryRecord): string {
  return entry.cidrBlock ?? entry.awsSecurityGroup!;
}

export function accessListRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;
  const render = (base: string, entry: AccessEntryRecord) => ({
    ...(entry.awsSecurityGroup ? { awsSecurityGroup: entry.awsSecurityGroup } : {}),
    ...(entry.cidrBlock ? { cidrBlock: entry.cidrBlock } : {}),
    ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
    ...(entry.deleteAfterDate ? { deleteAfterDate: entry.deleteAfterDate } : {}),
    groupId: entry.groupId,
    ...(entry.ipAddress ? { ipAddress: entry.ipAddress } : {}),
    links: [{ href: `${base}/api/atlas/v2/groups/${entry.groupId}/accessList/${encodeURIComponent(entryKey(entry))}`, rel: 'self' }],
  });
  const listPath = (groupId: string) => `/api/atlas/v2/groups/${groupId}/accessList`;

  function parseEntry(groupId: string, input: EntryInput): AccessEntryRecord {
    const given = [input.ipAddress, input.cidrBlock, input.awsSecurityGroup].filter((v) => v !== undefined);
    if (given.length > 1) throw atlasErrors.multipleValues();
    if (given.length === 0) throw atlasErrors.invalidAddress('null');
    const entry: AccessEntryRecord = { groupId, activeAt: store.transitionEnd() };
    if (input.awsSecurityGroup !== undefined) {
      if (!AWS_SECURITY_GROUP.test(input.awsSecurityGroup)) throw atlasErrors.invalidAddress(input.awsSecurityGroup);
      entry.awsSecurityGroup = input.awsSecurityGroup;
    } else {
      const raw = (input.ipAddress ?? input.cidrBlock)!;
      const parsed = input.ipAddress !== undefined ? parseIpAddress(raw) : parseCidrBlock(raw);
      if (!parsed) throw atlasErrors.invalidAddress(raw);
      Object.assign(entry, parsed);
    }
    if (input.comment !== undefined) entry.comment = input.comment;
    if (input.deleteAfterDate !== undefined) {
      const at = Date.parse(input.deleteAfterDate);
      if (at <= store.now() || at > store.now() + WEEK_MS) {
        throw atlasErrors.validation('deleteAfterDate must be in the future and within one week');
      }
      entry.deleteAfterDate = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return entry;
  }

  function findEntry(groupId: string, value: string): AccessEntryRecord {
    const list = store.accessList(groupId);
    const key = parseIpAddress(value)?.cidrBlock ?? value;
    const entry = list.get(key);
    if (!entry) throw atlasErrors.accessEntryNotFound(value, groupId);
    return entry;
  }

  return async (app) => {
    app.get<{ Params: Pick<Params, 'groupId'> }>('/api/atlas/v2/groups/:groupId/accessList', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const entries = [...store.accessList(project.id).values()].map((e) => render(baseUrl(request), e));
      return send(reply, 200, paginate(request, entries, listPath(project.id)));
    });

    app.post<{ Params: Pick<Params, 'groupId'> }>('/api/atlas/v2/groups/:groupId/accessList', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const inputs = validateBody<EntryInput[]>(AccessListEntries, request.body);
      // Validate every entry before storing any, so a bad entry leaves the list unchanged.
      const entries = inputs.map((input) => parseEntry(project.id, input));
      const list = store.accessList(project.id);
      for (const entry of entries) {
        const existing = list.get(entryKey(entry));
        // Re-posting an active entry updates it without making it PENDING again.
        if (existing && existing.activeAt <= store.now()) entry.activeAt = existing.activeAt;
        list.set(entryKey(entry), entry);
      }
      const all = [...list.values()].map((e) => render(baseUrl(request), e));
      return send(reply, 201, paginate(request, all, listPath(project.id)));
    });

    app.get<{ Params: Params }>('/api/atlas/v2/groups/:groupId/accessList/:entryValue', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, render(baseUrl(request), findEntry(project.id, request.params.entryValue)));
    });

    app.get<{ Params: Params }>('/api/atlas/v2/groups/:groupId/accessList/:entryValue/status', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const entry = findEntry(project.id, request.params.entryValue);
      return send(reply, 200, { STATUS: entry.activeAt <= store.now() ? 'ACTIVE' : 'PENDING' });
    });

    app.delete<{ Params: Params }>('/api/atlas/v2/groups/:groupId/accessList/:entryValue', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const entry = findEntry(project.id, request.params.entryValue);
      store.accessList(project.id).delete(entryKey(entry));
      return send(reply, 204, undefined);
    });
  };
}
