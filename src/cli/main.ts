import { ConfigError } from '../config/load-config.js';
import { createLogger } from '../core/logger.js';
import { availableParallelism } from 'node:os';
import { prepareAdminKey, startGateway, type StartOptions } from '../server/start-server.js';
import { runCluster } from './cluster.js';
import { IpcCounterStore } from '../limits/ipc-counter-store.js';
import { MemoryCounterStore } from '../limits/memory-counter-store.js';
import { dataDirOf, keysCommand, readConfig, usageCommand } from './commands.js';
import { flagString, parseArgs, type ParsedArgs } from './parse-args.js';
import { datasetsCommand } from './dataset-commands.js';
import { reportCommand, revenueCommand } from './report-commands.js';
import { evalCommand } from './eval-command.js';
import { routerCommand } from './router-commands.js';

const help = `switchyard: one OpenAI- and Anthropic-compatible endpoint in front of every model

Usage:
  switchyard start [--config FILE] [--port N] [--host H] [--data-dir DIR] [--workers N|auto]
  switchyard keys create --name NAME [--role admin|finance|viewer] [--models a,b] [--expires-at ISO] [--team T]
  switchyard keys list
  switchyard keys revoke KEY_ID
  switchyard keys rotate KEY_ID [--grace-seconds N]
  switchyard usage [--group-by key|customer|model|provider|team|route|day] [--from ISO] [--to ISO] [--json]
  switchyard revenue import FILE.csv | list [--period YYYY-MM]
  switchyard report margin [--period YYYY-MM | --from YYYY-MM --to YYYY-MM] [--json]
  switchyard report spend [--group-by provider|cloud|model|route|key|customer|day] [--period YYYY-MM | --from ISO --to ISO] [--json]
  switchyard report graduation --model NAME|--route NAME [--days 30] [--gpu-price-per-hour USD] [--gpus N] [--tokens-per-second N] [--evaluation ID [--candidate NAME]] [--json]
  switchyard eval --dataset NAME --candidates a,b [--baseline recorded|MODEL] [--judge MODEL] [--evaluators LIST] [--concurrency N] [--max-spend USD] [--format table|json|csv] [--router-data FILE]
  switchyard eval --resume EVALUATION_ID
  switchyard datasets list | create NAME --filter JSON | import NAME FILE.jsonl | export NAME --format openai|bedrock|vertex|eval [--version N] [--out FILE] | delete NAME [--version N]
  switchyard router train --data FILE.jsonl --out MODEL.json [--strong NAME --weak NAME]
  switchyard router score --model MODEL.json < prompts.jsonl
  switchyard router eval --model MODEL.json --data FILE.jsonl [--json]

Environment: PORT, SWITCHYARD_ADMIN_KEY, SWITCHYARD_DATA_DIR, provider keys such as OPENAI_API_KEY.
`;

function startOptions(args: ParsedArgs): StartOptions {
  const config = readConfig(args);
  const logger = createLogger((process.env.SWITCHYARD_LOG_LEVEL as 'info' | undefined) ?? 'info');
  const portText = flagString(args, 'port') ?? process.env.PORT;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port: expected a port number, got "${portText}"`);
  const host = flagString(args, 'host') ?? process.env.HOST;
  return {
    config,
    logger,
    dataDir: dataDirOf(args, config),
    ...(port === undefined ? {} : { port }),
    ...(host === undefined ? {} : { host }),
    ...(process.env.SWITCHYARD_ADMIN_KEY ? { adminKey: process.env.SWITCHYARD_ADMIN_KEY } : {}),
  };
}

function printAdminKey(key: string | undefined, url: string): void {
  if (key) {
    process.stdout.write(`\nGenerated an admin key. It is shown only this once; only its hash is stored:\n\n  ${key}\n\nSet SWITCHYARD_ADMIN_KEY to it, or create client keys with it: POST ${url}/admin/keys\n\n`);
  }
}

async function startClustered(args: ParsedArgs, workers: number): Promise<void> {
  const options = startOptions(args);
  await runCluster({
    workers,
    logger: options.logger,
    // Without Redis, the primary holds the budget and rate-limit counters so that they hold across workers.
    sharedCounters: options.config.redis ? undefined : new MemoryCounterStore(),
    preparePrimary: async () => {
      const key = await prepareAdminKey(options);
      printAdminKey(key, `http://${options.host ?? options.config.server.host}:${options.port ?? options.config.server.port}`);
    },
    startWorker: async () => {
      const running = await startGateway({ ...options, ...(options.config.redis ? {} : { counters: new IpcCounterStore() }) });
      return { shutdown: () => running.shutdown(), url: running.url };
    },
  });
}

async function start(args: ParsedArgs): Promise<void> {
  const workersText = flagString(args, 'workers') ?? process.env.SWITCHYARD_WORKERS;
  if (workersText !== undefined) {
    const workers = workersText === 'auto' ? availableParallelism() : Number(workersText);
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers: expected a positive number or "auto", got "${workersText}"`);
    if (workers > 1) return startClustered(args, workers);
  }
  const options = startOptions(args);
  const { config, logger } = options;
  const running = await startGateway(options);
  if (running.generatedAdminKey) {
    printAdminKey(running.generatedAdminKey, running.url);
  }
  const { models, routes } = running.gateway.registry.names();
  logger.info('switchyard listening', { url: running.url, providers: Object.keys(config.providers), models: models.length, routes: routes.length, storage: running.gateway.store.driver });
  process.stdout.write(`Switchyard listening on ${running.url}\n`);
  let signals = 0;
  const stop = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    logger.info('shutting down', { signal });
    running.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const command = args.positional[0] ?? 'start';
  if (args.flags.help || command === 'help') {
    process.stdout.write(help);
    return;
  }
  if (command === 'start') return start(args);
  if (command === 'keys') return keysCommand(args);
  if (command === 'usage') return usageCommand(args);
  if (command === 'report') return reportCommand(args);
  if (command === 'revenue') return revenueCommand(args);
  if (command === 'datasets') return datasetsCommand(args);
  if (command === 'eval') return evalCommand(args);
  if (command === 'router') return routerCommand(args);
  throw new Error(`Unknown command "${command}".\n\n${help}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') process.stderr.write(`switchyard: the port is already in use (${error.message}). Choose another with --port or PORT.\n`);
  else process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
