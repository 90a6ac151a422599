import t from 'tap';
import { startTestHookServer, projectParent } from '../helpers/hook-server.js';
import { testKind } from '../helpers/test-kind.js';
import { scrub, REDACTED } from '../../src/redact.js';

const privateKey = '3c7a9a52-1b1e-4f0e-9d55-0f9b8e1d2c3a';
const password = 'hunter2-password';
const b64 = (s: string) => Buffer.from(s).toString('base64');

t.test('no credential reaches the log, in any form', async (t) => {
  const server = await startTestHookServer([testKind]);
  t.teardown(() => server.shutdown());
  const related = {
    'Secret.v1': {
      'team-a/creds': {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'creds', namespace: 'team-a' },
        data: { orgId: b64('5f0c'), publicApiKey: b64('abcdefgh'), privateApiKey: b64(privateKey) },
        stringData: { privateApiKey: privateKey },
      },
      'team-a/pw': {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'pw', namespace: 'team-a' },
        data: { password: b64(password) },
      },
    },
  };
  const parent = projectParent({ spec: { behavior: 'log-everything', privateApiKey: privateKey, password } });
  const res = await server.post('/hooks/atlasproject/sync', { parent, related });
  t.equal(res.status, 200);
  // A malformed request that carries the secrets is rejected and logged too.
  await server.post('/hooks/atlasproject/sync', { parent: { ...parent, kind: 'Other' }, related });
  const logs = server.logText();
  t.match(logs, /careless dump of the request/, 'the careless log line was written');
  for (const secret of [privateKey, password, b64(privateKey), b64(password)]) {
    t.notOk(logs.includes(secret), `log output does not contain ${secret.slice(0, 4)}…`);
  }
  t.match(logs, /mongodb:\/\/\[REDACTED\]@host:27017/);
  t.notMatch(res.text, new RegExp(password), 'nor does the response');
});

t.test('scrub', async (t) => {
  t.same(scrub({ headers: { Authorization: 'Digest username="x", response="y"' } }), { headers: { Authorization: REDACTED } });
  t.equal(scrub('mongodb+srv://u%40x:p%3Aw@c.mongodb.net/db'), 'mongodb+srv://[REDACTED]@c.mongodb.net/db');
  t.equal(scrub('mongodb://host-only:27017'), 'mongodb://host-only:27017');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  t.same(scrub(cyclic), { a: 1, self: '[Circular]' });
});
