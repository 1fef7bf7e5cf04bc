import { Injectable } from '@nestjs/common';
import { ARCHIVE_OPERATIONS, type ArchiveOperation } from '../../domain/capabilities';
import { GatewayError } from '../../domain/errors';
import type { ArchiveServicePort } from '../../domain/ports/archive-service.port';
import type { CallContext } from '../../domain/ports/call-context';
import { CallContextFactory, type CallOrigin } from '../tenants/call-context.factory';

type PortMethod = keyof ArchiveServicePort;

/** The tenant's archive port with the methods an operation needs guaranteed present. */
export interface BoundArchive<M extends PortMethod> {
  port: Required<Pick<ArchiveServicePort, M>>;
  ctx: CallContext;
  provider: string;
}

/** Methods a long-running operation is followed and cancelled with. */
export const FOLLOW_METHODS = ['getOperationStatus', 'cancelOperation'] as const;

/**
 * Finds the tenant's archive connection and checks its adapter implements an operation: a
 * missing method is a 501 before any vendor call; no archive connection is a 409.
 */
@Injectable()
export class ArchivePortResolver {
  constructor(private readonly calls: CallContextFactory) {}

  async bind<O extends ArchiveOperation, E extends PortMethod = never>(
    origin: CallOrigin,
    tenantId: string,
    operation: O,
    alsoNeeds: readonly E[] = [],
  ): Promise<BoundArchive<(typeof ARCHIVE_OPERATIONS)[O] | E>> {
    const { adapter, ctx } = await this.calls.forService(origin, tenantId, 'archive');
    const port = adapter.archive;
    const methods: PortMethod[] = [ARCHIVE_OPERATIONS[operation], ...alsoNeeds];
    const missing = methods.filter((m) => typeof port?.[m] !== 'function');
    if (!port || missing.length > 0) {
      throw new GatewayError(
        'unsupported_operation',
        `${adapter.descriptor.name} does not support archive ${operation} (see GET /v1/providers).`,
        { provider: adapter.descriptor.name },
      );
    }
    return {
      port: port as Required<Pick<ArchiveServicePort, (typeof ARCHIVE_OPERATIONS)[O] | E>>,
      ctx,
      provider: adapter.descriptor.name,
    };
  }
}
