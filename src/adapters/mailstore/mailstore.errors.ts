import { GatewayError } from '../../domain/errors';
import { ArchiveOperationUnknownError } from '../../domain/ports/archive-service.port';
import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { retryAfterSeconds } from '../http';

const PROVIDER = 'mailstore';

/** MailStore's wording for a missing user, store or instance. */
const NOT_FOUND = /does not exist|not found|unknown (user|instance|archive store|store)|no such/i;
const CONFLICT = /already exists|already in use|already used/i;

/** A `failed` envelope: MailStore's own message is kept in the detail. */
export function mapFailedCommand(command: string, message: string): GatewayError {
  const detail = `MailStore ${command} failed: ${message}`;
  if (NOT_FOUND.test(message)) return new GatewayError('not_found', detail, { provider: PROVIDER });
  if (CONFLICT.test(message)) return new GatewayError('conflict', detail, { provider: PROVIDER });
  return new GatewayError('provider_rejected', detail, { provider: PROVIDER });
}

/** Any non-200 answer of the Management API. `call` names what was asked (command or low-level call). */
export function mapHttpFailure(call: string, response: VendorResponse): GatewayError {
  const { status } = response;
  if (status === 401 || status === 403) {
    return new GatewayError(
      'provider_auth_failed',
      `MailStore refused the credentials (HTTP ${status}) for ${call}.`,
      {
        provider: PROVIDER,
      },
    );
  }
  if (status === 404 && call === 'get-status') {
    return new ArchiveOperationUnknownError('MailStore operation token unknown or expired.', PROVIDER);
  }
  if (status === 404 && call === 'cancel-async') {
    return new ArchiveOperationUnknownError(
      'MailStore operation token unknown or expired; nothing to cancel.',
      PROVIDER,
    );
  }
  if (status === 429) {
    return new GatewayError('rate_limited', `MailStore is rate limiting requests (${call}).`, {
      provider: PROVIDER,
      retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
    });
  }
  if (status >= 500) {
    return new GatewayError('provider_unavailable', `MailStore answered HTTP ${status} for ${call}.`, {
      provider: PROVIDER,
      status: status === 503 || status === 504 ? status : 502,
      retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
    });
  }
  if (status === 404) {
    return new GatewayError('provider_rejected', `MailStore does not know ${call} (HTTP 404).`, {
      provider: PROVIDER,
    });
  }
  return new GatewayError('provider_rejected', `MailStore answered HTTP ${status} for ${call}.`, {
    provider: PROVIDER,
  });
}

/** An answer that is not the documented envelope. */
export function malformedAnswer(call: string): GatewayError {
  return new GatewayError('provider_unavailable', `MailStore sent an unreadable answer for ${call}.`, {
    provider: PROVIDER,
    status: 502,
  });
}

/** A command that was expected to finish quickly and was still running after it was followed for a while. */
export function stillRunning(command: string): GatewayError {
  return new GatewayError(
    'provider_unavailable',
    `MailStore ${command} was still running; gave up waiting.`,
    {
      provider: PROVIDER,
      status: 504,
    },
  );
}
