import t from 'tap';
import { request } from 'undici';
import { digestAuthorization, parseChallenge } from '../../src/atlas/digest.js';
import { Authenticator, CREDENTIAL_STATE_HELD } from '../../src/sim/auth.js';
import { SimClock } from '../../src/sim/clock.js';
import { DEMO_ORG } from '../../src/sim/server.js';
import { rejects, startSimHarness } from '../helpers/sim.js';

const ACCEPT = { accept: 'application/vnd.atlas.2023-01-01+json' };
const PATH = '/api/atlas/v2/groups';

t.test('the challenge is exactly what Atlas sends', async (t) => {
  const h = await startSimHarness(t);
  const res = await h.raw('GET', PATH, ACCEPT);
  t.equal(res.status, 401);
  t.equal(res.headers['content-type'], 'application/json');
  t.match(res.headers['www-authenticate'], /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=false$/);
  t.equal(res.text.length, 142);
  t.same(res.json, { error: 401, reason: 'Unauthorized', detail: 'You are not authorized for this resource.', errorCode: 'UNEXPECTED_ERROR' });
});

t.test('the digest test vector of the reference notes', async (t) => {
  const header = digestAuthorization({
    username: 'abcdefgh',
    password: '01234567-89ab-cdef-0123-456789abcdef',
    method: 'GET',
    uri: '/api/atlas/v2/groups?pageNum=1&itemsPerPage=100',
    challenge: { realm: 'MMS Public API', nonce: 'Nfx+VMFO0sY4tpgy1sHRakvvv0NN4S91', qop: 'auth', stale: false },
    nc: 1,
    cnonce: '0a4f113b9c2d7e61',
  });
  t.match(header, /response="7b89b6fa8dde7589a6febc70ddc41629"/);
});

async function answer(h: Awaited<ReturnType<typeof startSimHarness>>, password: string, nc = 1, challengeHeader?: string) {
  const challenge = parseChallenge(challengeHeader ?? (await h.raw('GET', PATH, ACCEPT)).headers['www-authenticate'])!;
  const authorization = digestAuthorization({ username: DEMO_ORG.publicKey, password, method: 'GET', uri: PATH, challenge, nc });
  return { challenge, res: await h.raw('GET', PATH, { ...ACCEPT, authorization }) };
}

t.test('a right key passes, a wrong key gets a new challenge', async (t) => {
  const h = await startSimHarness(t);
  t.equal((await answer(h, DEMO_ORG.privateKey)).res.status, 200);
  const wrong = await answer(h, 'not-the-key');
  t.equal(wrong.res.status, 401);
  t.match(wrong.res.headers['www-authenticate'], /stale=false/);
});

t.test('a nonce is reusable with a new nc, a repeated nc is a replay, an old nonce is stale', async (t) => {
  const h = await startSimHarness(t, { nonceTtlSeconds: 300 });
  const first = await answer(h, DEMO_ORG.privateKey, 1);
  const header = (nc: number) =>
    digestAuthorization({ username: DEMO_ORG.publicKey, password: DEMO_ORG.privateKey, method: 'GET', uri: PATH, challenge: first.challenge, nc });
  t.equal((await h.raw('GET', PATH, { ...ACCEPT, authorization: header(3) })).status, 200, 'nc 3 after 1');
  t.equal((await h.raw('GET', PATH, { ...ACCEPT, authorization: header(2) })).status, 200, 'nc 2 out of order, unused');
  t.equal((await h.raw('GET', PATH, { ...ACCEPT, authorization: header(3) })).status, 401, 'nc 3 again is a replay');
  h.sim.control.advance(301);
  const stale = await h.raw('GET', PATH, { ...ACCEPT, authorization: header(4) });
  t.equal(stale.status, 401);
  t.match(stale.headers['www-authenticate'], /stale=true/);
});

t.test('requests without credentials cannot grow the nonces held without bound', async (t) => {
  const auth = new Authenticator(new SimClock(), 300_000, 3600);
  auth.addApiKey(DEMO_ORG.id, { publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey });
  const challenge = (header: string) => parseChallenge(header)!;
  let nc = 0;
  const answer = (nonce: ReturnType<typeof challenge>) =>
    auth.authenticate('GET', PATH, digestAuthorization({ username: DEMO_ORG.publicKey, password: DEMO_ORG.privateKey, method: 'GET', uri: PATH, challenge: nonce, nc: ++nc }));
  const kept = challenge(auth.challenge());
  const idle = challenge(auth.challenge());
  t.ok(answer(kept).ok, 'a client answers its challenge');
  for (let flood = 1; flood <= CREDENTIAL_STATE_HELD; flood++) {
    auth.authenticate('GET', PATH, undefined);
    if (flood % 1000 === 0) t.ok(answer(kept).ok, `the nonce a client keeps using works after ${flood} anonymous requests`);
  }
  const forgotten = answer(idle);
  if (forgotten.ok) return t.fail('a nonce left unused while 10,000 newer ones were issued is forgotten');
  t.match(forgotten.challenge, /stale=false$/, 'a forgotten nonce earns a fresh challenge, as an unknown nonce does');
  t.ok(answer(challenge(forgotten.challenge)).ok, 'which the client can answer');
});

