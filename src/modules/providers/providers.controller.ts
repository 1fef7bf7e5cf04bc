import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdapterRegistry, type ProviderSummary } from '../../adapters/adapter-registry';
import { Endpoint } from '../../common/http/endpoint.decorator';

class ProviderListView {
  @ApiProperty({
    description:
      'Each provider with its services, connection fields, vendor extras, mapping notes and the neutral operations it supports per service; any other operation answers 501 unsupported_operation.',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  data: ProviderSummary[];
}

@ApiTags('Providers')
@Controller('v1/providers')
export class ProvidersController {
  constructor(private readonly registry: AdapterRegistry) {}

  @Get()
  @Endpoint({ summary: 'List providers and what each supports', scopes: [] })
  @ApiOkResponse({ type: ProviderListView })
  list(): ProviderListView {
    return { data: this.registry.summaries() };
  }
}
