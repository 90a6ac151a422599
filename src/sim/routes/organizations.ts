/** Organizations: the list an API key or service account can see, which is its own. */
import type { FastifyPluginAsync } from 'fastify';
import { baseUrl, paginate, principal, send } from '../context.js';

const V = { config: { versions: ['2023-01-01'] } } as const;

export function organizationRoutes(names: Map<string, string>): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/atlas/v2/orgs', V, async (request, reply) => {
      const { orgId } = principal(request);
      const org = {
        id: orgId,
        isDeleted: false,
        links: [{ href: `${baseUrl(request)}/api/atlas/v2/orgs/${orgId}`, rel: 'self' }],
        name: names.get(orgId) ?? `org-${orgId}`,
        skipDefaultAlertsSettings: false,
      };
      return send(reply, 200, paginate(request, [org], '/api/atlas/v2/orgs'));
    });
  };
}
