import { GatewayError, type ErrorCode } from '../../src/domain/errors';

/** Awaits a call that must fail with a GatewayError of `code`, and returns the error. */
export async function expectGatewayError(promise: Promise<unknown>, code: ErrorCode): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).code).toBe(code);
  return error as GatewayError;
}
