import type { FastifyInstance } from 'fastify';

interface Pattern {
  method: string;
  regex: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Which methods each registered path takes, so that a known path asked with another method
 * answers 405 with `Allow` instead of 404. Filled from Fastify's onRoute hook, so it must be
 * created before the routes are registered.
 */
export class MethodIndex {
  private readonly patterns: Pattern[] = [];

  constructor(fastify: FastifyInstance) {
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const source = route.url
        .split('/')
        .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : escape(segment)))
        .join('/');
      const regex = new RegExp(`^${source}/?$`);
      // HEAD follows GET, and OPTIONS is CORS preflight on every path (`OPTIONS *`): neither says what a path serves.
      for (const method of methods)
        if (method !== 'HEAD' && method !== 'OPTIONS') this.patterns.push({ method, regex });
    });
  }

  /** The methods `path` (without its query) is served for, sorted. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const p of this.patterns) if (p.regex.test(path)) methods.add(p.method);
    return [...methods].sort();
  }
}
