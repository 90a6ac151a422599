/** What every simulator route module shares, and the helpers that keep answers Atlas-shaped. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from './auth.js';
import type { SimClock } from './clock.js';
import { atlasErrors } from './errors.js';
import type { FaultsAndCounts } from './faults.js';
import type { TokenBuckets } from './ratelimit.js';
import type { ProjectRecord, SimStore } from './store.js';
import { mediaType } from './versions.js';

export interface SimContext {
  store: SimStore;
  clock: SimClock;
  auth: Authenticator;
  faults: FaultsAndCounts;
  rateLimits: TokenBuckets;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    atlasVersion?: string;
  }
  interface FastifyContextConfig {
    /** Resource versions the route serves; absent for unversioned routes (OAuth, control plane). */
    versions?: readonly string[];
  }
}

export function principal(request: FastifyRequest): Principal {
  return request.principal!;
}

/** `http://host:port`, for the links Atlas puts in bodies. */
export function baseUrl(request: FastifyRequest): string {
  return `http://${request.headers.host ?? 'localhost'}`;
}

export function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  const version = reply.request.atlasVersion;
  if (version) reply.header('content-type', mediaType(version));
  if (body === undefined) return reply.code(status).send();
  return reply.code(status).send(JSON.stringify(body));
}

/**
 * The project, if the caller's organization owns it. Atlas tells "no such id" (404
 * GROUP_NOT_FOUND, recorded) from "a project you may not see" (401 NOT_IN_GROUP, Atlas's
 * documented answer for a group the caller is not in).
 */
export function ownedProject(ctx: SimContext, request: FastifyRequest, groupId: string): ProjectRecord {
  const project = ctx.store.projects.get(groupId);
  if (!project) throw atlasErrors.groupNotFound(groupId);
  if (project.orgId !== principal(request).orgId) throw atlasErrors.notInGroup(401);
  return project;
}

export interface Page<T> {
  links: Array<{ href: string; rel: string }>;
  results: T[];
  totalCount?: number;
}

/** Atlas pagination: pageNum, itemsPerPage ≤ 500, includeCount; self and next links. */
export function paginate<T>(request: FastifyRequest, items: T[], path: string): Page<T> {
  const query = request.query as Record<string, string | undefined>;
  const pageNum = intParam(query.pageNum, 'pageNum', 1, Number.MAX_SAFE_INTEGER, 1);
  const itemsPerPage = intParam(query.itemsPerPage, 'itemsPerPage', 1, 500, 100);
  const includeCount = query.includeCount !== 'false';
  const start = (pageNum - 1) * itemsPerPage;
  const href = (page: number) =>
    `${baseUrl(request)}${path}?includeCount=${includeCount}&pageNum=${page}&itemsPerPage=${itemsPerPage}`;
  const links = [{ href: href(pageNum), rel: 'self' }];
  if (start + itemsPerPage < items.length) links.push({ href: href(pageNum + 1), rel: 'next' });
  const page: Page<T> = { links, results: items.slice(start, start + itemsPerPage) };
  if (includeCount) page.totalCount = items.length;
  return page;
}

function intParam(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw atlasErrors.invalidAttribute(name);
  return n;
}
