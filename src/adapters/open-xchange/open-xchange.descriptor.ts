import type { ProviderDescriptor } from '../provider-adapter';
import { DEFAULT_PLUGINS_PATH_PREFIX } from './open-xchange.client';

/** What GET /v1/providers says about Open-Xchange: connection fields, extras, stored fields, mapping notes. */
export const OPEN_XCHANGE_DESCRIPTOR: ProviderDescriptor = {
  name: 'open-xchange',
  displayName: 'Open-Xchange App Suite (hosted)',
  services: ['mail'],
  credentials: [
    {
      name: 'username',
      required: true,
      description: 'Brand name for the Cloud Provisioning REST API v2 (HTTP Basic).',
    },
    { name: 'password', required: true, description: 'Brand password.' },
    {
      name: 'pluginsUsername',
      required: false,
      description: 'Cloud-Plugins admin user; the brand credentials are used when absent.',
    },
    { name: 'pluginsPassword', required: false, description: 'Cloud-Plugins admin password.' },
  ],
  settings: [
    {
      name: 'context',
      required: true,
      description: 'Context name; every v2 user and forward call selects it with ?name=.',
    },
    {
      name: 'contextId',
      required: false,
      description:
        'Numeric context id; needed for Cloud-Plugins features (antivirus, mailbox extras, explicit domains).',
    },
    {
      name: 'pluginsBaseUrl',
      required: false,
      url: true,
      description: 'Origin of the Cloud-Plugins API when it differs from baseUrl.',
    },
    {
      name: 'pluginsPathPrefix',
      required: false,
      description: `Where Cloud-Plugins is mounted (default ${DEFAULT_PLUGINS_PATH_PREFIX}; some deployments use /services or /api).`,
    },
  ],
  extras: [
    {
      name: 'classOfService',
      on: 'user',
      type: 'string[]',
      description: 'Classes of service after the first (the first is mailbox.plan).',
    },
    { name: 'language', on: 'user', type: 'string', description: 'Locale such as en_US.' },
    { name: 'timezone', on: 'user', type: 'string', description: 'Time zone such as Europe/Berlin.' },
    { name: 'msisdn', on: 'mailbox', type: 'string', description: 'Phone number (Cloud-Plugins msisdn).' },
    { name: 'custom', on: 'mailbox', type: 'string[]', description: 'Custom ids (Cloud-Plugins custom).' },
    {
      name: 'oxdeliverystatus',
      on: 'mailbox',
      type: 'string',
      description: 'Migration delivery status marker, e.g. OXAAS.',
    },
    {
      name: 'oxlegacyref',
      on: 'mailbox',
      type: 'string',
      description: 'Legacy system reference used during migrations.',
    },
    {
      name: 'oxantiphishing',
      on: 'mailbox',
      type: 'string',
      description: 'MTA-level anti-phishing mode, e.g. replace-urls.',
    },
    { name: 'quotamode', on: 'mailbox', type: 'string', description: 'Quota mode (read-only).' },
    {
      name: 'blacklist',
      on: 'mailbox',
      type: 'string[]',
      description: 'Blocked senders; a PATCH replaces the list.',
    },
    {
      name: 'whitelist',
      on: 'mailbox',
      type: 'string[]',
      description: 'Always-allowed senders; a PATCH replaces the list.',
    },
  ],
  userFields: [
    'firstName',
    'lastName',
    'displayName',
    'aliases',
    'quotaMb',
    'plan',
    'spamLevel',
    'antivirus',
  ],
  limits: { maxConcurrency: 8, maxRequestsPerSecond: 50 },
  notes: [
    'The user login is the email address; users whose login differs are found by their mail address.',
    'quotaMb is unifiedQuota, or mailQuota for users with separate mail and file quotas; usedMb follows the same choice.',
    'plan is the first class of service; the others are extras.classOfService.',
    'Aliases are OX mail forwards; an alias needs at least one recipient.',
    'Domains: kind "shared" are brand-wide shared domains (v2); kind "explicit" are Cloud-Plugins domains of the context.',
    'antivirus, the mailbox extras and explicit domains use Cloud-Plugins and need settings.contextId; without it they are absent.',
    'webmailAccess is not supported. Setting an extra to null removes it.',
  ],
};
