import { DiscoveryService } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** What a module adds to the Fastify instance itself: hooks, or routes served outside Nest. */
export interface HttpPlugin {
  register(fastify: FastifyInstance): void | Promise<void>;
}

/**
 * Marks a provider as an HttpPlugin: the HTTP app registers every marked provider of the
 * booted modules, so the platform's HTTP setup needs no import of the modules that add hooks.
 */
export const HttpPluginProvider = DiscoveryService.createDecorator<void>();

/** The HttpPlugin providers of the app, in module order. */
export function httpPlugins(discovery: DiscoveryService): HttpPlugin[] {
  return discovery
    .getProviders({ metadataKey: HttpPluginProvider.KEY })
    .map((wrapper) => wrapper.instance as HttpPlugin);
}
