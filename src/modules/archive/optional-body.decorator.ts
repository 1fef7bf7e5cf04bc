import { createParamDecorator, type ExecutionContext, type PipeTransform, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationPipe } from '../../common/http/request-validation.pipe';
import { GatewayError } from '../../domain/errors';

/** Validates like any body, but an absent body counts as `{}`; anything but an object is refused. */
class OptionalBodyPipe implements PipeTransform {
  private readonly validation = new RequestValidationPipe();

  constructor(private readonly dto: Type) {}

  async transform(value: unknown): Promise<unknown> {
    const body = value ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw GatewayError.validation([{ field: 'body', message: 'the body must be a JSON object' }]);
    }
    // Validated as a query is: the same DTO rules, without the "a body is required" check.
    return this.validation.transform(body, { type: 'query', metatype: this.dto });
  }
}

const rawBody = createParamDecorator(
  (_: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<FastifyRequest>().body,
);

/** A request body that may be left out entirely (e.g. `POST …/verify` with no options). */
export const OptionalBody = (dto: Type): ParameterDecorator => rawBody(undefined, new OptionalBodyPipe(dto));
