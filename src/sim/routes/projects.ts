/** Projects (groups): create, get by id or name, list, rename, delete; their settings. */
import { isJsonDocument } from '../../json-document.js';
import type { FastifyPluginAsync } from 'fastify';
import { atlasDate } from '../clock.js';
import { baseUrl, ownedProject, paginate, principal, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { AuditLogPatch, GroupCreate, GroupSettings, GroupUpdate, MaintenanceWindowPatch, PROJECT_NAME, PROJECT_SETTINGS, validateBody } from '../schemas.js';
import type { ProjectRecord, Tag } from '../store.js';

const V = { config: { versions: ['2023-01-01'] } } as const;

/** A new project's settings, as Atlas starts them: the advisors and panels on, the rest off. */
const DEFAULT_SETTINGS: Record<(typeof PROJECT_SETTINGS)[number], boolean> = {
  isClusterAiAssistantEnabled: false,
  isCollectDatabaseSpecificsStatisticsEnabled: true,
  isDataExplorerEnabled: true,
  isDataExplorerGenAIFeaturesEnabled: true,
  isDataExplorerGenAISampleDocumentPassingEnabled: false,
  isDataValidationEnabled: false,
  isExtendedStorageSizesEnabled: false,
  isNativeRerankingEnabled: false,
  isPerformanceAdvisorEnabled: true,
  isRealtimePerformancePanelEnabled: true,
  isSchemaAdvisorEnabled: true,
};

export function renderProject(base: string, project: ProjectRecord, clusterCount: number) {
  const self = `${base}/api/atlas/v2/groups/${project.id}`;
  const rel = (name: string) => ({ href: `${self}/${name}`, rel: `https://cloud.mongodb.com/${name}` });
  return {
    clusterCount,
    created: atlasDate(project.created),
    id: project.id,
    links: [{ href: self, rel: 'self' }, ...['containers', 'clusters', 'databaseUsers', 'peers', 'processes', 'whitelist'].map(rel)],
    name: project.name,
    orgId: project.orgId,
    // Recorded: absent until tags are first set, then always listed, even empty.
    ...(project.tags ? { tags: project.tags } : {}),
    withDefaultAlertsSettings: project.withDefaultAlertsSettings,
  };
}

export function projectRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;
  const render = (base: string, p: ProjectRecord) => renderProject(base, p, store.clustersOf(p.id).size);

  return async (app) => {
    app.get('/api/atlas/v2/groups', V, async (request, reply) => {
      const projects = store.projectsOf(principal(request).orgId).map((p) => render(baseUrl(request), p));
      return send(reply, 200, paginate(request, projects, '/api/atlas/v2/groups'));
    });

    app.post('/api/atlas/v2/groups', V, async (request, reply) => {
      const body = validateBody<{ name: string; orgId: string; withDefaultAlertsSettings?: boolean; tags?: Tag[] }>(GroupCreate, request.body);
      if (!PROJECT_NAME.test(body.name)) throw atlasErrors.invalidAttribute('name');
      if (body.orgId !== principal(request).orgId) throw atlasErrors.forbidden();
      if (store.projectsOf(body.orgId).some((p) => p.name === body.name)) throw atlasErrors.groupAlreadyExists(body.name);
      const project: ProjectRecord = {
        id: store.newId(),
        name: body.name,
        orgId: body.orgId,
        created: store.now(),
        withDefaultAlertsSettings: body.withDefaultAlertsSettings ?? true,
        ...(body.tags ? { tags: body.tags } : {}),
        settings: { ...DEFAULT_SETTINGS },
      };
      store.projects.set(project.id, project);
      return send(reply, 201, render(baseUrl(request), project));
    });

    app.get<{ Params: { groupName: string } }>('/api/atlas/v2/groups/byName/:groupName', V, async (request, reply) => {
      const project = store.projectsOf(principal(request).orgId).find((p) => p.name === request.params.groupName);
      if (!project) throw atlasErrors.notInGroup();
      return send(reply, 200, render(baseUrl(request), project));
    });

    app.get<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId', V, async (request, reply) =>
      send(reply, 200, render(baseUrl(request), ownedProject(ctx, request, request.params.groupId))),
    );

    app.patch<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<{ name?: string; tags?: Tag[]; withDefaultAlertsSettings?: boolean }>(GroupUpdate, request.body ?? {});
      if (body.name !== undefined && !PROJECT_NAME.test(body.name)) throw atlasErrors.invalidAttribute('name');
      if (body.name !== undefined && body.name !== project.name) {
        if (store.projectsOf(project.orgId).some((p) => p.name === body.name)) throw atlasErrors.groupAlreadyExists(body.name);
        project.name = body.name;
      }
      if (body.tags !== undefined) project.tags = body.tags;
      if (body.withDefaultAlertsSettings !== undefined) project.withDefaultAlertsSettings = body.withDefaultAlertsSettings;
      return send(reply, 200, render(baseUrl(request), project));
    });

    // Atlas's default window until one is set: Sunday (1), midnight, nothing deferred.
    const window = (project: { maintenanceWindow?: Record<string, unknown> }) => ({
      autoDeferOnceEnabled: false,
      dayOfWeek: 1,
      hourOfDay: 0,
      numberOfDeferrals: 0,
      startASAP: false,
      timeZoneId: 'UTC',
      ...project.maintenanceWindow,
    });
    const WINDOW = '/api/atlas/v2/groups/:groupId/maintenanceWindow';
    app.get<{ Params: { groupId: string } }>(WINDOW, V, async (request, reply) => send(reply, 200, window(ownedProject(ctx, request, request.params.groupId))));
    app.patch<{ Params: { groupId: string } }>(WINDOW, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const { numberOfDeferrals: _n, timeZoneId: _t, ...settable } = validateBody<Record<string, unknown>>(MaintenanceWindowPatch, request.body ?? {});
      project.maintenanceWindow = { ...project.maintenanceWindow, ...settable };
      // The spec gives this answer no body.
      return send(reply, 200, undefined);
    });
    // Atlas allows two deferrals of one scheduled maintenance, and only of a window a user set.
    app.post<{ Params: { groupId: string } }>(`${WINDOW}/defer`, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      if (!project.maintenanceWindow) throw atlasErrors.maintenanceWindowNotDefined();
      const deferrals = Number(project.maintenanceWindow.numberOfDeferrals ?? 0);
      if (deferrals >= 2) throw atlasErrors.maintenanceDeferralsExceeded();
      project.maintenanceWindow = { ...project.maintenanceWindow, numberOfDeferrals: deferrals + 1 };
      return send(reply, 200, undefined);
    });
    app.delete<{ Params: { groupId: string } }>(WINDOW, V, async (request, reply) => {
      delete ownedProject(ctx, request, request.params.groupId).maintenanceWindow;
      return send(reply, 204, undefined);
    });

    const AUDIT_LOG = '/api/atlas/v2/groups/:groupId/auditLog';
    const auditLog = (project: ProjectRecord) => {
      const { enabled = false, auditAuthorizationSuccess = false, auditFilter } = project.auditing ?? {};
      return { auditAuthorizationSuccess, ...(auditFilter !== undefined ? { auditFilter } : {}), configurationType: auditFilter !== undefined ? 'FILTER_JSON' : 'NONE', enabled };
    };
    app.get<{ Params: { groupId: string } }>(AUDIT_LOG, V, async (request, reply) => send(reply, 200, auditLog(ownedProject(ctx, request, request.params.groupId))));
    app.patch<{ Params: { groupId: string } }>(AUDIT_LOG, V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<NonNullable<ProjectRecord['auditing']>>(AuditLogPatch, request.body ?? {});
      if (body.auditFilter !== undefined && !isJsonDocument(body.auditFilter)) throw atlasErrors.invalidAttribute('auditFilter');
      project.auditing = { ...project.auditing, ...body };
      return send(reply, 200, auditLog(project));
    });

    app.get<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/settings', V, async (request, reply) =>
      send(reply, 200, { ...ownedProject(ctx, request, request.params.groupId).settings }),
    );

    app.patch<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/settings', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      Object.assign(project.settings, validateBody<Record<string, boolean>>(GroupSettings, request.body ?? {}));
      return send(reply, 200, { ...project.settings });
    });

    app.delete<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      if (store.clustersOf(project.id).size > 0) throw atlasErrors.cannotCloseGroup();
      store.projects.delete(project.id);
      store.accessLists.delete(project.id);
      store.users.delete(project.id);
      store.customRoles.delete(project.id);
      store.clusters.delete(project.id);
      return send(reply, 202, {});
    });
  };
}
