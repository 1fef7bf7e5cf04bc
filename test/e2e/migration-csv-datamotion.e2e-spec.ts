import {
  createDataMotionSimulator,
  type DataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
} from '../../simulators/datamotion/datamotion.simulator';
import type { JobItemView, JobView } from '../../src/modules/jobs/jobs.dto';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Acceptance of issue #13, "CSV into DataMotion, with bad rows": a 5,000-row CSV with 50 planted
 * bad rows. The intake half checks what the upload stores; the run half checks what reaches the
 * simulator (MIGRATIONS-CONTRACT.md).
 */
const TENANT = 'dm-migration';
const ROWS = 5000;
const BATCH_SIZE = 250;
const HEADER = 'email,firstName,lastName,password,externalId';
/** 5,000 users through the vendor take a while on a busy machine; no assertion is about time. */
const RUN_TIMEOUT_MS = 300_000;

interface Planted {
  line: number;
  code: string;
  detail: RegExp;
}

interface List<T> {
  data: T[];
  nextCursor: string | null;
}

/** 4,950 good rows and 50 bad ones: 20 bad emails, 19 names of 51 characters, 10 repeats, 1 malformed line. */
function plantedCsv(): { csv: string; planted: Planted[] } {
  const lines = [HEADER];
  const planted: Planted[] = [];
  const plant = (kind: 'email' | 'name' | 'repeat' | 'malformed', n: number) => {
    const line = lines.length + 1;
    if (kind === 'email') {
      lines.push(`user${n}.example.com,Bad,Email,Initial-Pass-1,`);
      planted.push({ line, code: 'validation_failed', detail: /email must be an email address/ });
    } else if (kind === 'name') {
      lines.push(`long${n}@dm.example,${'N'.repeat(51)},Long,Initial-Pass-1,`);
      planted.push({
        line,
        code: 'validation_failed',
        detail: /firstName must be 1-50 characters \(datamotion limit\), found 51/,
      });
    } else if (kind === 'repeat') {
      lines.push(`user${n}@dm.example,Again,Repeat,Initial-Pass-1,`);
      planted.push({
        line,
        code: 'duplicate_in_upload',
        detail: new RegExp(`user${n}@dm.example is already on line \\d+`),
      });
    } else {
      lines.push(`broken${n}@dm.example,Too,Many,Initial-Pass-1,,extra`);
      planted.push({ line, code: 'bad_request', detail: /6 fields, but the header has 5/ });
    }
  };
  let good = 0;
  for (let row = 1; row <= ROWS; row++) {
    if (row % 100 === 50 && planted.length < 20) plant('email', row);
    else if (row % 100 === 75 && planted.filter((p) => p.code === 'validation_failed').length < 39)
      plant('name', row);
    else if (row % 500 === 499 && planted.filter((p) => p.code === 'duplicate_in_upload').length < 10)
      plant('repeat', good);
    else if (row === 2500) plant('malformed', row);
    else lines.push(`user${++good}@dm.example,First${good},Last${good},Initial-Pass-1,tag-${good}`);
  }
  return { csv: lines.join('\n') + '\n', planted };
}

