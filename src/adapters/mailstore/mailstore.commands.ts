import { GatewayError, type FieldError } from '../../domain/errors';

/** Wire types of the Management API reference; a trailing `?` marks an optional (nullable) argument. */
export type MailStoreArgType = 'string' | 'number' | 'bool' | 'json';
export type MailStoreArgSpec = MailStoreArgType | `${MailStoreArgType}?`;

export interface MailStoreCommandSpec {
  /** Takes `instanceID`, which the client fills from the connection's `settings.instanceId`. */
  instanceScoped: boolean;
  /** Every argument except `instanceID`, in the reference's order. */
  args: Readonly<Record<string, MailStoreArgSpec>>;
}

/**
 * Every command of the MailStore SPE Management API reference (vendors/mailstore-spe-management-api.txt),
 * transcribed once: the client refuses anything this table does not allow before a byte is sent,
 * and a spec compares it with `get-metadata` so that drift shows up.
 */
export const MAILSTORE_COMMANDS = {
  AttachStore: {
    instanceScoped: true,
    args: {
      name: 'string',
      databasePath: 'string',
      contentPath: 'string?',
      indexPath: 'string?',
      requestedState: 'string?',
    },
  },
  CancelJobAsync: { instanceScoped: true, args: { id: 'number' } },
  ClearUserPrivilegesOnFolders: { instanceScoped: true, args: { userName: 'string' } },
  CompactStore: { instanceScoped: true, args: { id: 'number' } },
  CreateClientAccessServer: { instanceScoped: false, args: { config: 'json' } },
  CreateClientOneTimeUrlForArchiveAdmin: { instanceScoped: true, args: { instanceUrl: 'string?' } },
  CreateDirectoryOnInstanceHost: { instanceScoped: false, args: { serverName: 'string', path: 'string' } },
  CreateInstance: { instanceScoped: false, args: { config: 'json' } },
  CreateInstanceHost: { instanceScoped: false, args: { config: 'json' } },
  CreateJob: {
    instanceScoped: true,
    args: {
      name: 'string?',
      action: 'string?',
      owner: 'string?',
      timeZoneId: 'string?',
      date: 'string?',
      interval: 'number?',
      time: 'string?',
      dayOfWeek: 'string?',
      dayOfMonth: 'string?',
    },
  },
  CreateLicenseRequest: { instanceScoped: false, args: {} },
  CreateProfile: { instanceScoped: true, args: { properties: 'json', raw: 'bool' } },
  CreateStore: {
    instanceScoped: true,
    args: {
      name: 'string',
      databasePath: 'string',
      contentPath: 'string?',
      indexPath: 'string?',
      requestedState: 'string?',
    },
  },
  CreateSystemAdministrator: { instanceScoped: false, args: { config: 'json', password: 'string' } },
  CreateSystemAdministratorAPIPassword: { instanceScoped: false, args: {} },
  CreateUser: {
    instanceScoped: true,
    args: {
      userName: 'string',
      privileges: 'string',
      fullName: 'string?',
      distinguishedName: 'string?',
      authentication: 'string?',
      password: 'string?',
    },
  },
  DeactivateSystemAdministratorMFA: { instanceScoped: false, args: { userName: 'string' } },
  DeleteClientAccessServer: { instanceScoped: false, args: { serverName: 'string' } },
  DeleteEmptyFolders: { instanceScoped: true, args: { folder: 'string?' } },
  DeleteInstanceHost: { instanceScoped: false, args: { serverName: 'string' } },
  DeleteInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  DeleteJob: { instanceScoped: true, args: { id: 'string?' } },
  DeleteProfile: { instanceScoped: true, args: { id: 'number' } },
  DeleteSystemAdministrator: { instanceScoped: false, args: { userName: 'string' } },
  DeleteUser: { instanceScoped: true, args: { userName: 'string' } },
  DetachStore: { instanceScoped: true, args: { id: 'number' } },
  FreezeInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  GetArchiveAdminEnabled: { instanceScoped: true, args: {} },
  GetChildFolders: { instanceScoped: true, args: { folder: 'string?', maxLevels: 'number?' } },
  GetClientAccessServers: {
    instanceScoped: false,
    args: { serverNameFilter: 'string?', withServiceStatus: 'bool' },
  },
  GetComplianceConfiguration: { instanceScoped: true, args: {} },
  GetDirectoriesOnInstanceHost: { instanceScoped: false, args: { serverName: 'string', path: 'string?' } },
  GetDirectoryServicesConfiguration: { instanceScoped: true, args: {} },
  GetEnvironmentInfo: { instanceScoped: false, args: {} },
  GetFolderStatistics: { instanceScoped: true, args: {} },
  GetIndexConfiguration: { instanceScoped: true, args: {} },
  GetInstanceConfiguration: { instanceScoped: true, args: {} },
  GetInstanceHosts: { instanceScoped: false, args: { serverNameFilter: 'string?' } },
  GetInstanceProcessLiveStatistics: { instanceScoped: true, args: {} },
  GetInstanceStatistics: { instanceScoped: true, args: {} },
  GetInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  GetJobResults: {
    instanceScoped: true,
    args: { fromIncluding: 'string', toExcluding: 'string', timeZoneId: 'string', jobId: 'number?' },
  },
  GetJobs: { instanceScoped: true, args: {} },
  GetProfiles: { instanceScoped: true, args: { raw: 'bool' } },
  GetServiceStatus: { instanceScoped: false, args: {} },
  GetSmtpSettings: { instanceScoped: true, args: {} },
  GetStoreAutoCreateConfiguration: { instanceScoped: true, args: {} },
  GetStores: { instanceScoped: true, args: { includeSize: 'bool?' } },
  GetSystemAdministrators: { instanceScoped: false, args: {} },
  GetSystemSmtpConfiguration: { instanceScoped: false, args: {} },
  GetTimeZones: { instanceScoped: true, args: {} },
  GetUserInfo: { instanceScoped: true, args: { userName: 'string' } },
  GetUsers: { instanceScoped: true, args: {} },
  GetWorkerResults: {
    instanceScoped: true,
    args: {
      fromIncluding: 'string',
      toExcluding: 'string',
      timeZoneID: 'string',
      profileID: 'number?',
      userName: 'string?',
    },
  },
  InitializeSystemAdministratorMFA: { instanceScoped: false, args: { userName: 'string' } },
  MaintainFileSystemDatabases: { instanceScoped: true, args: {} },
  MergeStore: { instanceScoped: true, args: { id: 'number', sourceId: 'number' } },
  MoveFolder: { instanceScoped: true, args: { fromFolder: 'string', toFolder: 'string' } },
  PairWithManagementServer: {
    instanceScoped: false,
    args: { serverType: 'string', serverName: 'string', port: 'number', thumbprint: 'string' },
  },
  Ping: { instanceScoped: false, args: {} },
  RebuildSelectedStoreIndexes: { instanceScoped: true, args: {} },
  RecoverStore: {
    instanceScoped: true,
    args: { id: 'number', encryptionKey: 'string?', recoverDeletedMessages: 'bool?' },
  },
  RecreateRecoveryRecords: { instanceScoped: true, args: { id: 'number' } },
  RefreshAllStoreStatistics: { instanceScoped: true, args: {} },
  ReloadBranding: { instanceScoped: false, args: {} },
  RenameJob: { instanceScoped: true, args: { id: 'number?', name: 'string?' } },
  RenameStore: { instanceScoped: true, args: { id: 'number', name: 'string' } },
  RenameUser: { instanceScoped: true, args: { oldUserName: 'string', newUserName: 'string' } },
  RepairStoreDatabase: { instanceScoped: true, args: { id: 'number' } },
  RestartInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  RetryOpenStores: { instanceScoped: true, args: {} },
  RunJobAsync: { instanceScoped: true, args: { id: 'number' } },
  RunProfile: { instanceScoped: true, args: { id: 'number' } },
  RunTemporaryProfile: { instanceScoped: true, args: { properties: 'json', raw: 'bool' } },
  SelectAllStoreIndexesForRebuild: { instanceScoped: true, args: {} },
  SetArchiveAdminEnabled: { instanceScoped: true, args: { enabled: 'bool' } },
  SetClientAccessServerConfiguration: { instanceScoped: false, args: { config: 'json' } },
  SetComplianceConfiguration: { instanceScoped: true, args: { config: 'json' } },
  SetDirectoryServicesConfiguration: { instanceScoped: true, args: { config: 'json' } },
  SetIndexConfiguration: { instanceScoped: true, args: { config: 'json' } },
  SetInstanceConfiguration: { instanceScoped: false, args: { config: 'json' } },
  SetInstanceHostConfiguration: { instanceScoped: false, args: { config: 'json' } },
  SetJobEnabled: { instanceScoped: true, args: { id: 'number?', enabled: 'bool?' } },
  SetJobSchedule: {
    instanceScoped: false,
    args: {
      id: 'number',
      timeZoneId: 'string',
      date: 'string?',
      interval: 'number?',
      time: 'string?',
      dayOfWeek: 'string?',
      dayOfMonth: 'string?',
    },
  },
  SetProfileServerSideExecution: {
    instanceScoped: true,
    args: {
      id: 'number',
      automatic: 'bool',
      automaticPauseBetweenExecutions: 'number?',
      automaticMaintenanceWindows: 'string?',
    },
  },
  SetSmtpSettings: { instanceScoped: true, args: { settings: 'json' } },
  SetStoreAutoCreateConfiguration: { instanceScoped: true, args: { config: 'json' } },
  SetStorePath: {
    instanceScoped: true,
    args: { id: 'number', databasePath: 'string', contentPath: 'string?', indexPath: 'string?' },
  },
  SetStoreRequestedState: { instanceScoped: true, args: { id: 'number', requestedState: 'string' } },
  SetSystemAdministratorConfiguration: { instanceScoped: false, args: { config: 'json' } },
  SetSystemAdministratorPassword: { instanceScoped: false, args: { userName: 'string', password: 'string' } },
  SetSystemSmtpConfiguration: { instanceScoped: false, args: { config: 'json' } },
  SetUserAuthentication: { instanceScoped: true, args: { userName: 'string', authentication: 'string' } },
  SetUserDistinguishedName: {
    instanceScoped: true,
    args: { userName: 'string', distinguishedName: 'string?' },
  },
  SetUserEmailAddresses: { instanceScoped: true, args: { userName: 'string', emailAddresses: 'string?' } },
  SetUserFullName: { instanceScoped: true, args: { userName: 'string', fullName: 'string?' } },
  SetUserPassword: { instanceScoped: true, args: { userName: 'string', password: 'string' } },
  SetUserPop3UserNames: { instanceScoped: true, args: { userName: 'string', pop3UserNames: 'string?' } },
  SetUserPrivileges: { instanceScoped: true, args: { userName: 'string', privileges: 'string' } },
  SetUserPrivilegesOnFolder: {
    instanceScoped: true,
    args: { userName: 'string', folder: 'string', privileges: 'string' },
  },
  StartInstances: { instanceScoped: false, args: { instanceFilter: 'string', safeMode: 'bool?' } },
  StopInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  SyncUsersWithDirectoryServices: { instanceScoped: true, args: { dryRun: 'bool?' } },
  TestSmtpSettings: { instanceScoped: true, args: {} },
  TestSystemSmtpConfiguration: { instanceScoped: false, args: {} },
  ThawInstances: { instanceScoped: false, args: { instanceFilter: 'string' } },
  UpgradeStore: { instanceScoped: true, args: { id: 'number' } },
  VerifyStore: { instanceScoped: true, args: { id: 'number', includeIndexes: 'bool' } },
  VerifyStores: { instanceScoped: true, args: { includeIndexes: 'bool' } },
} as const satisfies Record<string, MailStoreCommandSpec>;

