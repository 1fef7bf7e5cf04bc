import type { ServicePorts } from '../domain/capabilities';
import type { ServiceKind } from '../domain/model';
import type { PasswordPolicy } from '../domain/password-rules';
import type { CallContext } from '../domain/ports/call-context';
import type { VendorHttpClientSource } from '../domain/ports/vendor-http.port';

/** A credential or setting a connection of this provider takes. */
export interface ConnectionFieldSpec {
  name: string;
  required: boolean;
  description: string;
  /** A URL the gateway calls: checked like `baseUrl` (http(s), no private hosts unless allowed). */
  url?: boolean;
  /** A positive integer, as a number or as digits (a vendor's numeric id). */
  positiveInteger?: boolean;
}

/** A vendor-specific field reachable through `extras`, documented under GET /v1/providers. */
export interface ExtraFieldSpec {
  name: string;
  /** Where the field lives in the neutral API. */
  on: 'user' | 'mailbox' | 'store';
  type: string;
  description: string;
}

/** A neutral, writable user or mailbox field that a vendor may or may not keep. */
export type UserField =
  | 'externalId'
  | 'firstName'
  | 'lastName'
  | 'displayName'
  | 'aliases'
  | 'quotaMb'
  | 'plan'
  | 'spamLevel'
  | 'antivirus'
  | 'webmailAccess';

export interface ProviderDescriptor {
  name: string;
  displayName: string;
  services: ServiceKind[];
  credentials: ConnectionFieldSpec[];
  settings: ConnectionFieldSpec[];
  extras: ExtraFieldSpec[];
  /**
   * The neutral fields this vendor keeps and returns. A name field (firstName, lastName,
   * displayName) not listed is still accepted on create and update, so a portal written for a
   * vendor that requires names works unchanged, but it is never returned; notes say what happens
   * to any other unlisted field.
   */
  userFields: UserField[];
  /** Plain-words notes on how the neutral API maps onto this vendor (what maps, what does not). */
  notes: string[];
  /** What the vendor refuses that can be known before any call; batch migrations check each row against it. */
  inputLimits?: UserInputLimits;
  /** Safe defaults for the `maxConcurrency` and `maxRequestsPerSecond` settings of a connection. */
  limits?: { maxConcurrency: number; maxRequestsPerSecond: number };
}

/** Vendor limits on user input, declared so they can be checked without a call. */
export interface UserInputLimits {
  /** The longest value the vendor accepts, in characters, per field. */
  maxLength?: Partial<Record<'email' | 'firstName' | 'lastName' | 'externalId' | 'plan', number>>;
  password?: PasswordPolicy;
}

/**
 * A provider: its descriptor, one port adapter per service it serves (the `ServicePorts` field
 * named by SERVICE_PORTS, e.g. `mail: new OpenXchangeMailAdapter()`), and the connection check.
 * Port adapters are classes without state of their own, so one instance serves every tenant; all
 * per-call state (connection, credentials, the vendor-call recorder) arrives in the CallContext.
 * What a provider supports is exactly the catalogue methods its port adapters implement.
 */
export interface ProviderAdapter extends Readonly<ServicePorts> {
  readonly descriptor: ProviderDescriptor;
  /** A cheap authenticated call proving the connection works; returns a short description. */
  check(ctx: CallContext): Promise<string>;
  /** Ends what the provider keeps open with vendors (e.g. DataMotion sessions), at shutdown, before the HTTP client closes. */
  close?(source: VendorHttpClientSource): Promise<void>;
}
