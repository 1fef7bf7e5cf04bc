import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../../domain/errors';
import { toProblem } from './problem';
import { isLongUpload } from './route-bodies';

/** Largest header block Node's parser takes (its default); beyond it the request is a 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

function clientProblem(code: string | undefined): GatewayError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new GatewayError('bad_request', `The request headers exceed ${MAX_HEADER_BYTES / 1024} KiB.`, {
      status: 431,
    });
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new GatewayError('bad_request', 'The request did not arrive in time.', { status: 408 });
  return new GatewayError('bad_request', 'The request is not well-formed HTTP.');
}

/**
 * Requests Node's HTTP parser refuses (oversized headers, malformed framing, a body that never
 * finishes) never reach a route: they get a problem+json with a fresh request id, and since
 * the connection cannot be reused, `Connection: close` before it is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A streamed upload being read by its route may take longer than a request (see acceptLongUpload).
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && isLongUpload(socket)) return;
  if (socket.writable) {
    const requestId = randomUUID();
    const problem = toProblem(clientProblem(error.code), requestId);
    const body = JSON.stringify(problem.body);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Bad Request'}\r\n` +
        `content-type: ${problem.headers['content-type']}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
