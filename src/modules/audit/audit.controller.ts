import { Controller, Get } from '@nestjs/common';
import { Query } from '../../common/http/validated-params';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { GatewayError } from '../../domain/errors';
import { AuditEventListDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('Audit')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Endpoint({
    summary: 'List audit events, newest first',
    description: 'Tenant-bound keys see only their tenant; asking for another tenant answers 404.',
    scopes: ['audit:read'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: AuditEventListDto })
  list(@Meta() meta: RequestMeta, @Query() query: AuditQueryDto): Promise<AuditEventListDto> {
    const bound = meta.principal.tenantId;
    if (bound && query.tenantId && query.tenantId !== bound)
      throw GatewayError.notFound(`Tenant "${query.tenantId}"`);
    return this.audit.list({
      tenantId: bound ?? query.tenantId,
      action: query.action,
      actorId: query.actorId,
      resourceType: query.resourceType,
      resourceId: query.resourceId,
      outcome: query.outcome,
      requestId: query.requestId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }
}
