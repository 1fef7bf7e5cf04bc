import type { ProviderDescriptor } from '../provider-adapter';
import { PROVIDER } from './hostway.errors';

/** What GET /v1/providers says about Hostway: connection fields, extras, stored fields, mapping notes. */
export const HOSTWAY_DESCRIPTOR: ProviderDescriptor = {
  name: PROVIDER,
  displayName: 'Hostway',
  services: ['mail'],
  credentials: [
    { name: 'username', required: true, description: 'Hostway API user (HTTP Basic auth).' },
    { name: 'password', required: true, description: 'Password of the Hostway API user.' },
  ],
  settings: [
    { name: 'account', required: true, description: 'Hostway account owning the domains and mailboxes.' },
    {
      name: 'checkDomain',
      required: false,
      description:
        'A domain of the account; the connection check reads it (GET /accounts/{account}/email/{checkDomain}).',
    },
  ],
  extras: [
    {
      name: 'master',
      on: 'mailbox',
      type: '0 | 1',
      description:
        "Hostway's master flag. Read in mailbox.extras; set with extras.master on user create/update or mailbox.extras.master on a mailbox patch.",
    },
    {
      name: 'trialType',
      on: 'mailbox',
      type: 'standard | activesync | premium',
      description:
        'Trial mailbox type, when the mailbox is on a trial. Read-only: the Hostway API has no way to set it.',
    },
    {
      name: 'trialExpiration',
      on: 'mailbox',
      type: 'date (YYYY-MM-DD)',
      description: 'End of the trial period. Read-only.',
    },
  ],
  userFields: ['quotaMb', 'plan', 'webmailAccess'],
  limits: { maxConcurrency: 4, maxRequestsPerSecond: 20 },
  notes: [
    'A user is a Hostway mailbox: email = {mailboxName}@{domain} under settings.account; mailbox names match [a-zA-Z0-9._-]+ (checked before any call).',
    'Hostway stores no first, last or display name: firstName, lastName and displayName are accepted on create and update so a portal written for a vendor that requires names works unchanged, but nothing is sent to Hostway and the user returned has no name fields.',
    'Hostway has no additional addresses on a mailbox: a non-empty aliases on a user answers 422 validation_failed (forwards are the aliases resource).',
    'mailbox: quotaMb ↔ quota (MB), usedMb ↔ usage, plan ↔ type (standard|activesync|premium); webmailAccess is the same Hostway value (the listing shows type as webmailAccess with details=1), so plan and webmailAccess must agree when both are set. spamLevel and antivirus are not supported (422).',
    'status is always active (Hostway has no disabled state); externalId is the address.',
    "Listing users needs ?domain= (422 without it). q is a * pattern on the mailbox name (a domain part, if given, must match domain); sort email → sortField username, quota → quota; limit and cursor become page/pageSize, and paging follows Hostway's next link. Without a cursor the page size is limit; with one, the page size stored in the cursor.",
    'Password rules checked before the call (422 naming each rule): 8–128 characters, an upper-case letter, a lower-case letter, a digit and an ASCII special character. The Hostway reference documents no forbidden prefixes, so none are enforced. A password is required on create.',
    'Create checks that the mailbox does not exist (GET …/mailbox) before PUT …/mailbox, so a duplicate is 409 conflict rather than an overwrite; update and mailbox patch check that it exists.',
    'Aliases are Hostway forwards: the alias address is the mailbox address and its recipients are the forward targets. get = GET …/forwards (no targets = not found); put replaces targets (POST new, DELETE removed); add = POST; remove = DELETE …/forwards/{target}; delete removes every target. An alias needs an existing mailbox. Hostway answers 409 for a delivery loop (→ conflict). Listing aliases needs ?domain= and reads the forwards of each mailbox on a page, so a page may hold fewer than limit aliases.',
    "Domains: get = GET /accounts/{account}/email/{domain} (kind explicit). Hostway has no call to list, create or delete an account's domains: those answer 501 unsupported_operation. Hostway's domain-name aliases are not exposed.",
    'Connection check: GET /accounts/{account}/email/{settings.checkDomain} when checkDomain is set; otherwise GET of a reserved .invalid domain, where 404 proves only that the credentials were accepted.',
  ],
};
