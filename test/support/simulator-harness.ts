import { VendorHttpClients } from '../../src/adapters/http';
import type { CallContext, ConnectionContext } from '../../src/domain/ports/call-context';
import { VendorCallLog } from '../../src/domain/vendor-call';

/** The real vendor HTTP client as tests use it: simulators on loopback, short waits. */
export function testVendorHttpClients(): VendorHttpClients {
  return new VendorHttpClients({
    allowPrivateHosts: true,
    requestTimeoutMs: 5000,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
}

/** A call context for one connection, recording vendor calls into a fresh VendorCallLog. */
export function callContextFor(
  clients: VendorHttpClients,
  connection: ConnectionContext,
  requestId = 'test-request',
): CallContext {
  const vendorCalls = new VendorCallLog();
  return {
    connection,
    requestId,
    vendorCalls,
    http: clients.forConnection(connection, vendorCalls),
  };
}
