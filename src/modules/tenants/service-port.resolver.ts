import { Injectable } from '@nestjs/common';
import { SERVICE_PORTS, type MethodOf, type OperationOf, type PortOf } from '../../domain/capabilities';
import { GatewayError } from '../../domain/errors';
import type { ServiceKind } from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import { CallContextFactory, type CallOrigin } from './call-context.factory';

/** A tenant's port for one service, with the methods the caller asked for guaranteed present. */
export interface BoundPort<P, M extends keyof P> {
  port: Required<Pick<P, M>>;
  /** Pass it as the first argument of every port call: `port.getUser(ctx, email, options)`. */
  ctx: CallContext;
  provider: string;
  connectionId: string;
}

const NOTHING_MORE: readonly never[] = [];

/**
 * The one way features reach a vendor: finds the tenant's connection for a service, builds the
 * call context for `origin` (an HTTP request's RequestMeta, or a job step's CallOrigin), and
 * checks the provider's port implements the operation and any further methods the caller will
 * use. No connection for the service is a 409, a missing method a 501, both before any vendor call.
 *
 * @example
 *   const { port, ctx } = await ports.bind(origin, tenantId, 'secure-mail', 'users.migrate');
 *   const results = await port.migrateUsers(ctx, users);
 */
@Injectable()
export class ServicePortResolver {
  constructor(private readonly calls: CallContextFactory) {}

  async bind<S extends ServiceKind, O extends OperationOf<S>, E extends keyof PortOf<S> = never>(
    origin: CallOrigin,
    tenantId: string,
    service: S,
    operation: O,
    alsoNeeds: readonly E[] = NOTHING_MORE,
  ): Promise<BoundPort<PortOf<S>, MethodOf<S, O> | E>> {
    const { adapter, ctx } = await this.calls.forService(origin, tenantId, service);
    const { field, catalogue } = SERVICE_PORTS[service];
    const port = adapter[field] as Record<string, unknown> | undefined;
    const method = (catalogue as Record<string, string>)[operation];
    const provider = adapter.descriptor.name;
    if (
      typeof port?.[method] !== 'function' ||
      alsoNeeds.some((m) => typeof port[m as string] !== 'function')
    ) {
      throw new GatewayError(
        'unsupported_operation',
        `${provider} does not support ${operation} for the ${service} service (see GET /v1/providers).`,
        { provider },
      );
    }
    return {
      port: port as unknown as Required<Pick<PortOf<S>, MethodOf<S, O> | E>>,
      ctx,
      provider,
      connectionId: ctx.connection.id,
    };
  }
}
