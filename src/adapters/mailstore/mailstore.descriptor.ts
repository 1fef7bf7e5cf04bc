import type { ProviderDescriptor } from '../provider-adapter';
import {
  MAILSTORE_AUTHENTICATIONS,
  MAILSTORE_FOLDER_PRIVILEGES,
  MAILSTORE_PRIVILEGES,
} from './mailstore.mapper';

/** What GET /v1/providers says about MailStore SPE: connection fields, extras, stored fields, mapping notes. */
export const MAILSTORE_DESCRIPTOR: ProviderDescriptor = {
  name: 'mailstore',
  displayName: 'MailStore Service Provider Edition',
  services: ['archive'],
  credentials: [
    { name: 'username', required: true, description: 'SPE administrator user name.' },
    {
      name: 'password',
      required: true,
      description: "The administrator's password, or its separate API password when MFA is on.",
    },
  ],
  settings: [
    {
      name: 'instanceId',
      required: true,
      description: 'The MailStore instance (instanceID) every instance-scoped command runs in.',
    },
  ],
  extras: [
    {
      name: 'privileges',
      on: 'user',
      type: 'string[]',
      description: `Global privileges (${MAILSTORE_PRIVILEGES.join(', ')}); 'none' and 'admin' stand alone. Default on create: ['login'].`,
    },
    {
      name: 'authentication',
      on: 'user',
      type: 'string',
      description: `How the user signs in: ${MAILSTORE_AUTHENTICATIONS.join(' or ')}.`,
    },
    {
      name: 'distinguishedName',
      on: 'user',
      type: 'string',
      description: 'LDAP DN for directory-services users.',
    },
    {
      name: 'archiveFolderPrivileges',
      on: 'user',
      type: 'string[]',
      description: `Privileges on the user's own archive folder (the folder named after the user), granted with SetUserPrivilegesOnFolder: ${MAILSTORE_FOLDER_PRIVILEGES.join(', ')}; 'none' stands alone and removes them. Default on create: ['read'].`,
    },
  ],
  userFields: ['displayName', 'aliases'],
  limits: { maxConcurrency: 2, maxRequestsPerSecond: 20 },
  notes: [
    "An archive user's email is its MailStore user name; aliases are its further e-mail addresses (MailStore keeps the user's own address first).",
    'MailStore keeps one full name: displayName wins, else firstName and lastName joined; firstName and lastName are not returned.',
    "status is 'active' when the user holds the login or admin privilege, 'disabled' otherwise.",
    'Listing users costs one GetUserInfo call per user on the page (GetUsers lacks addresses and privileges); sort=quota sorts by name.',
    'Store ids are MailStore archive store ids. Detaching leaves the store files on disk.',
    'Verification and compaction run in MailStore and are followed by token (get-status long-polls); cancel asks MailStore to stop.',
  ],
};
