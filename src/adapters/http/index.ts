export { AddressNotAllowedError, ipLiteral, isPrivateAddress } from './address-guard';
export { basicAuth } from './basic-auth';
export type { BreakerOptions } from './circuit-breaker';
export { retryAfterSeconds, type RetryOptions } from './retry-policy';
export {
  VendorHttpClients,
  type VendorCallMetric,
  type VendorCallTrace,
  type VendorCircuit,
  type VendorConnectionTarget,
  type VendorHttpOptions,
} from './vendor-http.client';
export { Semaphore } from './semaphore';
