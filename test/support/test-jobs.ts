import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { GatewayError } from '../../src/domain/errors';
import type {
  ItemOutcome,
  ItemsProcessor,
  JobExecution,
  JobItemRef,
  OperationExecution,
  OperationOutcome,
  OperationProcessor,
} from '../../src/jobs/job-definition';
import { defineJob } from '../../src/jobs/job-definition';
import type { JobEngineOptions } from '../../src/jobs/job-engine.module';

/** Job types that exist only in the test suite; they drive the engine without any vendor. */
declare module '../../src/jobs/job-payloads' {
  interface JobPayloads {
    'test.items': {
      /** Work time per item. */
      delayMs?: number;
      /** Items that fail permanently on their first try (and succeed when retried). */
      failKeys?: string[];
      /** Items that throw a transient error on their first try (retried in place). */
      transientKeys?: string[];
    };
    'test.operation': { steps: number; stepMs: number; failWith?: string };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The side effect of `test.items`, one row per processed item; no unique key, so duplicates show. */
export async function createEffectsTable(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS test_job_effects (job_id uuid NOT NULL, key text NOT NULL, attempt integer NOT NULL)`,
    );
  } finally {
    await client.end();
  }
}

@Injectable()
export class TestItemsProcessor implements ItemsProcessor<{
  delayMs?: number;
  failKeys?: string[];
  transientKeys?: string[];
}> {
  readonly kind = 'items';

  async processItem(
    exec: JobExecution<{ delayMs?: number; failKeys?: string[]; transientKeys?: string[] }>,
    item: JobItemRef,
  ): Promise<ItemOutcome> {
    const { delayMs = 0, failKeys = [], transientKeys = [] } = exec.job.payload;
    if (delayMs) await sleep(delayMs);
    if (transientKeys.includes(item.key) && item.attempts === 1) {
      throw new GatewayError('provider_unavailable', `vendor busy for ${item.key}`);
    }
    if (failKeys.includes(item.key) && item.attempts === 1) {
      return { state: 'failed', code: 'provider_rejected', detail: `rejected ${item.key}` };
    }
    return {
      state: 'succeeded',
      result: { key: item.key },
      record: async (tx) => {
        await tx.query(`INSERT INTO test_job_effects (job_id, key, attempt) VALUES ($1, $2, $3)`, [
          exec.job.id,
          item.key,
          item.attempts,
        ]);
      },
    };
  }

  async summarize(
    _exec: JobExecution<unknown>,
    summary: { total: number; succeeded: number; failed: number },
  ) {
    return { processed: summary.total, succeeded: summary.succeeded };
  }
}

@Injectable()
export class TestOperationProcessor implements OperationProcessor<{
  steps: number;
  stepMs: number;
  failWith?: string;
}> {
  readonly kind = 'operation';

  async run(
    exec: OperationExecution<{ steps: number; stepMs: number; failWith?: string }>,
  ): Promise<OperationOutcome> {
    const { steps, stepMs, failWith } = exec.job.payload;
    const resumedFrom = typeof exec.checkpoint?.step === 'number' ? exec.checkpoint.step : 0;
    for (let step = resumedFrom + 1; step <= steps; step++) {
      await sleep(stepMs);
      exec.throwIfStopped();
      await exec.saveCheckpoint({ step });
      await exec.reportProgress({ percent: (step * 100) / steps, message: `step ${step} of ${steps}` });
    }
    if (failWith) return { result: { steps }, error: { code: 'provider_rejected', detail: failWith } };
    return { result: { steps, resumedFrom } };
  }
}

const connectionKey = (job: { tenantId: string | null }) => (job.tenantId ? `test:${job.tenantId}` : null);

export const TEST_ITEMS_JOB = defineJob({
  type: 'test.items',
  queue: 'test-items',
  processor: TestItemsProcessor,
  concurrency: 2,
  itemConcurrency: 4,
  perConnectionLimit: 1,
  connectionKey,
  retry: { attempts: 3, backoffMs: 50, itemAttempts: 3 },
});

export const TEST_OPERATION_JOB = defineJob({
  type: 'test.operation',
  queue: 'test-operation',
  processor: TestOperationProcessor,
  concurrency: 2,
  itemConcurrency: 1,
  perConnectionLimit: 2,
  connectionKey,
  retry: { attempts: 3, backoffMs: 50, itemAttempts: 1 },
});

/** The test types with runner timings short enough to recover a killed worker in seconds. */
export function testJobsOptions(): JobEngineOptions {
  return {
    types: [TEST_ITEMS_JOB, TEST_OPERATION_JOB],
    providers: [TestItemsProcessor, TestOperationProcessor],
    runner: {
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
      heartbeatMs: 200,
      leaseTtlMs: 3000,
      postponeMs: 100,
      sweepIntervalMs: 1000,
      sweepIdleMs: 10_000,
    },
  };
}