describe('acceptance: a 5,000-row CSV with 50 bad rows into DataMotion (ROLE=all)', () => {
  let t: TestApp;
  let sim: DataMotionSimulator;
  const { csv, planted } = plantedCsv();

  const items = async (jobId: string, state: string): Promise<JobItemView[]> => {
    const all: JobItemView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `state=${state}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: List<JobItemView> } = await t.request<List<JobItemView>>(
        'GET',
        `/v1/jobs/${jobId}/items?${query}`,
      );
      all.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return all;
  };
  const upload = (query: string) =>
    t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations?${query}`, {
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const finished = (id: string) =>
    waitFor(
      async () => {
        const job = (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body;
        return ['succeeded', 'failed', 'partially_failed', 'cancelled'].includes(job.state) && job;
      },
      `job ${id} to finish`,
      RUN_TIMEOUT_MS - 30_000,
    );
  const stats = async () =>
    (await (await fetch(`${simUrl}/__sim/stats`)).json()) as {
      users: number;
      migrateUsersCalls: number;
      largestBatch: number;
    };
  let simUrl = '';

  beforeAll(async () => {
    sim = createDataMotionSimulator();
    simUrl = await sim.listen();
    t = await startTestApp();
    await t.request('POST', '/v1/tenants', { body: { id: TENANT, name: TENANT } });
    const connection = await t.request('POST', `/v1/tenants/${TENANT}/connections`, {
      body: {
        provider: 'datamotion',
        baseUrl: `${simUrl}${SECURE_MAIL_PATH}`,
        credentials: {
          userIdOrEmail: 'admin@securemail.example',
          password: 'admin-secret',
          subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
        },
        // A dry run reads every user through /Remote: at the default 10 calls/s that alone would take minutes.
        settings: {
          companyId: 1001,
          userTypeId: 3,
          remoteBaseUrl: `${simUrl}${REMOTE_PATH}`,
          maxConcurrency: 8,
          maxRequestsPerSecond: 1000,
        },
        services: ['secure-mail'],
      },
    });
    expect(connection.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  it('plants exactly 50 bad rows of the four kinds', () => {
    expect(planted).toHaveLength(50);
    expect(planted.filter((p) => p.code === 'validation_failed')).toHaveLength(39);
    expect(planted.filter((p) => p.code === 'duplicate_in_upload')).toHaveLength(10);
    expect(planted.filter((p) => p.code === 'bad_request')).toHaveLength(1);
  });

  it(
    'dry run: every row in the report, the 50 bad ones failed at intake with their line, no MigrateUsers call',
    async () => {
      const before = await stats();
      const response = await upload(`service=secure-mail&dryRun=true&batchSize=${BATCH_SIZE}`);
      expect(response.status).toBe(202);
      expect(response.body.progress).toMatchObject({ total: ROWS, failed: 50, done: 50 });

      const failed = await items(response.body.id, 'failed');
      expect(failed).toHaveLength(50);
      for (const [i, item] of failed.entries()) {
        const expected = planted[i];
        expect([item.code, item.detail?.startsWith(`line ${expected.line}: `)]).toEqual([
          expected.code,
          true,
        ]);
        expect(item.detail).toMatch(expected.detail);
      }

      const job = await finished(response.body.id);
      expect(job.state).toBe('partially_failed');
      expect(job.progress).toMatchObject({ total: ROWS, succeeded: ROWS - 50, failed: 50 });
      const succeeded = await items(response.body.id, 'succeeded');
      expect(new Set(succeeded.map((i) => i.code))).toEqual(new Set(['would_create']));
      expect(await stats()).toMatchObject({
        users: before.users,
        migrateUsersCalls: before.migrateUsersCalls,
      });
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'real run: partially_failed, exactly 4,950 users at the simulator, no call over batchSize',
    async () => {
      const before = await stats();
      const response = await upload(`service=secure-mail&batchSize=${BATCH_SIZE}`);
      expect(response.status).toBe(202);
      expect(response.body.progress).toMatchObject({ total: ROWS, failed: 50 });

      const job = await finished(response.body.id);
      expect(job.state).toBe('partially_failed');
      expect(job.progress).toMatchObject({ total: ROWS, succeeded: ROWS - 50, failed: 50 });
      const after = await stats();
      expect(after.users - before.users).toBe(ROWS - 50);
      expect(after.largestBatch).toBeLessThanOrEqual(BATCH_SIZE);
      const failed = await items(response.body.id, 'failed');
      expect(failed.map((i) => [i.code, Number(/^line (\d+): /.exec(i.detail ?? '')?.[1])])).toEqual(
        planted.map((p) => [p.code, p.line]),
      );
    },
    RUN_TIMEOUT_MS,
  );
});
