import { GatewayError } from '../../domain/errors';
import { toGatewayError } from './problem';

describe('toGatewayError', () => {
  it('names the refusing route limit in a 413', () => {
    const tooLarge = { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 };
    expect(toGatewayError(tooLarge).detail).toBe('The request body is larger than 1 MiB.');
    expect(toGatewayError(tooLarge, 16 * 1024 * 1024)).toMatchObject({
      code: 'payload_too_large',
      status: 413,
      detail: 'The request body is larger than 16 MiB.',
    });
    expect(toGatewayError({ statusCode: 413 }, 1000).detail).toBe(
      'The request body is larger than 1000 bytes.',
    );
  });

  it('answers a reference broken by a concurrent delete with 404, naming no table or constraint', () => {
    const brokenReference = Object.assign(new Error('insert or update on table "connections" violates …'), {
      code: '23503',
      constraint: 'connections_tenant_id_fkey',
    });
    const error = toGatewayError(brokenReference);
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
    expect(error.detail).toBe('A resource this request refers to was not found.');
  });

  it('keeps any other database failure internal, without its message', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "secret_idx"'), {
      code: '23505',
    });
    const error = toGatewayError(unique);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('internal');
    expect(error.detail).not.toContain('secret_idx');
  });
});
