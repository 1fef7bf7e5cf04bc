import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * Adds fields to a route's Fastify config (`request.routeOptions.config`), keeping what other
 * decorators put there: Fastify hooks read route facts from it before Nest's pipeline runs.
 */
export function mergeRouteConfig(fields: Record<string, unknown>): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<
      string,
      unknown
    >;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...fields }, handler);
    return descriptor;
  };
}
