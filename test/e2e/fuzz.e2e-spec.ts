import { startFuzzEnvironment, type FuzzEnvironment } from '../support/fuzz-target';
import { formatReport, judge, operationsOf, runFuzz, violationCount } from '../support/openapi-fuzz';

/** Fixed, so CI sends the same requests every run; `npm run fuzz -- --seed N --count M` for others. */
const SEED = 20261202;
const COUNT = 2_500;

describe('fuzz: OpenAPI-driven hostile requests against every operation', () => {
  let env: FuzzEnvironment;

  beforeAll(async () => {
    env = await startFuzzEnvironment();
  });

  afterAll(async () => {
    await env.close();
  });

  it('reads every operation from the service own document', () => {
    const operations = operationsOf(env.document);
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const op of operations) {
      // Every operation documents the platform's statuses: the document and the behaviour agree.
      expect({ op: op.id, has400: op.statuses.has('400'), has431: op.statuses.has('431') }).toEqual({
        op: op.id,
        has400: true,
        has431: true,
      });
      if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method))
        expect({ op: op.id, statuses: ['413', '415'].filter((s) => !op.statuses.has(s)) }).toEqual({
          op: op.id,
          statuses: [],
        });
    }
  });

  it('judges answers: each property can fail', () => {
    const operations = operationsOf(env.document);
    const request = {
      method: 'GET',
      path: '/v1/tenants/demo',
      headers: {},
      builtFor: 'GET /v1/tenants/{tenantId}',
    };
    const problem = (status: number) => ({
      status,
      contentType: 'application/problem+json',
      text: JSON.stringify({ status, code: 'x', requestId: 'r' }),
    });
    const kinds = (
      response: { status: number; contentType: string; text: string },
      secrets: string[] = [],
    ) => [...judge(operations, request, response, secrets).kinds];
    expect(judge(operations, request, problem(404)).operation?.id).toBe('GET /v1/tenants/{tenantId}');
    expect(kinds(problem(404))).toEqual([]);
    expect(kinds(problem(500))).toContain('5xx');
    // A documented 501 (a provider without the operation) is the contract's answer, not a failure.
    const domains = { ...request, path: '/v1/tenants/demo/domains' };
    const unsupported = {
      ...problem(501),
      text: JSON.stringify({ status: 501, code: 'unsupported_operation', requestId: 'r' }),
    };
    expect([...judge(operations, domains, unsupported).kinds]).toEqual(['vendor-5xx']);
    expect(kinds(problem(418))).toEqual(['undocumented']);
    expect(kinds({ status: 404, contentType: 'application/json', text: '{"statusCode":404}' })).toEqual([
      'non-problem',
    ]);
    expect(kinds({ ...problem(404), text: problem(404).text + ' at f (/app/x.ts:1:2)' })).toContain('other');
    expect(kinds(problem(404), ['"code":"x"'])).toEqual(['other']);
    // Static segments win over parameters, as in the router.
    expect(
      judge(
        operations,
        { ...request, method: 'POST', path: '/v1/tenants/demo/archive/stores/attach' },
        problem(404),
      ).operation?.id,
    ).toBe('POST /v1/tenants/{tenantId}/archive/stores/attach');
  });

  it(`answers ${COUNT} requests (seed ${SEED}) with no 5xx, only problem 4xx, only documented statuses`, async () => {
    const report = await runFuzz({
      document: env.document,
      target: env.target,
      count: COUNT,
      seed: SEED,
      checkpoint: { every: 1_000, run: env.reseed },
    });
    if (violationCount(report) > 0) console.error(formatReport(report));
    expect({
      serverErrors: report.serverErrors,
      nonProblem4xx: report.nonProblem4xx,
      undocumented: report.undocumented,
      other: report.otherViolations,
    }).toEqual({ serverErrors: 0, nonProblem4xx: 0, undocumented: 0, other: 0 });
    expect(report.sent).toBeGreaterThan(COUNT * 0.9);
    expect(report.operationsCovered).toBeGreaterThan(report.operations * 0.9);
    expect(await env.auditWriteFailures()).toBe(0);
  }, 300_000);
});
