import { Histogram, Registry } from 'prom-client';
import { HotPathHistogram } from './hot-path-histogram';

const BUCKETS = [0.005, 0.01, 0.1, 1];
const OBSERVATIONS: Array<[number, string, string, number | string]> = [
  [0.004, 'GET', '/v1/users/:email', 200],
  [0.005, 'GET', '/v1/users/:email', 200],
  [0.02, 'GET', '/v1/users/:email', 200],
  [3, 'GET', '/v1/users/:email', 200],
  [0.5, 'POST', '/v1/users', 201],
  [0.05, 'POST', '/v1/users', 'error'],
  [0.2, 'GET', '/v1/users/:email', 404],
];

async function render(
  register: (registry: Registry) => (value: number, ...labels: Array<string | number>) => void,
) {
  const registry = new Registry();
  const observe = register(registry);
  for (const [value, ...labels] of OBSERVATIONS) observe(value, ...labels);
  return registry.metrics();
}

describe('HotPathHistogram', () => {
  it('renders exactly what a prom-client histogram renders for the same observations', async () => {
    const ours = await render((registry) => {
      const histogram = new HotPathHistogram(
        'x_seconds',
        'help text',
        ['method', 'route', 'status'],
        BUCKETS,
      );
      registry.registerMetric(histogram.metric);
      return (value, ...labels) => histogram.observe(value, ...labels);
    });
    const theirs = await render((registry) => {
      const histogram = new Histogram({
        name: 'x_seconds',
        help: 'help text',
        labelNames: ['method', 'route', 'status'],
        buckets: BUCKETS,
        registers: [registry],
      });
      return (value, method, route, status) =>
        histogram.observe({ method: String(method), route: String(route), status: String(status) }, value);
    });

    expect(ours).toBe(theirs);
    expect(ours).toContain(
      'x_seconds_bucket{le="0.005",method="GET",route="/v1/users/:email",status="200"} 2',
    );
    expect(ours).toContain('x_seconds_count{method="GET",route="/v1/users/:email",status="200"} 4');
  });

  it('renders a label given as a number and as its string as one series', async () => {
    const registry = new Registry();
    const histogram = new HotPathHistogram('w_seconds', 'help', ['route', 'status'], BUCKETS);
    registry.registerMetric(histogram.metric);
    histogram.observe(0.001, '/a', 200);
    histogram.observe(0.001, '/a', '200');
    histogram.observe(0.001, 404, '200');
    histogram.observe(0.001, '404', 200);

    const text = await registry.metrics();
    expect(text.match(/^w_seconds_count.*$/gm)).toEqual([
      'w_seconds_count{route="/a",status="200"} 2',
      'w_seconds_count{route="404",status="200"} 2',
    ]);
  });

  it('refuses an observation with the wrong number of labels', () => {
    const histogram = new HotPathHistogram('y_seconds', 'help', ['method', 'status'], BUCKETS);
    expect(() => histogram.observe(1, 'GET')).toThrow('y_seconds takes the labels method, status');
  });

  it('starts from nothing again after a registry reset', async () => {
    const registry = new Registry();
    const histogram = new HotPathHistogram('z_seconds', 'help', ['method'], BUCKETS);
    registry.registerMetric(histogram.metric);
    histogram.observe(0.001, 'GET');
    registry.resetMetrics();

    expect(await registry.metrics()).not.toContain('z_seconds_count');
  });
});
