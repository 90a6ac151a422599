/**
 * The `atlas-metacontroller` command: serve | sim | demo | plan. Each subcommand's modules run
 * only when it does (dynamic imports), so `serve` in production never runs the simulator or
 * the demo. bin/ runs this module from the bundle (src/load-bundle.ts), through `run`.
 */
import { flagHelp, UsageError } from './config/flags.js';
import { VERSION } from './version.js';
import { createLogger } from './logging.js';

const USAGE = `usage: atlas-metacontroller <command> [flags]

commands:
  serve   the hook server Metacontroller calls
  sim     a local Atlas Admin API simulator, for tests, demos and CI
  demo    the simulator and the hook server, with the examples played through them
  plan    what a sync of the objects in manifests would write to Atlas (reads only)

Run "atlas-metacontroller <command> --help" for its flags, "atlas-metacontroller --version" for the version.`;

/** `env` is where flags not given are read from: process.env, unless the caller knows better. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (command === '--version' || command === 'version') {
    console.log(`atlas-metacontroller ${VERSION}`);
    return;
  }
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  switch (command) {
    case 'demo': {
      const { runDemo, demoFlags } = await import('./demo/demo.js');
      const { exitOnSignals } = await import('./server/serve.js');
      if (wantsHelp) {
        console.log(`usage: atlas-metacontroller demo [flags]\n\nflags (each also read from its env var):\n${flagHelp(demoFlags)}`);
        return;
      }
      const demo = await runDemo(rest, env);
      if (!rest.includes('--exit') && env.DEMO_EXIT !== 'true') exitOnSignals(demo.close, createLogger('info'));
      return;
    }
    case 'serve': {
      const { closeOnSignals, parseServeOptions, serveFlags, startHookServer } = await import('./server/serve.js');
      if (wantsHelp) {
        console.log(`usage: atlas-metacontroller ${command} [flags]\n\nflags (each also read from its env var):\n${flagHelp(serveFlags)}`);
        return;
      }
      const options = parseServeOptions(rest, env);
      const { allDecorators, allKinds } = await import('./kinds/index.js');
      const server = await startHookServer(options, allKinds(), undefined, { decorators: allDecorators() });
      closeOnSignals(server, options['shutdown-delay'], options['hook-timeout']);
      return;
    }
    case 'plan': {
      const { runPlan, planFlags } = await import('./plan/command.js');
      if (wantsHelp) {
        console.log(`usage: atlas-metacontroller plan -f <manifest.yaml> [--secret <secrets.yaml>]... [flags]\n\nflags (each also read from its env var):\n${flagHelp(planFlags)}`);
        return;
      }
      await runPlan(rest, env, (text) => console.log(text));
      return;
    }
    case 'sim': {
      const { runSimulator, simFlags } = await import('./sim/command.js');
      const { exitOnSignals } = await import('./server/serve.js');
      if (wantsHelp) {
        console.log(`usage: atlas-metacontroller sim [flags]\n\nflags (each also read from its env var):\n${flagHelp(simFlags)}`);
        return;
      }
      const sim = await runSimulator(rest, env);
      const logger = createLogger('info');
      exitOnSignals(() => sim.close(), logger);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

/** The command as bin/ runs it: an error that stops it is one line on stderr and exit status 2. */
export function run(argv: string[]): Promise<void> {
  return main(argv).catch((error: unknown) => {
    console.error(`atlas-metacontroller: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
