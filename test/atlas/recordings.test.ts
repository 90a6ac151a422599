/**
 * The client reads every recorded Atlas answer on the routes it covers: each recording is
 * served through undici's MockAgent to the client operation that makes that call, and the
 * result must be typed data (2xx) or an AtlasApiError with the recorded code (4xx).
 */
import t from 'tap';
import { MockAgent } from 'undici';
import { AtlasAdmin } from '../helpers/atlas-admin.js';
import { parseChallenge } from '../../src/atlas/digest.js';
import { AtlasApiError } from '../../src/atlas/errors.js';
import { AtlasHttp } from '../../src/atlas/http.js';
import { readRecordings, type Recording } from '../helpers/recordings.js';
import { RECORDINGS, skipWithoutRecordings } from '../helpers/shared.js';
import { demoKey } from '../helpers/sim.js';

const ORIGIN = 'https://cloud.mongodb.com';

/** The client operation for a recorded call, or undefined when the client has none for it. */
function operation(rec: Recording, atlas: AtlasAdmin): (() => Promise<unknown>) | undefined {
  const [, g = '', kind, a = '', b = '', extra] = rec.segments;
  if (rec.apiVersion !== 'v2' || extra !== undefined) return undefined;
  const key = `${rec.method} ${rec.segments.length === 1 ? 'groups' : kind ?? 'group'}${rec.segments.length > 3 ? '/*' : ''}`;
  switch (key) {
    case 'POST groups':
      return () => atlas.projects.create({ name: 'x', orgId: demoKey.orgId });
    case 'GET group':
      return () => atlas.projects.get(g);
    case 'DELETE group':
      return () => atlas.projects.delete(g);
    case 'GET accessList':
      return () => atlas.accessList.list(g);
    case 'POST accessList':
      return () => atlas.accessList.add(g, [{ ipAddress: '192.0.2.1' }]);
    case 'DELETE accessList/*':
      return () => atlas.accessList.delete(g, a);
    case 'GET clusters':
      return () => atlas.clusters.list(g);
    case 'POST clusters':
      return () => atlas.clusters.create(g, {});
    case 'GET clusters/*':
      return () => atlas.clusters.get(g, a);
    case 'PATCH clusters/*':
      return () => atlas.clusters.update(g, a, {});
    case 'DELETE clusters/*':
      return () => atlas.clusters.delete(g, a);
    case 'GET databaseUsers':
      return () => atlas.databaseUsers.list(g);
    case 'POST databaseUsers':
      return () => atlas.databaseUsers.create(g, { username: 'u', databaseName: 'admin', roles: [] });
    case 'GET databaseUsers/*':
      return () => atlas.databaseUsers.get(g, a, b);
    case 'PATCH databaseUsers/*':
      return () => atlas.databaseUsers.update(g, a, b, {});
    case 'DELETE databaseUsers/*':
      return () => atlas.databaseUsers.delete(g, a, b);
  }
  return undefined;
}

t.test('the client parses every recorded response on its routes', { skip: skipWithoutRecordings }, async (t) => {
  let parsed = 0;
  let challenges = 0;
  for (const rec of readRecordings(RECORDINGS)) {
    if (rec.status === 401) {
      const challenge = parseChallenge(rec.headers['www-authenticate']);
      t.ok(challenge?.nonce && challenge.realm === 'MMS Public API' && challenge.qop === 'auth', `challenge of ${rec.file}`);
      challenges++;
      continue;
    }
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get(ORIGIN).intercept({ path: () => true, method: rec.method }).reply(rec.status, rec.text, { headers: rec.headers });
    const http = new AtlasHttp({ baseUrl: ORIGIN, dispatcher: agent, maxAttempts: 1 });
    const call = operation(rec, new AtlasAdmin(http, { credentials: demoKey }));
    if (!call) continue;
    const result = await call().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (rec.status < 300) {
      t.notOk('error' in result, `${rec.file} parses`);
      if ('value' in result && rec.text && rec.text !== '{}') t.ok(result.value !== undefined, `${rec.file} gives data`);
    } else if ('error' in result) {
      t.ok(result.error instanceof AtlasApiError, `${rec.file} is an AtlasApiError`);
      t.equal((result.error as AtlasApiError).errorCode, rec.body.errorCode);
    } else {
      // Not-found answers read as "absent" (get → undefined), not as errors.
      t.equal(result.value, undefined, `${rec.file}: ${rec.body.errorCode} reads as absent`);
    }
    parsed++;
    await agent.close();
  }
  t.comment(`parsed ${parsed} recorded responses through client operations, and ${challenges} digest challenges`);
  t.ok(parsed > 200);
});
