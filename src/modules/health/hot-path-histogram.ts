import type { Metric } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

type Node = Map<string | number, Node | Series>;

/**
 * A Prometheus histogram for what every request observes. Each label set gets its own
 * counters once; an observation is then a few Map lookups and increments, where prom-client's
 * `observe` validates, copies and hashes the labels every time. It is read by the prom-client
 * registry like any of its own metrics (`registry.registerMetric(histogram.metric)`).
 */
export class HotPathHistogram {
  private readonly root: Node = new Map();
  private readonly all: Series[] = [];

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {}

  /** Label values in the order of `labelNames`; numbers are written as decimal strings. */
  observe(value: number, ...labelValues: Array<string | number>): void {
    const series = this.series(labelValues);
    const buckets = this.buckets;
    let slot = 0;
    while (slot < buckets.length && value > buckets[slot]) slot++;
    series.counts[slot]++;
    series.sum += value;
    series.count++;
  }

  /** The registry's view: prom-client asks for `get()` when it renders /metrics. */
  get metric(): Metric {
    const view = {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      get: () => Promise.resolve(this.snapshot()),
      reset: () => this.reset(),
    };
    return view as unknown as Metric;
  }

  /** prom-client's own histogram shape: `le` first, the series' labels as shared labels. */
  snapshot() {
    const bounds = [...this.buckets, '+Inf' as const];
    const values = this.all.flatMap((series) => {
      let cumulative = 0;
      const sharedLabels = series.labels;
      return [
        ...bounds.map((le, i) => {
          cumulative += series.counts[i];
          return { labels: { le }, sharedLabels, value: cumulative, metricName: `${this.name}_bucket` };
        }),
        { labels: {}, sharedLabels, value: series.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels, value: series.count, metricName: `${this.name}_count` },
      ];
    });
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {
    this.root.clear();
    this.all.length = 0;
  }

  private series(labelValues: Array<string | number>): Series {
    let node = this.root;
    const last = labelValues.length - 1;
    for (let i = 0; i < last; i++) node = this.child(node, labelValues, i) as Node;
    return this.child(node, labelValues, last) as Series;
  }

  /**
   * The entry for label `i` below `node`. A value is kept under its string form, which is what
   * renders, so 200 and '200' are one series; a number is also kept as itself, so that its next
   * lookup is a single `get`.
   */
  private child(node: Node, labelValues: Array<string | number>, i: number): Node | Series {
    const value = labelValues[i];
    const found = node.get(value);
    if (found) return found;
    const key = String(value);
    let entry = node.get(key);
    if (!entry) {
      entry = i === labelValues.length - 1 ? this.create(labelValues) : new Map();
      node.set(key, entry);
    }
    if (key !== value) node.set(value, entry);
    return entry;
  }

  private create(labelValues: Array<string | number>): Series {
    if (labelValues.length !== this.labelNames.length) {
      throw new Error(`${this.name} takes the labels ${this.labelNames.join(', ')}`);
    }
    const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, String(labelValues[i])]));
    const series: Series = {
      labels,
      counts: new Array<number>(this.buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
    };
    this.all.push(series);
    return series;
  }
}
