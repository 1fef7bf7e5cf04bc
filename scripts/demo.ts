import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppModule } from '../src/app.module';
import { createHttpApp } from '../src/common/http/http-app';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { runMigrations } from '../src/database/data-source';
import { curlGuide, simulatorsGuide } from './demo-guide';
import { seedDemo, waitForHttp, type SeededTenant } from './demo-seed';
import {
  simulatorPortsFromEnv,
  simulatorUrlsAt,
  startDemoSimulators,
  type DemoSimulatorUrls,
} from './demo-simulators';

/** Printed and used when ADMIN_API_KEY is unset; fine for a laptop, never for a deployment. */
const DEMO_ADMIN_KEY = 'mr_demo_admin_key_not_for_production';
const READY_TIMEOUT_MS = 120_000;

const USAGE = `Usage:
  npm run demo                     simulators and gateway in this process, seeded, until Ctrl-C
  npm run demo -- --seed-only --gateway URL --simulators ORIGIN [--public-url URL]
                                   seed a running gateway whose simulators are at ORIGIN
                                   (ports from SIM_OX_PORT, SIM_HOSTWAY_PORT, SIM_MAILSTORE_PORT, SIM_DATAMOTION_PORT)`;

/** Local defaults: only what is unset is filled in, so any variable of .env.example still wins. */
function applyLocalDefaults(env: NodeJS.ProcessEnv): void {
  env.ADMIN_API_KEY ||= DEMO_ADMIN_KEY;
  env.SECRETS_KEY ||= randomBytes(32).toString('base64');
  env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/mailroom_demo';
  env.QUEUE_PREFIX ||= 'mailroom-demo';
  env.PROVIDER_ALLOW_PRIVATE_HOSTS ||= 'true';
  env.ROLE ||= 'all';
  // Request lines would bury the printed guide; LOG_LEVEL=info shows them.
  env.LOG_LEVEL ||= 'warn';
}

function printSeeded(publicUrl: string, adminKey: string, tenants: SeededTenant[]): void {
  console.log(`\n${curlGuide(publicUrl, adminKey, tenants)}\n`);
}

async function seedOnly(gateway: string, simulators: DemoSimulatorUrls, publicUrl: string): Promise<void> {
  const adminKey = process.env.ADMIN_API_KEY;
  if (!adminKey) throw new Error("ADMIN_API_KEY is required but not set (the gateway's bootstrap admin key)");
  console.log(`Waiting for ${gateway}/health/ready and the simulators…`);
  await waitForHttp(`${gateway}/health/ready`, READY_TIMEOUT_MS, true);
  await Promise.all(
    Object.values(simulators).map((url) => waitForHttp(`${url}/__sim/state`, READY_TIMEOUT_MS)),
  );
  const tenants = await seedDemo({ gatewayUrl: gateway, adminKey, simulators });
  console.log(simulatorsGuide(simulators));
  printSeeded(publicUrl, adminKey, tenants);
}

async function fullDemo(): Promise<void> {
  applyLocalDefaults(process.env);
  const config = loadConfig();
  if (!config.runsApi) throw new Error('npm run demo serves the API: use ROLE=all (or api)');
  const simulators = await startDemoSimulators(simulatorPortsFromEnv());
  const logger = createLogger(config.logLevel);
  const app = await (async () => {
    try {
      await runMigrations(config.databaseUrl);
      const http = await createHttpApp(AppModule.forRole(config), logger);
      await http.listen({ port: config.port, host: config.host });
      return http;
    } catch (error) {
      await simulators.close();
      throw error;
    }
  })();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the gateway and the simulators`);
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    Promise.allSettled([app.close(), simulators.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const gatewayUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const tenants = await seedDemo({ gatewayUrl, adminKey: config.adminApiKey, simulators: simulators.urls });
  console.log(
    `\nMailroom demo: gateway ${gatewayUrl} (database ${new URL(config.databaseUrl).pathname.slice(1)}, ROLE=${config.role})`,
  );
  if (config.adminApiKey === DEMO_ADMIN_KEY) console.log(`Admin key (demo default): ${DEMO_ADMIN_KEY}`);
  console.log(simulatorsGuide(simulators.urls));
  printSeeded(gatewayUrl, config.adminApiKey, tenants);
  console.log('Ctrl-C stops the gateway and the simulators.');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'seed-only': { type: 'boolean', default: false },
      gateway: { type: 'string' },
      simulators: { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values['seed-only']) return fullDemo();
  if (!values.gateway || !values.simulators)
    throw new Error(`--seed-only needs --gateway and --simulators\n${USAGE}`);
  const gateway = values.gateway.replace(/\/+$/, '');
  await seedOnly(
    gateway,
    simulatorUrlsAt(values.simulators, simulatorPortsFromEnv()),
    values['public-url'] ?? gateway,
  );
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
