import { createHostwaySimulator } from './hostway.simulator';

/** Runs the Hostway simulator alone: `node -r @swc-node/register simulators/hostway/main.ts`. */
async function main(): Promise<void> {
  const simulator = createHostwaySimulator({
    username: process.env.HOSTWAY_SIM_USERNAME ?? 'hostway-admin',
    password: process.env.HOSTWAY_SIM_PASSWORD ?? 'hostway-secret',
    apiBaseUrl: process.env.HOSTWAY_SIM_API_BASE_URL,
    seed: {
      accounts: [
        {
          name: process.env.HOSTWAY_SIM_ACCOUNT ?? 'demo-account',
          domains: [{ name: 'hostway.example.com' }],
        },
      ],
    },
  });
  const url = await simulator.listen(Number(process.env.PORT ?? 8082), process.env.HOST ?? '127.0.0.1');
  console.log(`Hostway simulator listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
