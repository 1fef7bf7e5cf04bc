import type { Readable } from 'node:stream';
import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationPipe } from '../../common/http/request-validation.pipe';
import { acceptLongUpload } from '../../common/http/route-bodies';
import { GatewayError } from '../../domain/errors';
import { CreateMigrationDto, CsvMigrationQueryDto } from './migrations.dto';

/** An upload as its content type brought it: a validated JSON envelope, or CSV options and the unread body. */
export type MigrationUpload =
  { kind: 'json'; body: CreateMigrationDto } | { kind: 'csv'; query: CsvMigrationQueryDto; body: Readable };

const validation = new RequestValidationPipe();

/** Validates what the content type calls for: the JSON body, or (for CSV) the query holding the options. */
class MigrationUploadPipe implements PipeTransform {
  async transform(request: FastifyRequest): Promise<MigrationUpload> {
    if (request.bodyStream) {
      const query = (await validation.transform(request.query, {
        type: 'query',
        metatype: CsvMigrationQueryDto,
      })) as CsvMigrationQueryDto;
      acceptLongUpload(request);
      return { kind: 'csv', query, body: request.bodyStream };
    }
    const stray = Object.keys((request.query ?? {}) as object);
    if (stray.length) {
      throw GatewayError.validation(
        stray.map((field) => ({
          field,
          message: 'is a CSV option; a JSON upload takes its options in the body',
        })),
      );
    }
    if (request.body === undefined)
      throw GatewayError.validation([{ field: 'body', message: 'send a JSON body or a text/csv upload' }]);
    const body = (await validation.transform(request.body, {
      type: 'body',
      metatype: CreateMigrationDto,
    })) as CreateMigrationDto;
    return { kind: 'json', body };
  }
}

const upload = createParamDecorator((_: unknown, context: ExecutionContext): FastifyRequest =>
  context.switchToHttp().getRequest<FastifyRequest>(),
);

/** The migration upload of `POST /v1/tenants/{t}/migrations`, in either format. */
export const MigrationUploadParam = (): ParameterDecorator => upload(undefined, new MigrationUploadPipe());
