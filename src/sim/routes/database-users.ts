/** Database users under /{databaseName}/{username}; the password is write-only. */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { baseUrl, ownedProject, paginate, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { DatabaseUser, DatabaseUserUpdate, validateBody } from '../schemas.js';
import type { DatabaseUserRecord } from '../store.js';

const V = { config: { versions: ['2023-01-01'] } } as const;
type UserParams = { groupId: string; databaseName: string; username: string };
type UserInput = Partial<Omit<DatabaseUserRecord, 'passwordSha256'>> & { password?: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const userKey = (databaseName: string, username: string) => `${databaseName}/${username}`;

export function databaseUserRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;

  const render = (base: string, user: DatabaseUserRecord) => ({
    awsIAMType: user.awsIAMType,
    databaseName: user.databaseName,
    ...(user.deleteAfterDate ? { deleteAfterDate: user.deleteAfterDate } : {}),
    ...(user.description ? { description: user.description } : {}),
    groupId: user.groupId,
    labels: user.labels,
    ldapAuthType: user.ldapAuthType,
    links: [
      {
        href: `${base}/api/atlas/v2/groups/${user.groupId}/databaseUsers/${user.databaseName}/${encodeURIComponent(user.username)}`,
        rel: 'self',
      },
    ],
    oidcAuthType: user.oidcAuthType,
    roles: user.roles,
    scopes: user.scopes,
    username: user.username,
    x509Type: user.x509Type,
  });

  function find(groupId: string, databaseName: string, username: string): DatabaseUserRecord {
    const user = store.usersOf(groupId).get(userKey(databaseName, username));
    if (!user) throw atlasErrors.userNotFound(username);
    return user;
  }

  function apply(user: DatabaseUserRecord, input: UserInput): void {
    if (input.password !== undefined) user.passwordSha256 = sha256(input.password);
    if (input.roles !== undefined) user.roles = input.roles;
    if (input.scopes !== undefined) user.scopes = input.scopes;
    if (input.labels !== undefined) user.labels = input.labels;
    if (input.description !== undefined) user.description = input.description;
    if (input.deleteAfterDate !== undefined) user.deleteAfterDate = input.deleteAfterDate;
    for (const type of ['x509Type', 'awsIAMType', 'ldapAuthType', 'oidcAuthType'] as const) {
      if (input[type] !== undefined) user[type] = input[type]!;
    }
  }

  return async (app) => {
    app.get<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/databaseUsers', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const users = [...store.usersOf(project.id).values()].map((u) => render(baseUrl(request), u));
      return send(reply, 200, paginate(request, users, `/api/atlas/v2/groups/${project.id}/databaseUsers`));
    });

    app.post<{ Params: { groupId: string } }>('/api/atlas/v2/groups/:groupId/databaseUsers', V, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const input = validateBody<UserInput & { username: string; databaseName: string }>(DatabaseUser, request.body);
      if (!input.roles || input.roles.length === 0) throw atlasErrors.missingAttribute('roles');
      const users = store.usersOf(project.id);
      const key = userKey(input.databaseName, input.username);
      if (users.has(key)) throw atlasErrors.userAlreadyExists(input.username);
      // A SCRAM user needs a password; an OIDC Workforce group lives in admin without one.
      const federated = (['x509Type', 'awsIAMType', 'ldapAuthType', 'oidcAuthType'] as const).some((type) => (input[type] ?? 'NONE') !== 'NONE');
      if (input.databaseName === 'admin' && input.password === undefined && !federated) throw atlasErrors.missingAttribute('password');
      const user: DatabaseUserRecord = {
        groupId: project.id,
        databaseName: input.databaseName,
        username: input.username,
        roles: [],
        scopes: [],
        labels: [],
        x509Type: 'NONE',
        awsIAMType: 'NONE',
        ldapAuthType: 'NONE',
        oidcAuthType: 'NONE',
      };
      apply(user, input);
      users.set(key, user);
      store.userChanged(project.id);
      return send(reply, 201, render(baseUrl(request), user));
    });

    app.get<{ Params: UserParams }>('/api/atlas/v2/groups/:groupId/databaseUsers/:databaseName/:username', V, async (request, reply) => {
      const { groupId, databaseName, username } = request.params;
      const project = ownedProject(ctx, request, groupId);
      return send(reply, 200, render(baseUrl(request), find(project.id, databaseName, username)));
    });

    app.patch<{ Params: UserParams }>('/api/atlas/v2/groups/:groupId/databaseUsers/:databaseName/:username', V, async (request, reply) => {
      const { groupId, databaseName, username } = request.params;
      const project = ownedProject(ctx, request, groupId);
      const user = find(project.id, databaseName, username);
      const input = validateBody<UserInput>(DatabaseUserUpdate, request.body ?? {});
      if (input.username !== undefined && input.username !== user.username) throw atlasErrors.invalidAttribute('username');
      apply(user, input);
      store.userChanged(project.id);
      return send(reply, 200, render(baseUrl(request), user));
    });

    app.delete<{ Params: UserParams }>('/api/atlas/v2/groups/:groupId/databaseUsers/:databaseName/:username', V, async (request, reply) => {
      const { groupId, databaseName, username } = request.params;
      const project = ownedProject(ctx, request, groupId);
      find(project.id, databaseName, username);
      store.usersOf(project.id).delete(userKey(databaseName, username));
      store.userChanged(project.id);
      return send(reply, 204, undefined);
    });
  };
}
