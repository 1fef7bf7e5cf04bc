import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from '../../common/http/endpoint.decorator';
import { GatewayError } from '../../domain/errors';
import { VendorCallLog } from '../../domain/vendor-call';
import { AUDIT_SPEC, type AuditSpec } from '../audit/audit-spec';
import { RequestAuditor } from '../audit/request-auditor';
import { InboundRateLimiter } from '../rate-limit/inbound-rate-limiter';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { Principal } from '../../common/auth/principal';
import { grants, type Scope } from '../../common/auth/scopes';

interface RouteAccess {
  isPublic: boolean;
  scopes: Scope[] | undefined;
}

/**
 * Global guard: counts the request against its rate limits (429), 401 without a valid key, 404 for another tenant's resources (checked before
 * scopes, so a key cannot probe other tenants), 403 without the scope. Refused mutations by a
 * known key are audited too.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly auditor: RequestAuditor,
    private readonly limiter: InboundRateLimiter,
  ) {}

  /** Route metadata never changes after boot: read once per handler. */
  private readonly routes = new WeakMap<object, RouteAccess>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.access(context);
    if (access.isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    let principal: Principal;
    try {
      principal = await this.authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      await this.limiter.admitAnonymous(request, reply);
      throw error;
    }
    await this.limiter.admit(request, reply, principal);
    request.principal = principal;
    request.meta = { requestId: String(request.id), principal, vendorCalls: new VendorCallLog() };

    const refusal = this.refusal(principal, request, access.scopes);
    if (refusal) {
      const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_SPEC, context.getHandler());
      if (spec) await this.auditor.write(request, spec, undefined, refusal);
      throw refusal;
    }
    return true;
  }

  private access(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = this.routes.get(handler);
    if (!access) {
      const targets = [handler, context.getClass()];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        scopes: this.reflector.getAllAndOverride<Scope[]>(REQUIRED_SCOPES, targets),
      };
      this.routes.set(handler, access);
    }
    return access;
  }

  private refusal(
    principal: Principal,
    request: FastifyRequest,
    required: Scope[] | undefined,
  ): GatewayError | null {
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    if (principal.tenantId && params.tenantId !== undefined && params.tenantId !== principal.tenantId) {
      return GatewayError.notFound(`Tenant "${params.tenantId}"`);
    }
    const missing = (required ?? ['admin']).filter((scope) => !grants(principal.scopes, scope));
    if (missing.length > 0)
      return new GatewayError('forbidden', `This API key lacks the scope ${missing.join(', ')}.`);
    return null;
  }
}
