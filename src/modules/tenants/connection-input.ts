import { ipLiteral, isPrivateAddress } from '../../adapters/http/address-guard';
import { limitSettingErrors, limitSettingSpecs } from '../../adapters/connection-limits';
import type { ProviderDescriptor } from '../../adapters/provider-adapter';
import { positiveInteger } from '../../adapters/setting-values';
import { GatewayError, type FieldError } from '../../domain/errors';
import type { ServiceKind } from '../../domain/model';

const MAX_VALUE_LENGTH = 2048;
const LOCAL_NAMES = /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i;

/**
 * The one check for every URL a connection holds (`baseUrl` and each setting declared `url: true`):
 * http(s) only, no embedded credentials, no query or fragment; loopback and private hosts only
 * when PROVIDER_ALLOW_PRIVATE_HOSTS allows them.
 */
export function checkVendorUrl(field: string, raw: string, allowPrivateHosts: boolean): FieldError | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { field, message: 'must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { field, message: 'must use http or https' };
  if (url.username || url.password)
    return { field, message: 'must not contain credentials; use `credentials`' };
  if (url.hash || url.search) return { field, message: 'must not contain a query or fragment' };
  if (!allowPrivateHosts) {
    const literal = ipLiteral(url.hostname);
    if ((literal && isPrivateAddress(literal)) || LOCAL_NAMES.test(url.hostname)) {
      return { field, message: 'points at a loopback or private address, which is not allowed' };
    }
  }
  return null;
}

/**
 * Credentials and settings checked against what the provider declares: required present, nothing
 * unknown, URL-valued fields checked with checkVendorUrl, numeric ids as positive integers.
 */
export function checkFields(
  kind: 'credentials' | 'settings',
  values: Record<string, unknown>,
  descriptor: ProviderDescriptor,
  allowPrivateHosts: boolean,
): { errors: FieldError[]; clean: Record<string, string | number | boolean> } {
  const specs =
    kind === 'settings' ? [...descriptor.settings, ...limitSettingSpecs(descriptor)] : descriptor.credentials;
  const errors: FieldError[] = [];
  const clean: Record<string, string | number | boolean> = {};
  // Settings may be numbers or booleans (e.g. an OX contextId); credentials are always strings.
  const scalarAllowed = kind === 'settings';
  for (const [name, value] of Object.entries(values)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      errors.push({
        field: `${kind}.${name}`,
        message: `is not a ${kind === 'credentials' ? 'credential' : 'setting'} of ${descriptor.name}`,
      });
    } else if (spec.url) {
      const urlError =
        typeof value === 'string' && value.length <= MAX_VALUE_LENGTH
          ? checkVendorUrl(`${kind}.${name}`, value, allowPrivateHosts)
          : { field: `${kind}.${name}`, message: 'must be an absolute http or https URL' };
      if (urlError) errors.push(urlError);
      else clean[name] = value as string;
    } else if (spec.positiveInteger) {
      const number = positiveInteger(value);
      if (number === null) errors.push({ field: `${kind}.${name}`, message: 'must be a positive integer' });
      else clean[name] = number;
    } else if (
      scalarAllowed &&
      (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
    ) {
      clean[name] = value;
    } else if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH) {
      errors.push({
        field: `${kind}.${name}`,
        message: `must be a non-empty string of at most ${MAX_VALUE_LENGTH} characters`,
      });
    } else {
      clean[name] = value;
    }
  }
  for (const spec of specs) {
    if (spec.required && values[spec.name] === undefined)
      errors.push({ field: `${kind}.${spec.name}`, message: 'is required' });
  }
  if (kind === 'settings') {
    const named = new Set(errors.map((e) => e.field));
    errors.push(...limitSettingErrors(values).filter((e) => !named.has(e.field)));
  }
  return { errors, clean };
}

export function checkServices(services: ServiceKind[], descriptor: ProviderDescriptor): FieldError[] {
  return services
    .filter((s) => !descriptor.services.includes(s))
    .map((s) => ({ field: 'services', message: `${descriptor.name} cannot hold the ${s} service` }));
}

export function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw GatewayError.validation(errors);
}
