import t from 'tap';
import { connectionSecretName, normalizeIdentifier, normalizeLabelValue, withCredentials } from '../../src/kinds/connection-secrets.js';

t.test('names as the official operator normalises them', async (t) => {
  t.equal(connectionSecretName('Test Atlas Operator Project', 'test-cluster', 'david'), 'test-atlas-operator-project-test-cluster-david');
  t.equal(normalizeIdentifier('already-valid.name'), 'already-valid.name');
  t.equal(normalizeIdentifier('--My_Project!!'), 'my-project');
  t.equal(connectionSecretName('p', 'c', 'CN=app,O=acme'), 'p-c-cn-app-o-acme');
  t.ok(normalizeIdentifier('x'.repeat(300)).length <= 253);
  t.equal(normalizeLabelValue('My_Cluster'), 'my_cluster');
  t.ok(normalizeLabelValue('a'.repeat(80)).length <= 63);
});

t.test('credentials are percent-encoded after the scheme, multi-host URIs included', async (t) => {
  t.equal(withCredentials('mongodb+srv://c.abc.mongodb.net', 'u@x', 'p:w/d'), 'mongodb+srv://u%40x:p%3Aw%2Fd@c.abc.mongodb.net');
  t.equal(withCredentials('mongodb://h1:27017,h2:27017/?ssl=true', 'u', 'p'), 'mongodb://u:p@h1:27017,h2:27017/?ssl=true');
  t.equal(withCredentials(undefined, 'u', 'p'), '');
  t.equal(withCredentials('http://evil', 'u', 'p'), '', 'only mongodb:// and mongodb+srv://');
});
