import { createOpenXchangeSimulator } from '../../simulators/open-xchange/open-xchange.simulator';

/** The OX simulator for benchmarks, seeded with one context and one user. */
async function main(): Promise<void> {
  const sim = createOpenXchangeSimulator({
    seed: {
      contexts: [
        {
          name: 'bench',
          id: 1,
          users: [
            {
              name: 'bench.user@bench.example',
              mail: 'bench.user@bench.example',
              givenName: 'Bench',
              surName: 'User',
            },
          ],
        },
      ],
    },
  });
  const url = await sim.listen(0, '127.0.0.1');
  console.log(`SIMULATOR ${url}`);
  process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
}

void main();