export type MailStoreCommand = keyof typeof MAILSTORE_COMMANDS;

export type MailStoreArgValue = string | number | boolean | object | null | undefined;
export type MailStoreArgs = Readonly<Record<string, MailStoreArgValue>>;

/** One command as `POST /api/get-metadata` lists it. */
export interface MailStoreCommandMetadata {
  name: string;
  args: { name: string; type: string; nullable: boolean }[];
}

const INSTANCE_ID = 'instanceID';

function isMailStoreCommand(command: string): command is MailStoreCommand {
  return Object.prototype.hasOwnProperty.call(MAILSTORE_COMMANDS, command);
}

/** Reading commands are safe to repeat, so the HTTP client may retry them. */
export function isReadOnlyCommand(command: MailStoreCommand): boolean {
  return command.startsWith('Get') || command === 'Ping';
}

function parseSpec(spec: MailStoreArgSpec): { type: MailStoreArgType; optional: boolean } {
  const optional = spec.endsWith('?');
  return { type: (optional ? spec.slice(0, -1) : spec) as MailStoreArgType, optional };
}

function encodeValue(
  type: MailStoreArgType,
  value: Exclude<MailStoreArgValue, null | undefined>,
): string | null {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
    case 'bool':
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : null;
    case 'json':
      return typeof value === 'object' ? JSON.stringify(value) : null;
  }
}

