import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import {
  MAIL_OPERATIONS,
  USER_OPERATIONS,
  type MailOperation,
  type UserOperation,
} from '../../domain/capabilities';
import { GatewayError } from '../../domain/errors';
import type { ServiceKind } from '../../domain/model';
import type { CallContext } from '../../domain/ports/call-context';
import type { MailServicePort } from '../../domain/ports/mail-service.port';
import type { UserDirectoryPort } from '../../domain/ports/user-directory.port';
import { CallContextFactory } from '../tenants/call-context.factory';

/** A port method with its CallContext already applied. */
type Bound<P, M extends keyof P> = P[M] extends ((ctx: CallContext, ...args: infer A) => infer R) | undefined
  ? (...args: A) => R
  : never;

export interface BoundOperation<F> {
  run: F;
  provider: string;
  connectionId: string;
}

const PORT_FIELD = { mail: 'mail', archive: 'archive', 'secure-mail': 'secureMail' } as const;

/**
 * Finds the tenant's connection for a service and the adapter method for a neutral operation;
 * an operation the adapter does not implement is a 501 before any vendor call.
 */
@Injectable()
export class ServicePortResolver {
  constructor(private readonly calls: CallContextFactory) {}

  async user<O extends UserOperation>(
    meta: RequestMeta,
    tenantId: string,
    service: ServiceKind,
    operation: O,
  ): Promise<BoundOperation<Bound<UserDirectoryPort, (typeof USER_OPERATIONS)[O]>>> {
    return this.bind(meta, tenantId, service, operation, USER_OPERATIONS[operation]);
  }

  async mail<O extends MailOperation>(
    meta: RequestMeta,
    tenantId: string,
    operation: O,
  ): Promise<BoundOperation<Bound<MailServicePort, (typeof MAIL_OPERATIONS)[O]>>> {
    return this.bind(meta, tenantId, 'mail', operation, MAIL_OPERATIONS[operation]);
  }

  private async bind<F>(
    meta: RequestMeta,
    tenantId: string,
    service: ServiceKind,
    operation: string,
    method: string,
  ): Promise<BoundOperation<F>> {
    const { adapter, ctx } = await this.calls.forService(meta, tenantId, service);
    const port = adapter[PORT_FIELD[service]] as Record<string, unknown> | undefined;
    const fn = port?.[method];
    if (typeof fn !== 'function') {
      throw new GatewayError(
        'unsupported_operation',
        `${adapter.descriptor.name} does not support ${operation} for the ${service} service (see GET /v1/providers).`,
        { provider: adapter.descriptor.name },
      );
    }
    const run = ((...args: unknown[]) => (fn as (...a: unknown[]) => unknown).call(port, ctx, ...args)) as F;
    return { run, provider: adapter.descriptor.name, connectionId: ctx.connection.id };
  }
}
