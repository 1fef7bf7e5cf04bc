import type { ProviderAdapter } from './provider-adapter';

/** Every vendor adapter the gateway ships; the registry is built from this list. */
export const ALL_ADAPTERS: ProviderAdapter[] = [];
