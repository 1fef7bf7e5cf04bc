import { GatewayError, type ErrorCode } from '../../domain/errors';
import type { VendorResponse } from '../../domain/ports/vendor-http.port';
import { retryAfterSeconds } from '../http';

export const PROVIDER = 'datamotion';

/** What one per-user MigrateUsers `Status` means in the neutral API. */
export interface StatusMeaning {
  /** The reference's name of the code (its `Status` description). */
  name: string;
  code: ErrorCode;
  /** Whether sending the same user again may succeed (the vendor failed, not the request). */
  retryable: boolean;
}

const rejected = (name: string): StatusMeaning => ({ name, code: 'provider_rejected', retryable: false });
const conflict = (name: string): StatusMeaning => ({ name, code: 'conflict', retryable: false });
const forbidden = (name: string): StatusMeaning => ({ name, code: 'forbidden', retryable: false });
const unavailable = (name: string): StatusMeaning => ({
  name,
  code: 'provider_unavailable',
  retryable: true,
});

/**
 * Every per-user Status of `vendors/datamotion-smc-migrate-users.txt` but 0 (success): validation
 * failures are the request's fault, company and user-type mismatches are not the admin's to make,
 * duplicates are conflicts, and unexpected exceptions and lookups that failed on DataMotion's side
 * may pass on another try (a repeat is safe: MigrateUsers is keyed by UserTag).
 */
export const MIGRATE_STATUS: Readonly<Record<number, StatusMeaning>> = {
  10: unavailable('GeneralFailure'),
  20: rejected('OuterRequestDataModelValidationFailed'),
  30: unavailable('CompanyIdRetrievalFailed'),
  40: forbidden('CompanyIdInRequestBodyAndSessionKeyMismatch'),
  50: rejected('UserTypeIdDoesNotExist'),
  60: forbidden('CannotMigrateUserIntoIntegratorUserType'),
  70: rejected('NoValidUsersCollection'),
  80: rejected('InnerRequestDataModelValidationFailed'),
  90: rejected('CreateFieldValidationFailed'),
  100: rejected('UpdateFieldValidationFailed'),
  110: conflict('CreateUserIdAlreadyExists'),
  120: conflict('CreateEmailAlreadyExists'),
  130: conflict('CreateUserIdAndEmailAlreadyExist'),
  140: conflict('CreateUserTagInsertUserTagAlreadyExists'),
  150: unavailable('CreateFailedToSetCreateDate'),
  155: forbidden('CreateUserTypeIdNotAssociatedWithSpecifiedCompanyId'),
  160: unavailable('CreateUnexpectedExceptionOccurred'),
  170: unavailable('UpdateUserInformationRetrievalFailed'),
  175: forbidden('UpdateCompanyIdAssociatedWithUserTagAndSessionKeyMismatch'),
  180: conflict('UpdateUserIdAlreadyExists'),
  190: conflict('UpdateEmailAlreadyExists'),
  200: unavailable('UpdateFailedToSetCreateDate'),
  210: unavailable('UpdateUnexpectedExceptionOccurred'),
  220: unavailable('UserMigrationValidationCouldNotGetMigratedUserData'),
  230: unavailable('UserMigrationValidationCouldNotGetMigratedUserDataException'),
};

/** A per-user failure of MigrateUsers, with the vendor's Status and Details in the detail. */
export function migrateStatusError(userTag: string, status: number, details: string): GatewayError {
  const meaning: StatusMeaning = MIGRATE_STATUS[status] ?? {
    name: 'unknown status',
    code: 'provider_rejected',
    retryable: false,
  };
  const said = details ? `: ${details}` : '';
  return new GatewayError(
    meaning.code,
    `DataMotion MigrateUsers status ${status} (${meaning.name}) for UserTag '${userTag}'${said}`,
    {
      provider: PROVIDER,
      retryable: meaning.retryable,
      status: meaning.code === 'provider_unavailable' ? 502 : undefined,
    },
  );
}

/**
 * The vendor's words in an error answer: DataMotion's `{"Message"}` (a guess: the reference gives
 * only the texts), API Management's `{"message"}`, the /Remote API's `{"Errors": {field: [messages]}}`,
 * or a short plain-text body. Nothing else is passed on.
 */
export function vendorMessage(response: VendorResponse): string {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    const text = response.text.trim();
    return text.length > 0 && text.length <= 300 && !text.startsWith('<') ? text : '';
  }
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  for (const field of ['Message', 'message']) {
    if (typeof record[field] === 'string') return record[field] as string;
  }
  const errors = record.Errors;
  if (errors && typeof errors === 'object') {
    return Object.entries(errors as Record<string, unknown>)
      .flatMap(([field, messages]) =>
        (Array.isArray(messages) ? messages : [messages])
          .filter((m): m is string => typeof m === 'string')
          .map((m) => `${field}: ${m}`),
      )
      .join('; ');
  }
  return '';
}

/** A 401 that a fresh session cures: the key expired, or DataMotion no longer knows it. */
export function isStaleSession(response: VendorResponse): boolean {
  return response.status === 401 && /session key expired|bad session key/i.test(vendorMessage(response));
}

/** Any answer outside 2xx; `call` names the request (e.g. `Account/Logon`), `what` the resource for 404s. */
export function mapHttpFailure(
  response: VendorResponse,
  call: string,
  what = 'The DataMotion account',
): GatewayError {
  const { status } = response;
  const message = vendorMessage(response);
  const said = message ? ` DataMotion said: ${message}` : '';
  const options = { provider: PROVIDER };
  if (status === 401 || status === 403) {
    return new GatewayError(
      'provider_auth_failed',
      `DataMotion refused the connection's credentials (HTTP ${status}) for ${call}.${said}`,
      options,
    );
  }
  if (status === 404) return new GatewayError('not_found', `${what} was not found.${said}`, options);
  if (status === 429) {
    return new GatewayError('rate_limited', `DataMotion is rate limiting requests (${call}).${said}`, {
      ...options,
      retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
    });
  }
  if (status >= 500) {
    return new GatewayError(
      'provider_unavailable',
      `DataMotion answered HTTP ${status} for ${call}.${said}`,
      {
        ...options,
        status: status === 503 || status === 504 ? status : 502,
        retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
      },
    );
  }
  return new GatewayError(
    'provider_rejected',
    `DataMotion refused ${call} (HTTP ${status}).${said}`,
    options,
  );
}

/** A 2xx answer that is not what the API documents. */
export function malformedAnswer(call: string): GatewayError {
  return new GatewayError('provider_unavailable', `DataMotion sent an unreadable answer for ${call}.`, {
    provider: PROVIDER,
    status: 502,
  });
}

/** MigrateUsers answered without a result for a user it was sent (the user may or may not have been migrated). */
export function missingResult(userTag: string): GatewayError {
  return new GatewayError(
    'provider_unavailable',
    `DataMotion MigrateUsers returned no result for UserTag '${userTag}'.`,
    {
      provider: PROVIDER,
      status: 502,
      retryable: true,
    },
  );
}