t.test('a key sees only its own organization', async (t) => {
  const other = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', apiKeys: [{ publicKey: 'otherpub', privateKey: 'other-private-key' }] };
  const demo = { id: DEMO_ORG.id, apiKeys: [{ publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey }] };
  const h = await startSimHarness(t, { organizations: [demo, other] });
  const mine = await h.client().projects.create({ name: 'mine', orgId: DEMO_ORG.id });
  const theirs = h.http;
  const otherClient = new (await import('../helpers/atlas-admin.js')).AtlasAdmin(theirs, {
    credentials: { kind: 'apiKey', orgId: other.id, publicKey: 'otherpub', privateKey: 'other-private-key' },
  });
  // Atlas: 401 NOT_IN_GROUP for a project the caller may not see, 404 GROUP_NOT_FOUND for an id that does not exist.
  await rejects(t, otherClient.projects.get(mine.id), { httpStatus: 401, errorCode: 'NOT_IN_GROUP' });
  t.equal(await otherClient.projects.get('bbbbbbbbbbbbbbbbbbbbbbbb'), undefined, 'an id that does not exist is not found');
  t.same((await otherClient.organizations.list()).map((o) => o.id), [other.id], 'each key lists its own organization');
  t.equal(await otherClient.projects.getByName('mine'), undefined);
  await rejects(t, otherClient.projects.create({ name: 'x', orgId: DEMO_ORG.id }), { httpStatus: 403 });
});

t.test('service accounts: client credentials give a Bearer token that expires', async (t) => {
  const h = await startSimHarness(t, { tokenTtlSeconds: 3600 });
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const bad = await h.raw('POST', '/api/oauth/token', { ...form, authorization: basic(DEMO_ORG.clientId, 'nope') }, 'grant_type=client_credentials');
  t.equal(bad.status, 401);
  const good = await h.raw('POST', '/api/oauth/token', { ...form, authorization: basic(DEMO_ORG.clientId, DEMO_ORG.clientSecret) }, 'grant_type=client_credentials');
  t.equal(good.status, 200);
  t.equal(good.json.token_type, 'Bearer');
  t.equal(good.json.expires_in, 3600);
  const bearer = { ...ACCEPT, authorization: `Bearer ${good.json.access_token}` };
  t.equal((await h.raw('GET', PATH, bearer)).status, 200);
  h.sim.control.advance(3601);
  t.equal((await h.raw('GET', PATH, bearer)).status, 401, 'expired');
});

t.test('versioned media types', async (t) => {
  const h = await startSimHarness(t);
  const res = await request(`${h.sim.url}${PATH}`, { headers: ACCEPT });
  await res.body.dump();
  const client = h.client();
  await client.projects.create({ name: 'v', orgId: DEMO_ORG.id });
  const exact = await answerWith(h, 'application/vnd.atlas.2023-01-01+json');
  t.equal(exact.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  const later = await answerWith(h, 'application/vnd.atlas.2025-03-12+json');
  t.equal(later.status, 200);
  t.equal(later.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8', 'a later date gets the newest version before it');
  for (const accept of ['application/json', 'application/vnd.atlas.2022-01-01+json', '']) {
    const refused = await answerWith(h, accept);
    t.equal(refused.status, 406, `Accept "${accept}"`);
    t.equal(refused.json.errorCode, 'INVALID_VERSION_DATE');
  }
});

async function answerWith(h: Awaited<ReturnType<typeof startSimHarness>>, accept: string) {
  const challenge = parseChallenge((await h.raw('GET', PATH, ACCEPT)).headers['www-authenticate'])!;
  const authorization = digestAuthorization({ username: DEMO_ORG.publicKey, password: DEMO_ORG.privateKey, method: 'GET', uri: PATH, challenge, nc: 1 });
  return h.raw('GET', PATH, { authorization, ...(accept ? { accept } : {}) });
}
