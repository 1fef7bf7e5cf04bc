import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
} from './datamotion.simulator';

/** Runs the DataMotion simulator alone: `node -r @swc-node/register simulators/datamotion/main.ts`. */
async function main(): Promise<void> {
  const simulator = createDataMotionSimulator({
    subscriptionKey: process.env.DATAMOTION_SIM_SUBSCRIPTION_KEY ?? DEFAULT_SUBSCRIPTION_KEY,
    sessionTtlMs: Number(process.env.DATAMOTION_SIM_SESSION_TTL_MS ?? 20 * 60_000),
  });
  const url = await simulator.listen(Number(process.env.PORT ?? 8083), process.env.HOST ?? '127.0.0.1');
  console.log(`DataMotion simulator listening on ${url}${SECURE_MAIL_PATH} and ${url}${REMOTE_PATH}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
