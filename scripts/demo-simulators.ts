import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
} from '../simulators/datamotion/datamotion.simulator';
import { DEFAULT_SEED as DATAMOTION_SEED } from '../simulators/datamotion/datamotion-state';
import { createHostwaySimulator } from '../simulators/hostway/hostway.simulator';
import { createMailStoreSimulator } from '../simulators/mailstore/mailstore.simulator';
import { createOpenXchangeSimulator } from '../simulators/open-xchange/open-xchange.simulator';

/** Basic-auth credentials a simulator accepts (and the demo connection sends). */
export interface DemoCredentials {
  username: string;
  password: string;
}

/** Everything the seed needs to know about the demo vendors; shared by `npm run simulators`, `npm run demo` and compose. */
export const DEMO_VENDORS = {
  openXchange: {
    brand: { username: 'brand', password: 'brand-secret' } satisfies DemoCredentials,
    plugins: { username: 'plugins', password: 'plugins-secret' } satisfies DemoCredentials,
    context: 'demo',
    contextId: 1,
    domain: 'demo.example',
  },
  hostway: {
    credentials: { username: 'hostway-admin', password: 'hostway-secret' } satisfies DemoCredentials,
    account: 'demo-account',
    domain: 'demo.example',
  },
  mailstore: {
    credentials: { username: 'admin', password: 'admin-secret' } satisfies DemoCredentials,
    instanceId: 'demo',
  },
  datamotion: {
    credentials: {
      userIdOrEmail: 'admin@securemail.example',
      password: 'admin-secret',
      subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
    },
    companyId: 1001,
    userTypeId: 3,
    /** Below the simulator's origin, as on the vendor's hosts. */
    secureMailPath: SECURE_MAIL_PATH,
    remotePath: REMOTE_PATH,
    domain: 'securemail.example',
  },
} as const;

/** Where each simulator listens; the standalone and compose setups read it from SIM_* variables. */
export interface SimulatorPorts {
  host: string;
  openXchange: number;
  hostway: number;
  mailstore: number;
  datamotion: number;
  /** How long one store takes to verify, so a verification job's progress is visible. */
  mailstoreVerifyMs: number;
}

export interface DemoSimulatorUrls {
  openXchange: string;
  hostway: string;
  mailstore: string;
  /** The origin; the SecureMail and /Remote APIs sit at DEMO_VENDORS.datamotion's paths below it. */
  datamotion: string;
}

export interface RunningDemoSimulators {
  urls: DemoSimulatorUrls;
  close(): Promise<void>;
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0-65535)`);
  return port;
}

/** SIM_HOST, SIM_OX_PORT, SIM_HOSTWAY_PORT, SIM_MAILSTORE_PORT, SIM_DATAMOTION_PORT, SIM_MAILSTORE_VERIFY_MS with their defaults. */
export function simulatorPortsFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorPorts {
  return {
    host: env.SIM_HOST || '127.0.0.1',
    openXchange: portFrom(env, 'SIM_OX_PORT', 8081),
    hostway: portFrom(env, 'SIM_HOSTWAY_PORT', 8082),
    mailstore: portFrom(env, 'SIM_MAILSTORE_PORT', 8474),
    datamotion: portFrom(env, 'SIM_DATAMOTION_PORT', 8083),
    mailstoreVerifyMs: portFrom(env, 'SIM_MAILSTORE_VERIFY_MS', 10_000),
  };
}

/** URLs of simulators reachable at `origin` (e.g. `http://simulators` in compose) on the configured ports. */
export function simulatorUrlsAt(origin: string, ports: SimulatorPorts): DemoSimulatorUrls {
  const base = new URL(origin);
  const at = (port: number): string => {
    const url = new URL(base.href);
    url.port = String(port);
    return url.origin;
  };
  return {
    openXchange: at(ports.openXchange),
    hostway: at(ports.hostway),
    mailstore: at(ports.mailstore),
    datamotion: at(ports.datamotion),
  };
}

/** Starts the four vendor simulators with the demo data; a bind failure closes the ones already started. */
export async function startDemoSimulators(ports: SimulatorPorts): Promise<RunningDemoSimulators> {
  const ox = DEMO_VENDORS.openXchange;
  const hw = DEMO_VENDORS.hostway;
  const ms = DEMO_VENDORS.mailstore;
  const simulators = [
    createOpenXchangeSimulator({
      brand: ox.brand,
      plugins: ox.plugins,
      seed: {
        sharedDomains: [ox.domain],
        contexts: [
          {
            name: ox.context,
            id: ox.contextId,
            users: [
              {
                name: 'john.doe',
                mail: `john.doe@${ox.domain}`,
                givenName: 'John',
                surName: 'Doe',
                classOfService: ['cloud_mail'],
                unifiedQuota: 2048,
              },
              {
                name: 'jane.roe',
                mail: `jane.roe@${ox.domain}`,
                givenName: 'Jane',
                surName: 'Roe',
                classOfService: ['cloud_pim'],
                unifiedQuota: 4096,
              },
            ],
            forwards: [{ address: `sales@${ox.domain}`, forwardTo: [`john.doe@${ox.domain}`] }],
          },
        ],
      },
    }),
    createHostwaySimulator({
      ...hw.credentials,
      seed: {
        accounts: [
          {
            name: hw.account,
            domains: [
              {
                name: hw.domain,
                mailboxes: [
                  { username: 'info', quota: 1024, usage: 120, forwards: [`sales@${hw.domain}`] },
                  { username: 'sales', quota: 2048, usage: 640, type: 'premium' },
                ],
              },
            ],
          },
        ],
      },
    }),
    createMailStoreSimulator({
      ...ms.credentials,
      verifyDurationMs: ports.mailstoreVerifyMs,
      instances: [
        {
          id: ms.instanceId,
          stores: [
            { name: 'Archive 2024', requestedState: 'normal', sizeMb: 2048 },
            {
              name: 'Archive 2025',
              requestedState: 'current',
              sizeMb: 512,
              problems: ['Message 4711: the content file is missing.'],
            },
          ],
          users: [
            { userName: 'admin', fullName: 'Administrator', privileges: ['admin'] },
            {
              userName: 'john.doe',
              fullName: 'John Doe',
              privileges: ['login', 'export'],
              emailAddresses: ['john.doe@demo.example'],
            },
          ],
        },
      ],
    }),
    createDataMotionSimulator({
      seed: {
        ...DATAMOTION_SEED,
        accounts: [
          ...DATAMOTION_SEED.accounts,
          {
            email: `alice@${DEMO_VENDORS.datamotion.domain}`,
            firstName: 'Alice',
            lastName: 'Secure',
            companyId: DEMO_VENDORS.datamotion.companyId,
            userTypeId: DEMO_VENDORS.datamotion.userTypeId,
          },
        ],
      },
    }),
  ];
  const started: Array<(typeof simulators)[number]> = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(started.map((simulator) => simulator.close()));
  };
  try {
    const wanted = [ports.openXchange, ports.hostway, ports.mailstore, ports.datamotion];
    const urls: string[] = [];
    for (const [index, simulator] of simulators.entries()) {
      urls.push(await simulator.listen(wanted[index], ports.host));
      started.push(simulator);
    }
    return {
      urls: { openXchange: urls[0], hostway: urls[1], mailstore: urls[2], datamotion: urls[3] },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
