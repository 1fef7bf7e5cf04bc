import { HostwayAdapter } from './hostway/hostway.adapter';
import { MailStoreAdapter } from './mailstore/mailstore.adapter';
import { OpenXchangeAdapter } from './open-xchange/open-xchange.adapter';
import type { ProviderAdapter } from './provider-adapter';

/** Every vendor adapter the gateway ships; the registry is built from this list. */
export const ALL_ADAPTERS: ProviderAdapter[] = [
  new OpenXchangeAdapter(),
  new HostwayAdapter(),
  new MailStoreAdapter(),
];
