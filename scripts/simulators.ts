import { simulatorsGuide } from './demo-guide';
import { simulatorPortsFromEnv, startDemoSimulators, type DemoSimulatorUrls } from './demo-simulators';

/** A wildcard bind address is not somewhere to send a browser; show loopback instead. */
function reachable(urls: DemoSimulatorUrls): DemoSimulatorUrls {
  const fix = (url: string): string => url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');
  return {
    openXchange: fix(urls.openXchange),
    hostway: fix(urls.hostway),
    mailstore: fix(urls.mailstore),
    datamotion: fix(urls.datamotion),
  };
}

/** `npm run simulators`: the four vendor simulators alone, with the demo data, until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const simulators = await startDemoSimulators(simulatorPortsFromEnv());
  console.log(simulatorsGuide(reachable(simulators.urls)));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the simulators`);
    simulators.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`simulators failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
