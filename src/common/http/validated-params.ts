import { Body as NestBody, Query as NestQuery } from '@nestjs/common';
import { RequestValidationPipe } from './request-validation.pipe';

const validation = new RequestValidationPipe();

/**
 * A request body, validated against its DTO class. Validation is attached to the bodies and
 * queries that need it rather than installed globally, so that path parameters and injected
 * values do not each pass through Nest's pipe machinery on every request.
 */
export const Body = (): ParameterDecorator => NestBody(validation);

/** The query string, validated against its DTO class (see `Body`). */
export const Query = (): ParameterDecorator => NestQuery(validation);
