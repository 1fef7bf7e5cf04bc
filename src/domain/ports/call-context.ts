import type { ServiceKind } from '../model';
import type { VendorCallRecorder } from '../vendor-call';
import type { VendorHttpClient } from './vendor-http.port';

/** A tenant's connection, decrypted; immutable, and shared by the calls made while it is cached. */
export interface ConnectionContext {
  id: string;
  tenantId: string;
  provider: string;
  baseUrl: string;
  credentials: Readonly<Record<string, string>>;
  settings: Readonly<Record<string, unknown>>;
  services: readonly ServiceKind[];
}

/** Everything an adapter needs for one port call; adapters keep no state of their own. */
export interface CallContext {
  connection: ConnectionContext;
  requestId: string;
  vendorCalls: VendorCallRecorder;
  /** The vendor HTTP client bound to this connection, recording into `vendorCalls`. */
  http: VendorHttpClient;
  signal?: AbortSignal;
}
