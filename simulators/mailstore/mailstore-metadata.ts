/**
 * What `POST /api/get-metadata` answers: the commands of the Management API reference, kept
 * here as its own transcription (not imported from the adapter) so that a spec comparing the two
 * catches drift on either side. Each entry: name, then `arg:type` words, `?` marking nullable.
 */
const COMMANDS: readonly (readonly [string, string])[] = [
  [
    'AttachStore',
    'instanceID:string name:string databasePath:string contentPath:string? indexPath:string? requestedState:string?',
  ],
  ['CancelJobAsync', 'instanceID:string id:number'],
  ['ClearUserPrivilegesOnFolders', 'instanceID:string userName:string'],
  ['CompactStore', 'instanceID:string id:number'],
  ['CreateClientAccessServer', 'config:json'],
  ['CreateClientOneTimeUrlForArchiveAdmin', 'instanceID:string instanceUrl:string?'],
  ['CreateDirectoryOnInstanceHost', 'serverName:string path:string'],
  ['CreateInstance', 'config:json'],
  ['CreateInstanceHost', 'config:json'],
  [
    'CreateJob',
    'instanceID:string name:string? action:string? owner:string? timeZoneId:string? date:string? interval:number? time:string? dayOfWeek:string? dayOfMonth:string?',
  ],
  ['CreateLicenseRequest', ''],
  ['CreateProfile', 'instanceID:string properties:json raw:bool'],
  [
    'CreateStore',
    'instanceID:string name:string databasePath:string contentPath:string? indexPath:string? requestedState:string?',
  ],
  ['CreateSystemAdministrator', 'config:json password:string'],
  ['CreateSystemAdministratorAPIPassword', ''],
  [
    'CreateUser',
    'instanceID:string userName:string privileges:string fullName:string? distinguishedName:string? authentication:string? password:string?',
  ],
  ['DeactivateSystemAdministratorMFA', 'userName:string'],
  ['DeleteClientAccessServer', 'serverName:string'],
  ['DeleteEmptyFolders', 'instanceID:string folder:string?'],
  ['DeleteInstanceHost', 'serverName:string'],
  ['DeleteInstances', 'instanceFilter:string'],
  ['DeleteJob', 'instanceID:string id:string?'],
  ['DeleteProfile', 'instanceID:string id:number'],
  ['DeleteSystemAdministrator', 'userName:string'],
  ['DeleteUser', 'instanceID:string userName:string'],
  ['DetachStore', 'instanceID:string id:number'],
  ['FreezeInstances', 'instanceFilter:string'],
  ['GetArchiveAdminEnabled', 'instanceID:string'],
  ['GetChildFolders', 'instanceID:string folder:string? maxLevels:number?'],
  ['GetClientAccessServers', 'serverNameFilter:string? withServiceStatus:bool'],
  ['GetComplianceConfiguration', 'instanceID:string'],
  ['GetDirectoriesOnInstanceHost', 'serverName:string path:string?'],
  ['GetDirectoryServicesConfiguration', 'instanceID:string'],
  ['GetEnvironmentInfo', ''],
  ['GetFolderStatistics', 'instanceID:string'],
  ['GetIndexConfiguration', 'instanceID:string'],
  ['GetInstanceConfiguration', 'instanceID:string'],
  ['GetInstanceHosts', 'serverNameFilter:string?'],
  ['GetInstanceProcessLiveStatistics', 'instanceID:string'],
  ['GetInstanceStatistics', 'instanceID:string'],
  ['GetInstances', 'instanceFilter:string'],
  [
    'GetJobResults',
    'instanceID:string fromIncluding:string toExcluding:string timeZoneId:string jobId:number?',
  ],
  ['GetJobs', 'instanceID:string'],
  ['GetProfiles', 'instanceID:string raw:bool'],
  ['GetServiceStatus', ''],
  ['GetSmtpSettings', 'instanceID:string'],
  ['GetStoreAutoCreateConfiguration', 'instanceID:string'],
  ['GetStores', 'instanceID:string includeSize:bool?'],
  ['GetSystemAdministrators', ''],
  ['GetSystemSmtpConfiguration', ''],
  ['GetTimeZones', 'instanceID:string'],
  ['GetUserInfo', 'instanceID:string userName:string'],
  ['GetUsers', 'instanceID:string'],
  [
    'GetWorkerResults',
    'instanceID:string fromIncluding:string toExcluding:string timeZoneID:string profileID:number? userName:string?',
  ],
  ['InitializeSystemAdministratorMFA', 'userName:string'],
  ['MaintainFileSystemDatabases', 'instanceID:string'],
  ['MergeStore', 'instanceID:string id:number sourceId:number'],
  ['MoveFolder', 'instanceID:string fromFolder:string toFolder:string'],
  ['PairWithManagementServer', 'serverType:string serverName:string port:number thumbprint:string'],
  ['Ping', ''],
  ['RebuildSelectedStoreIndexes', 'instanceID:string'],
  ['RecoverStore', 'instanceID:string id:number encryptionKey:string? recoverDeletedMessages:bool?'],
  ['RecreateRecoveryRecords', 'instanceID:string id:number'],
  ['RefreshAllStoreStatistics', 'instanceID:string'],
  ['ReloadBranding', ''],
  ['RenameJob', 'instanceID:string id:number? name:string?'],
  ['RenameStore', 'instanceID:string id:number name:string'],
  ['RenameUser', 'instanceID:string oldUserName:string newUserName:string'],
  ['RepairStoreDatabase', 'instanceID:string id:number'],
  ['RestartInstances', 'instanceFilter:string'],
  ['RetryOpenStores', 'instanceID:string'],
  ['RunJobAsync', 'instanceID:string id:number'],
  ['RunProfile', 'instanceID:string id:number'],
  ['RunTemporaryProfile', 'instanceID:string properties:json raw:bool'],
  ['SelectAllStoreIndexesForRebuild', 'instanceID:string'],
  ['SetArchiveAdminEnabled', 'instanceID:string enabled:bool'],
  ['SetClientAccessServerConfiguration', 'config:json'],
  ['SetComplianceConfiguration', 'instanceID:string config:json'],
  ['SetDirectoryServicesConfiguration', 'instanceID:string config:json'],
  ['SetIndexConfiguration', 'instanceID:string config:json'],
  ['SetInstanceConfiguration', 'config:json'],
  ['SetInstanceHostConfiguration', 'config:json'],
  ['SetJobEnabled', 'instanceID:string id:number? enabled:bool?'],
  [
    'SetJobSchedule',
    'id:number timeZoneId:string date:string? interval:number? time:string? dayOfWeek:string? dayOfMonth:string?',
  ],
  [
    'SetProfileServerSideExecution',
    'instanceID:string id:number automatic:bool automaticPauseBetweenExecutions:number? automaticMaintenanceWindows:string?',
  ],
  ['SetSmtpSettings', 'instanceID:string settings:json'],
  ['SetStoreAutoCreateConfiguration', 'instanceID:string config:json'],
  ['SetStorePath', 'instanceID:string id:number databasePath:string contentPath:string? indexPath:string?'],
  ['SetStoreRequestedState', 'instanceID:string id:number requestedState:string'],
  ['SetSystemAdministratorConfiguration', 'config:json'],
  ['SetSystemAdministratorPassword', 'userName:string password:string'],
  ['SetSystemSmtpConfiguration', 'config:json'],
  ['SetUserAuthentication', 'instanceID:string userName:string authentication:string'],
  ['SetUserDistinguishedName', 'instanceID:string userName:string distinguishedName:string?'],
  ['SetUserEmailAddresses', 'instanceID:string userName:string emailAddresses:string?'],
  ['SetUserFullName', 'instanceID:string userName:string fullName:string?'],
  ['SetUserPassword', 'instanceID:string userName:string password:string'],
  ['SetUserPop3UserNames', 'instanceID:string userName:string pop3UserNames:string?'],
  ['SetUserPrivileges', 'instanceID:string userName:string privileges:string'],
  ['SetUserPrivilegesOnFolder', 'instanceID:string userName:string folder:string privileges:string'],
  ['StartInstances', 'instanceFilter:string safeMode:bool?'],
  ['StopInstances', 'instanceFilter:string'],
  ['SyncUsersWithDirectoryServices', 'instanceID:string dryRun:bool?'],
  ['TestSmtpSettings', 'instanceID:string'],
  ['TestSystemSmtpConfiguration', ''],
  ['ThawInstances', 'instanceFilter:string'],
  ['UpgradeStore', 'instanceID:string id:number'],
  ['VerifyStore', 'instanceID:string id:number includeIndexes:bool'],
  ['VerifyStores', 'instanceID:string includeIndexes:bool'],
];

export interface SimArgMetadata {
  name: string;
  type: 'string' | 'number' | 'bool' | 'json';
  nullable: boolean;
}

export interface SimCommandMetadata {
  name: string;
  args: SimArgMetadata[];
}

export const MAILSTORE_METADATA: readonly SimCommandMetadata[] = COMMANDS.map(([name, args]) => ({
  name,
  args: args
    .split(' ')
    .filter((word) => word.length > 0)
    .map((word) => {
      const [argName, rawType] = word.split(':');
      const nullable = rawType.endsWith('?');
      return {
        name: argName,
        type: (nullable ? rawType.slice(0, -1) : rawType) as SimArgMetadata['type'],
        nullable,
      };
    }),
}));

export const METADATA_BY_NAME: ReadonlyMap<string, SimCommandMetadata> = new Map(
  MAILSTORE_METADATA.map((m) => [m.name, m]),
);
