/** `atlas-metacontroller sim`: the simulator as a standalone server. */
import { readFileSync } from 'node:fs';
import { parseFlags, parsers, type FlagSpecs, type FlagValues } from '../config/flags.js';
import { createLogger } from '../logging.js';
import { DEFAULT_RATE_LIMIT, DEMO_ORG, startSimulator, type SimOrganization, type SimulatorOptions, type Simulator } from './server.js';

export const simFlags = {
  port: { env: 'SIM_PORT', help: 'TCP port of the simulator', default: 9090, parse: parsers.port },
  host: { env: 'SIM_HOST', help: 'address to listen on', default: '127.0.0.1', parse: parsers.string },
  'org-id': { env: 'SIM_ORG_ID', help: 'the organization the keys below belong to', default: DEMO_ORG.id as string, parse: parsers.string },
  'public-key': { env: 'SIM_PUBLIC_KEY', help: 'API public key (Digest username)', default: DEMO_ORG.publicKey as string, parse: parsers.string },
  'private-key': { env: 'SIM_PRIVATE_KEY', help: 'API private key (Digest password)', default: DEMO_ORG.privateKey as string, parse: parsers.string },
  'client-id': { env: 'SIM_CLIENT_ID', help: 'service account client id', default: DEMO_ORG.clientId as string, parse: parsers.string },
  'client-secret': { env: 'SIM_CLIENT_SECRET', help: 'service account client secret', default: DEMO_ORG.clientSecret as string, parse: parsers.string },
  config: {
    env: 'SIM_CONFIG',
    help: 'JSON file {"organizations":[{"id","apiKeys":[{"publicKey","privateKey"}],"serviceAccounts":[{"clientId","clientSecret"}],"users":["ada@example.com"]}]}, replacing the flags above',
    default: '',
    parse: parsers.string,
  },
  'provision-seconds': {
    env: 'SIM_PROVISION_SECONDS',
    help: 'how long cluster create/update/delete and user-change propagation take (0 = done on the next read)',
    default: 60,
    parse: parsers.nonNegativeNumber,
  },
  'rate-limit': {
    env: 'SIM_RATE_LIMIT',
    help: 'token bucket per key as <capacity>/<refill per second>, or "off"',
    default: `${DEFAULT_RATE_LIMIT.capacity}/${DEFAULT_RATE_LIMIT.refillPerSecond}`,
    parse(text: string) {
      if (text === 'off') return text;
      if (!/^\d+\/\d+(\.\d+)?$/.test(text)) throw new Error(`"${text}" is not <capacity>/<refill per second> or off`);
      return text;
    },
  },
  ids: {
    env: 'SIM_IDS',
    help: 'random (as Atlas) or sequential (the same ids in creation order every run, as examples/hooks/ expects)',
    default: 'random' as 'random' | 'sequential',
    parse(text: string): 'random' | 'sequential' {
      if (text !== 'random' && text !== 'sequential') throw new Error(`"${text}" is not random or sequential`);
      return text;
    },
  },
  'log-level': { env: 'LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent', default: 'info', parse: parsers.logLevel },
} satisfies FlagSpecs;

export function simulatorOptions(values: FlagValues<typeof simFlags>): SimulatorOptions {
  let organizations: SimOrganization[];
  if (values.config) {
    let parsed: { organizations?: SimOrganization[] };
    try {
      parsed = JSON.parse(readFileSync(values.config, 'utf8'));
    } catch (error) {
      throw new Error(`invalid --config: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed.organizations) || parsed.organizations.length === 0) {
      throw new Error('invalid --config: "organizations" must be a non-empty array');
    }
    organizations = parsed.organizations;
  } else {
    organizations = [
      {
        id: values['org-id'],
        apiKeys: [{ publicKey: values['public-key'], privateKey: values['private-key'] }],
        serviceAccounts: [{ clientId: values['client-id'], clientSecret: values['client-secret'] }],
        users: [...DEMO_ORG.users],
      },
    ];
  }
  const [capacity, refill] = values['rate-limit'].split('/').map(Number);
  return {
    port: values.port,
    host: values.host,
    organizations,
    provisionSeconds: values['provision-seconds'],
    ids: values.ids,
    rateLimit: values['rate-limit'] === 'off' ? false : { capacity: capacity!, refillPerSecond: refill! },
  };
}

export async function runSimulator(argv: string[], env: NodeJS.ProcessEnv): Promise<Simulator> {
  const values = parseFlags(simFlags, argv, env);
  const logger = createLogger(values['log-level']);
  const sim = await startSimulator({ ...simulatorOptions(values), logger });
  logger.info(
    { url: sim.url, orgIds: simulatorOptions(values).organizations!.map((o) => o.id), provisionSeconds: values['provision-seconds'] },
    'Atlas simulator listening',
  );
  // Whoever started us waits for that line; the rest may sit in the log buffer.
  logger.flush();
  return sim;
}
