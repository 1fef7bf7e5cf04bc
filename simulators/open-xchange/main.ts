import { createOpenXchangeSimulator } from './open-xchange.simulator';

/** Runs the Open-Xchange simulator alone: `node -r @swc-node/register simulators/open-xchange/main.ts`. */
async function main(): Promise<void> {
  const simulator = createOpenXchangeSimulator({
    brand: {
      username: process.env.OX_SIM_BRAND ?? 'brand',
      password: process.env.OX_SIM_BRAND_PASSWORD ?? 'brand-secret',
    },
    plugins: {
      username: process.env.OX_SIM_PLUGINS_USERNAME ?? 'plugins',
      password: process.env.OX_SIM_PLUGINS_PASSWORD ?? 'plugins-secret',
    },
    pluginsPathPrefix: process.env.OX_SIM_PLUGINS_PATH_PREFIX,
    seed: {
      contexts: [
        { name: process.env.OX_SIM_CONTEXT ?? 'demo', id: Number(process.env.OX_SIM_CONTEXT_ID ?? 1) },
      ],
    },
  });
  const url = await simulator.listen(Number(process.env.PORT ?? 8081), process.env.HOST ?? '127.0.0.1');
  console.log(`Open-Xchange simulator listening on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
