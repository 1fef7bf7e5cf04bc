import type { FieldError } from '../domain/errors';
import type { ConnectionFieldSpec, ProviderDescriptor } from './provider-adapter';

/** How hard the gateway may drive one connection's vendor. */
export interface ConnectionLimits {
  /** Vendor calls in flight at once. */
  maxConcurrency: number;
  /** Vendor calls started per second. */
  maxRequestsPerSecond: number;
}

/** For a provider whose descriptor names no limits of its own. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConcurrency: 4, maxRequestsPerSecond: 10 };

const BOUNDS = {
  maxConcurrency: { min: 1, max: 64, integer: true },
  maxRequestsPerSecond: { min: 0.1, max: 10_000, integer: false },
} as const;

/** The limits of a connection: its settings, else its provider's defaults, else the gateway's. */
export function connectionLimits(
  descriptor: Pick<ProviderDescriptor, 'limits'>,
  settings: Readonly<Record<string, unknown>>,
): ConnectionLimits {
  const defaults = { ...DEFAULT_CONNECTION_LIMITS, ...descriptor.limits };
  const pick = (name: keyof ConnectionLimits) =>
    typeof settings[name] === 'number' ? (settings[name] as number) : defaults[name];
  return { maxConcurrency: pick('maxConcurrency'), maxRequestsPerSecond: pick('maxRequestsPerSecond') };
}

/** The limit settings every provider accepts, described with the provider's defaults. */
export function limitSettingSpecs(descriptor: Pick<ProviderDescriptor, 'limits'>): ConnectionFieldSpec[] {
  const defaults = { ...DEFAULT_CONNECTION_LIMITS, ...descriptor.limits };
  return [
    {
      name: 'maxConcurrency',
      required: false,
      description: `Vendor calls in flight at once on this connection, per gateway process (integer 1–64; default ${defaults.maxConcurrency}).`,
    },
    {
      name: 'maxRequestsPerSecond',
      required: false,
      description: `Vendor calls started per second on this connection, per gateway process (0.1–10000; default ${defaults.maxRequestsPerSecond}). Batch migrations run one job per connection at a time, so they keep to both limits.`,
    },
  ];
}

/** Problems with the limit settings among `settings` (other settings are not looked at). */
export function limitSettingErrors(settings: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, bound] of Object.entries(BOUNDS)) {
    const value = settings[name];
    if (value === undefined) continue;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= bound.min &&
      value <= bound.max &&
      (!bound.integer || Number.isInteger(value));
    if (!ok) {
      errors.push({
        field: `settings.${name}`,
        message: `must be ${bound.integer ? 'an integer' : 'a number'} from ${bound.min} to ${bound.max}`,
      });
    }
  }
  return errors;
}
