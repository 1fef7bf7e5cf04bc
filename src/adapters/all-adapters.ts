import { DATAMOTION_PROVIDER } from './datamotion/datamotion.adapter';
import { HOSTWAY_PROVIDER } from './hostway/hostway.adapter';
import { MAILSTORE_PROVIDER } from './mailstore/mailstore.adapter';
import { OPEN_XCHANGE_PROVIDER } from './open-xchange/open-xchange.adapter';
import type { ProviderAdapter } from './provider-adapter';

/** Every provider the gateway ships; the registry is built from this list. */
export const ALL_ADAPTERS: ProviderAdapter[] = [
  OPEN_XCHANGE_PROVIDER,
  HOSTWAY_PROVIDER,
  MAILSTORE_PROVIDER,
  DATAMOTION_PROVIDER,
];
