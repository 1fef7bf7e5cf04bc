import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { spawnWorker } from '../support/worker-process';
import { freePort } from '../support/free-port';

const OPS = join(__dirname, '..', '..', 'ops');
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_WORDS.has(name.toLowerCase()));
}

interface Panel {
  targets?: { expr: string }[];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(join(OPS, 'grafana', 'mailroom-dashboard.json'), 'utf8')) as {
    panels: Panel[];
  };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

function alertExpressions(): string[] {
  const rules = parse(readFileSync(join(OPS, 'prometheus', 'mailroom-alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: { alert: string; expr: string; for?: string }[] }[];
  };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

/** Whether /metrics text declares `name`, or the histogram or summary a `_bucket/_sum/_count` name belongs to. */
function declares(metrics: string, name: string): boolean {
  if (metrics.includes(`# TYPE ${name} `)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && new RegExp(`^# TYPE ${base} (histogram|summary)$`, 'm').test(metrics);
}

describe('operator kit (e2e): vendor-call logs, breaker metrics, dashboards and alerts', () => {
  let t: TestApp;
  let ox: OpenXchangeSimulator;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'ops', id: 12 }] } });
    const oxUrl = await ox.listen();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    t = await startTestApp({ LOG_LEVEL: 'info' }, sink);
    await t.request('POST', '/v1/tenants', { body: { id: 'ops', name: 'Ops' } });
    const connection = await t.request('POST', '/v1/tenants/ops/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: oxUrl,
        credentials: DEFAULT_OX_BRAND,
        settings: { context: 'ops' },
      },
    });
    expect(connection.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await ox.close();
  });

  it('writes one structured log line per vendor call, with request id, tenant, provider, method, path, status and duration', async () => {
    const res = await t.request('GET', '/v1/tenants/ops/users/nobody@ops.example', {
      headers: { 'x-request-id': 'ops-trace-1' },
    });
    expect(res.status).toBe(404);
    const calls = lines.filter((line) => line.msg === 'vendor call' && line.requestId === 'ops-trace-1');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]).toMatchObject({
      tenantId: 'ops',
      provider: 'open-xchange',
      method: 'GET',
      status: 404,
      attempt: 1,
    });
    expect(calls[0].path).toEqual(expect.stringContaining('/cloudapi/v2/users'));
    expect(typeof calls[0].durationMs).toBe('number');
    expect(JSON.stringify(calls)).not.toContain(DEFAULT_OX_BRAND.password);
  });

  it('reports each connection’s circuit as vendor_circuit_state', async () => {
    const metrics = await t.request('GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(/^vendor_circuit_state\{provider="open-xchange",connection="[^"]+"\} 0$/m);
    expect(metrics.text).toContain('# TYPE vendor_call_retries_total counter');
  });

  it('ships a dashboard and alert rules that parse and name only metrics the API or worker /metrics has', async () => {
    const expressions = [...dashboardExpressions(), ...alertExpressions()];
    expect(expressions.length).toBeGreaterThan(10);
    const named = [...new Set(expressions.flatMap(metricNames))].sort();
    expect(named).toEqual(
      expect.arrayContaining(['vendor_circuit_state', 'mailroom_queue_jobs', 'audit_write_failures_total']),
    );
    const api = await startTestApp({ ROLE: 'api' });
    const port = await freePort();
    const worker = spawnWorker({ ...api.env, PORT: String(port) });
    try {
      await worker.ready;
      const apiMetrics = (await api.request('GET', '/metrics', { key: null })).text;
      const workerMetrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(named.filter((name) => !declares(apiMetrics, name) && !declares(workerMetrics, name))).toEqual(
        [],
      );
      // Jobs run in the worker: its figures are there, not on the API role.
      expect(declares(workerMetrics, 'mailroom_job_duration_seconds_bucket')).toBe(true);
      expect(declares(apiMetrics, 'mailroom_http_request_duration_seconds_bucket')).toBe(true);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await api.close();
    }
  });
});
