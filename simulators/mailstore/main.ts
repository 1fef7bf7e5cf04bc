import { createMailStoreSimulator } from './mailstore.simulator';

/** Runs the MailStore SPE simulator alone: `node -r @swc-node/register simulators/mailstore/main.ts`. */
async function main(): Promise<void> {
  const simulator = createMailStoreSimulator({
    username: process.env.MAILSTORE_SIM_USERNAME ?? 'admin',
    password: process.env.MAILSTORE_SIM_PASSWORD ?? 'admin-secret',
    verifyDurationMs: Number(process.env.MAILSTORE_SIM_VERIFY_MS ?? 20_000),
    instances: [
      {
        id: process.env.MAILSTORE_SIM_INSTANCE ?? 'demo01',
        stores: [
          { name: 'Archive 2024', requestedState: 'normal', sizeMb: 2048 },
          {
            name: 'Archive 2025',
            requestedState: 'current',
            sizeMb: 512,
            problems: ['Message 4711: the content file is missing.'],
          },
          { name: 'Archive 2023', requestedState: 'writeProtected', sizeMb: 4096 },
        ],
        users: [{ userName: 'admin', fullName: 'Administrator', privileges: ['admin'] }],
      },
    ],
  });
  const url = await simulator.listen(Number(process.env.PORT ?? 8474), process.env.HOST ?? '127.0.0.1');
  console.log(`MailStore SPE simulator listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
