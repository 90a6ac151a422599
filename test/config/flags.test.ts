import t from 'tap';
import { parseServeOptions } from '../../src/server/serve.js';
import { deploymentNameFromPodName, operatorIdentity } from '../../src/config/identity.js';
import { parseDuration } from '../../src/config/duration.js';

t.test('defaults, env and flags, flag winning', async (t) => {
  const defaults = parseServeOptions([], {});
  t.equal(defaults.port, 8080);
  t.equal(defaults['atlas-domain'], 'https://cloud.mongodb.com');
  t.equal(defaults['hook-timeout'], 30_000);
  const fromEnv = parseServeOptions([], { PORT: '9000', HOOK_TIMEOUT: '1m30s' });
  t.equal(fromEnv.port, 9000);
  t.equal(fromEnv['hook-timeout'], 90_000);
  t.equal(parseServeOptions(['--port', '9100'], { PORT: '9000' }).port, 9100);
});

t.test('a bad value names the flag, and the env var it came from', async (t) => {
  t.throws(() => parseServeOptions(['--port', 'eighty'], {}), { message: 'invalid --port: "eighty" is not a TCP port (0-65535)' });
  t.throws(() => parseServeOptions([], { ATLAS_DOMAIN: 'ftp://x' }), {
    message: 'invalid ATLAS_DOMAIN (--atlas-domain): "ftp://x" is not an http(s) URL',
  });
  t.throws(() => parseServeOptions(['--hook-budget', '40s', '--hook-timeout', '30s'], {}), {
    message: 'invalid --hook-budget: 40s exceeds --hook-timeout 30s',
  });
  t.throws(() => parseServeOptions(['--no-such-flag'], {}), /no-such-flag/);
});

t.test('Go durations', async (t) => {
  t.equal(parseDuration('1m30s'), 90_000);
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('2h'), 7_200_000);
  t.throws(() => parseDuration('30 seconds'));
});

t.test('operator identity as the official operator derives it', async (t) => {
  t.equal(deploymentNameFromPodName('mongodb-atlas-operator-6d8f7c9b5-x2x7q'), 'mongodb-atlas-operator');
  t.throws(() => deploymentNameFromPodName('lonely'), /OPERATOR_POD_NAME "lonely"/);
  t.same(operatorIdentity({ namespace: 'ops', podName: 'atlas-metacontroller-5c9d-abcde' }), {
    namespace: 'ops',
    deploymentName: 'atlas-metacontroller',
    globalSecretName: 'atlas-metacontroller-api-key',
  });
  t.equal(operatorIdentity({ namespace: 'ops', globalSecretName: 'keys' }).globalSecretName, 'keys');
});