const TYPE_WORDS: Record<MailStoreArgType, string> = {
  string: 'a string',
  number: 'a finite number',
  bool: 'a boolean',
  json: 'an object or array (sent as a JSON string)',
};

/**
 * Turns a command's arguments into the form fields MailStore expects (lowercase booleans, decimal
 * numbers, JSON strings, nulls left out, `instanceID` first), or throws `validation_failed` naming
 * the command and every bad argument.
 */
export function encodeCommandArgs(
  command: string,
  args: MailStoreArgs,
  instanceId: string | undefined,
): Record<string, string> {
  if (!isMailStoreCommand(command)) {
    throw GatewayError.validation(
      [{ field: 'command', message: `unknown MailStore command '${command}'` }],
      `MailStore command '${command}' is not in the Management API catalogue.`,
    );
  }
  const spec: MailStoreCommandSpec = MAILSTORE_COMMANDS[command];
  const errors: FieldError[] = [];
  for (const name of Object.keys(args)) {
    if (name === INSTANCE_ID) {
      errors.push({
        field: name,
        message: `${command}: instanceID comes from the connection's settings.instanceId`,
      });
    } else if (!(name in spec.args)) {
      errors.push({ field: name, message: `${command} has no argument '${name}'` });
    }
  }
  const form: Record<string, string> = {};
  if (spec.instanceScoped) {
    if (!instanceId) {
      errors.push({
        field: 'settings.instanceId',
        message: `${command} needs the connection's settings.instanceId`,
      });
    } else {
      form[INSTANCE_ID] = instanceId;
    }
  }
  for (const [name, argSpec] of Object.entries(spec.args)) {
    const { type, optional } = parseSpec(argSpec);
    const value = args[name];
    if (value === null || value === undefined) {
      if (!optional)
        errors.push({ field: name, message: `${command} requires argument '${name}' (${type})` });
      continue;
    }
    const encoded = encodeValue(type, value);
    if (encoded === null) {
      errors.push({ field: name, message: `${command}: argument '${name}' must be ${TYPE_WORDS[type]}` });
    } else {
      form[name] = encoded;
    }
  }
  if (errors.length > 0) {
    throw GatewayError.validation(
      errors,
      `MailStore ${command} refused before sending: ${errors.map((e) => e.message).join('; ')}.`,
    );
  }
  return form;
}

