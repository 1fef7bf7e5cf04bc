import { randomUUID } from 'node:crypto';

/**
 * The v2 error codes of the Cloud Provisioning spec (info.description table): code → HTTP status
 * and message template (`%s` filled in order).
 */
export const OX_ERRORS = {
  1: [404, 'User not found'],
  2: [401, 'Authentication failed'],
  3: [404, 'Context "%s" not found'],
  4: [409, 'Either name or id parameter must be provided'],
  5: [400, 'Unknown error'],
  6: [503, "There's a maintenance ongoing, please try again later"],
  7: [409, 'Mandatory parameters missing: %s'],
  8: [409, 'Context "%s" already exists'],
  10: [503, 'One or more services not available'],
  11: [409, 'Either only unifiedQuota or mail- and fileQuota can be specified'],
  12: [409, 'Quota must be either omitted or a positive value'],
  13: [409, 'Invalid CoS values: %s'],
  15: [409, 'A parameter contains invalid characters "%s"'],
  20: [404, 'Login "%s" not found'],
  21: [404, 'Alias "%s" not found'],
  22: [404, 'Forward or recipient "%s" not found'],
  24: [400, 'Invalid mail address: "%s"'],
  25: [409, 'Maximum amount of external forward recipients exceeded'],
  27: [404, 'Shared domain "%s" not found'],
  28: [409, 'Shared domain "%s" already exists'],
  32: [409, 'User "%s" already exists'],
  33: [409, 'Mail address "%s" already in use'],
  36: [400, 'Invalid spamlevel "%s"'],
  37: [409, 'The list of aliases does not include the current mail address'],
  38: [409, 'Unable to create more users. The maximum amount of users for this context is %s'],
  39: [429, 'Rate limited, too many requests'],
  40: [409, 'The shared mail domain is already in use'],
  41: [409, 'Forward "%s" already exists'],
} as const satisfies Record<number, readonly [number, string]>;

export type OxErrorCode = keyof typeof OX_ERRORS;

export interface OxErrorBody {
  errors: [{ code: string; id: string; status: string; title: string }];
}

/** Thrown by simulator handlers; the error handler turns it into the v2 JSON:API body. */
export class OxSimError extends Error {
  readonly status: number;
  constructor(
    readonly code: OxErrorCode,
    ...args: string[]
  ) {
    const [status, template] = OX_ERRORS[code];
    let i = 0;
    super(template.replace(/%s/g, () => args[i++] ?? ''));
    this.status = status;
  }

  body(): OxErrorBody {
    return oxErrorBody(this.code, this.status, this.message);
  }
}

export function oxErrorBody(code: number, status: number, title: string): OxErrorBody {
  return { errors: [{ code: String(code), id: randomUUID(), status: String(status), title }] };
}

/** The body an injected fault answers with, in the v2 error shape. */
export function faultErrorBody(status: number): OxErrorBody {
  if (status === 429) return oxErrorBody(39, 429, OX_ERRORS[39][1]);
  if (status === 401) return oxErrorBody(2, 401, OX_ERRORS[2][1]);
  if (status === 503) return oxErrorBody(10, 503, OX_ERRORS[10][1]);
  return oxErrorBody(5, status, OX_ERRORS[5][1]);
}

/** Cloud-Plugins errors are plain `{"error": "..."}` bodies (reference page samples). */
export class PluginSimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
