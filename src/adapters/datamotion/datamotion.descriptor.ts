import type { ProviderDescriptor } from '../provider-adapter';
import { FIELD_LIMITS } from './datamotion.mapper';

export const DATAMOTION_DESCRIPTOR: ProviderDescriptor = {
  name: 'datamotion',
  displayName: 'DataMotion SecureMail (Secure Message Center API)',
  services: ['secure-mail'],
  credentials: [
    {
      name: 'userIdOrEmail',
      required: true,
      description: 'The company administrator who logs on (Account/Logon UserIdOrEmail).',
    },
    { name: 'password', required: true, description: "The administrator's password." },
    {
      name: 'subscriptionKey',
      required: true,
      description: 'The API gateway subscription key, sent as Ocp-Apim-Subscription-Key on every call.',
    },
  ],
  settings: [
    {
      name: 'companyId',
      required: true,
      positiveInteger: true,
      description: "The administrator's DataMotion company (MigrateUsers CompanyId), a positive integer.",
    },
    {
      name: 'userTypeId',
      required: true,
      positiveInteger: true,
      description: 'The user type new users get (MigrateUsers UserTypeId), a positive integer.',
    },
    {
      name: 'remoteBaseUrl',
      required: false,
      url: true,
      description:
        'The company-admin /Remote API (e.g. https://ssl.datamotion.com/Remote); reading, listing and deleting users need it.',
    },
  ],
  extras: [
    {
      name: 'userId',
      on: 'user',
      type: 'string',
      description: `DataMotion UserId (at most ${FIELD_LIMITS.UserId} characters); defaults to the email.`,
    },
    {
      name: 'userTypeId',
      on: 'user',
      type: 'integer',
      description:
        "The user's type (MigrateUsers UserTypeId); overrides the connection's settings.userTypeId.",
    },
    {
      name: 'createDate',
      on: 'user',
      type: 'string',
      description: 'The account creation date DataMotion records, as YYYY-MM-DD hh:mm:ss[.nnn].',
    },
    {
      name: 'companyId',
      on: 'user',
      type: 'integer',
      description: "Read-only: the account's DataMotion company.",
    },
    { name: 'uid', on: 'user', type: 'integer', description: 'Read-only: the DataMotion user id (Uid).' },
  ],
  userFields: ['externalId', 'firstName', 'lastName'],
  inputLimits: {
    maxLength: {
      email: FIELD_LIMITS.Email,
      externalId: FIELD_LIMITS.UserTag,
      firstName: FIELD_LIMITS.FirstName,
      lastName: FIELD_LIMITS.LastName,
    },
  },
  limits: { maxConcurrency: 4, maxRequestsPerSecond: 10 },
  notes: [
    `externalId is DataMotion's UserTag (at most ${FIELD_LIMITS.UserTag} characters) and defaults to the email; POST /users accepts it.`,
    'Create and change go through Account/MigrateUsers, one user per call; a per-user Status other than 0 becomes the matching problem with the Status and Details in detail.',
    'Get, list and delete use the company-admin /Remote API and need settings.remoteBaseUrl; without it they answer 501.',
    'With remoteBaseUrl set, creating a user whose email already has an account answers 409 before any change. Without it DataMotion cannot be asked first, and MigrateUsers updates the account that already holds the UserTag (its Action is reported as extras.action).',
    'A change addresses the account whose UserTag is the email in the path; an unknown one is a 404 (MigrateUsers is sent without Email, so it cannot create one).',
    'Lists are ordered by email ascending only (sort=quota and order=desc answer 422); q and domain filter on the address.',
    'Names are kept (at most 50 characters each); displayName is accepted and not stored; aliases and mailbox settings are refused (422).',
  ],
};