/** Differences between the catalogue and a server's `get-metadata` answer; empty when they agree. */
export function diffCatalogueWithMetadata(metadata: readonly MailStoreCommandMetadata[]): string[] {
  const differences: string[] = [];
  const served = new Map(metadata.map((m) => [m.name, m]));
  for (const name of Object.keys(MAILSTORE_COMMANDS)) {
    if (!served.has(name)) differences.push(`${name}: in the catalogue, not on the server`);
  }
  for (const entry of metadata) {
    if (!isMailStoreCommand(entry.name)) {
      differences.push(`${entry.name}: on the server, not in the catalogue`);
      continue;
    }
    const spec: MailStoreCommandSpec = MAILSTORE_COMMANDS[entry.name];
    const expected = new Map<string, { type: MailStoreArgType; optional: boolean }>(
      Object.entries(spec.args).map(([name, s]) => [name, parseSpec(s)]),
    );
    if (spec.instanceScoped) expected.set(INSTANCE_ID, { type: 'string', optional: false });
    for (const arg of entry.args) {
      const mine = expected.get(arg.name);
      if (!mine) {
        differences.push(`${entry.name}.${arg.name}: on the server, not in the catalogue`);
      } else if (mine.type !== arg.type || mine.optional !== arg.nullable) {
        differences.push(
          `${entry.name}.${arg.name}: catalogue ${mine.type}${mine.optional ? '?' : ''}, server ${arg.type}${arg.nullable ? '?' : ''}`,
        );
      }
      expected.delete(arg.name);
    }
    for (const name of expected.keys())
      differences.push(`${entry.name}.${name}: in the catalogue, not on the server`);
  }
  return differences;
}
