import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRoute } from '../../common/http/endpoint.decorator';
import { RouteBody } from '../../common/http/route-bodies';
import { WebhookEnvelopeDto } from './webhook-event-data.dto';
import { WebhookIntakeView } from './webhook-events.dto';
import { WebhookIntakeService } from './webhook-intake.service';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

@ApiTags('Webhooks')
@Controller('v1/webhooks')
export class WebhookIntakeController {
  constructor(private readonly intake: WebhookIntakeService) {}

  @Post(':sourceId')
  @HttpCode(202)
  @PublicRoute()
  @RouteBody({ raw: true })
  @ApiHeader({
    name: 'webhook-id',
    required: true,
    description: 'Unique per message; repeats are answered, not run.',
  })
  @ApiHeader({
    name: 'webhook-timestamp',
    required: true,
    description: 'Unix seconds; at most 5 minutes off.',
  })
  @ApiHeader({
    name: 'webhook-signature',
    required: true,
    description: 'Space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.',
  })
  @ApiBody({ type: WebhookEnvelopeDto })
  @ApiAcceptedResponse({ type: WebhookIntakeView, description: 'Stored and queued; processed shortly.' })
  @ApiOkResponse({
    type: WebhookIntakeView,
    description: 'A repeated webhook-id: the first delivery, not run again.',
  })
  @ApiResponse({ status: 400, ...problem('Problem: bad_request (signed, but not JSON)') })
  @ApiResponse({
    status: 401,
    ...problem('Problem: unauthorized (headers missing, signature or timestamp wrong)'),
  })
  @ApiResponse({ status: 404, ...problem('Problem: not_found (no such source)') })
  @ApiResponse({ status: 413, ...problem('Problem: payload_too_large') })
  @ApiResponse({ status: 415, ...problem('Problem: unsupported_media_type (send application/json)') })
  @ApiResponse({
    status: 422,
    ...problem(
      'Problem: validation_failed (unknown type, or data failing validation); stored as a failed event',
    ),
  })
  @ApiResponse({ status: 500, ...problem('Problem: internal') })
  async receive(
    @Param('sourceId') sourceId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookIntakeView> {
    const raw = request.rawBody ?? Buffer.alloc(0);
    const answer = await this.intake.accept(sourceId, request.headers, raw, String(request.id));
    void reply.code(answer.statusCode);
    return answer.body;
  }
}
