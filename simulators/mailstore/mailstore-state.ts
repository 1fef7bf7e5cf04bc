/** In-memory MailStore SPE: instances holding archive stores and users, plus long-running operations. */

export const STORE_STATES = ['current', 'normal', 'writeProtected', 'disabled'] as const;
export type StoreState = (typeof STORE_STATES)[number];

export const PRIVILEGES = [
  'none',
  'admin',
  'login',
  'changePassword',
  'archive',
  'modifyArchiveProfiles',
  'export',
  'modifyExportProfiles',
  'delete',
] as const;

export const AUTHENTICATIONS = ['integrated', 'directoryServices'] as const;
/** SetUserPrivilegesOnFolder's values; `none` stands alone and removes every privilege on the folder. */
export const FOLDER_PRIVILEGES = ['none', 'read', 'write', 'delete'] as const;

export interface SimStore {
  id: number;
  name: string;
  requestedState: StoreState;
  databasePath: string;
  contentPath: string;
  indexPath: string;
  sizeMb: number;
  /** Planted inconsistencies VerifyStore reports; empty = consistent. */
  problems: string[];
  /** Overrides the simulator's verifyDurationMs for this store. */
  verifyDurationMs?: number;
}

export interface SimUser {
  userName: string;
  fullName: string | null;
  privileges: string[];
  authentication: string;
  emailAddresses: string[];
  distinguishedName: string | null;
  pop3UserNames: string[];
  /** Archive folder (by name, lower-cased) → the user's privileges on it; a new user has none. */
  folderPrivileges: Record<string, string[]>;
  /** Kept only to prove a password was set; never shown in /__sim/state. */
  password: string | null;
}

/**
 * Whether `userName` signing in with `password` may read the archive folder `folder`: it needs the
 * `login` privilege and `read` on that folder (an `admin` reads every folder).
 */
export function archiveAccess(
  instance: SimInstance,
  userName: string,
  password: string,
  folder: string,
): 'allowed' | 'unauthenticated' | 'forbidden' {
  const user = instance.users.get(userName.toLowerCase());
  if (!user || user.password === null || user.password !== password) return 'unauthenticated';
  if (user.privileges.includes('admin')) return 'allowed';
  if (!user.privileges.includes('login')) return 'unauthenticated';
  return user.folderPrivileges[folder.toLowerCase()]?.includes('read') ? 'allowed' : 'forbidden';
}

export interface SimInstance {
  id: string;
  nextStoreId: number;
  stores: Map<number, SimStore>;
  /** Keyed by lower-cased user name: MailStore user names are case-insensitive. */
  users: Map<string, SimUser>;
}

export interface SimOperation {
  token: string;
  command: string;
  instanceId: string;
  statusVersion: number;
  statusCode: 'running' | 'succeeded' | 'failed';
  percentProgress: number | null;
  statusText: string | null;
  result: unknown;
  error: { message: string } | null;
  cancelRequested: boolean;
  startedAt: number;
  finishedAt: number | null;
}

export interface SeedStore {
  name: string;
  requestedState?: StoreState;
  databasePath?: string;
  sizeMb?: number;
  problems?: string[];
  verifyDurationMs?: number;
}

export interface SeedUser {
  userName: string;
  fullName?: string;
  privileges?: string[];
  emailAddresses?: string[];
  authentication?: string;
  password?: string;
  folderPrivileges?: Record<string, string[]>;
}

export interface SeedInstance {
  id: string;
  stores?: SeedStore[];
  users?: SeedUser[];
}

export const DEFAULT_SEED: readonly SeedInstance[] = [
  {
    id: 'demo01',
    stores: [{ name: 'Archive 2025', requestedState: 'current', sizeMb: 512 }],
    users: [{ userName: 'admin', fullName: 'Administrator', privileges: ['admin'] }],
  },
];

export class MailStoreState {
  readonly instances = new Map<string, SimInstance>();
  readonly operations = new Map<string, SimOperation>();
  /** How many VerifyStore/VerifyStores runs were started: lets job tests prove no second run began. */
  verificationsStarted = 0;
  /** Tokens a `cancel-async` arrived for, in order. */
  readonly cancelRequests: string[] = [];

  constructor(private readonly seed: readonly SeedInstance[]) {
    this.load();
  }

  reset(): void {
    this.instances.clear();
    this.operations.clear();
    this.verificationsStarted = 0;
    this.cancelRequests.length = 0;
    this.load();
  }

  private load(): void {
    for (const seed of this.seed) {
      const instance: SimInstance = { id: seed.id, nextStoreId: 1, stores: new Map(), users: new Map() };
      this.instances.set(seed.id, instance);
      for (const store of seed.stores ?? []) {
        addStore(instance, {
          name: store.name,
          requestedState: store.requestedState ?? 'normal',
          databasePath: store.databasePath ?? `D:\\MailArchive\\${seed.id}\\${store.name}`,
          sizeMb: store.sizeMb ?? 0,
          problems: [...(store.problems ?? [])],
          verifyDurationMs: store.verifyDurationMs,
        });
      }
      for (const user of seed.users ?? []) {
        instance.users.set(user.userName.toLowerCase(), {
          userName: user.userName,
          fullName: user.fullName ?? null,
          privileges: user.privileges ?? ['login'],
          authentication: user.authentication ?? 'integrated',
          emailAddresses: user.emailAddresses ?? [],
          distinguishedName: null,
          pop3UserNames: [],
          folderPrivileges: Object.fromEntries(
            Object.entries(user.folderPrivileges ?? {}).map(([folder, p]) => [folder.toLowerCase(), [...p]]),
          ),
          password: user.password ?? null,
        });
      }
    }
  }

  snapshot(): unknown {
    return {
      instances: [...this.instances.values()].map((i) => ({
        id: i.id,
        stores: [...i.stores.values()],
        users: [...i.users.values()].map(({ password, ...user }) => ({
          ...user,
          hasPassword: password !== null,
        })),
      })),
      operations: [...this.operations.values()],
      verificationsStarted: this.verificationsStarted,
      cancelRequests: [...this.cancelRequests],
    };
  }
}

export function addStore(
  instance: SimInstance,
  store: Omit<SimStore, 'id' | 'contentPath' | 'indexPath'> & { contentPath?: string; indexPath?: string },
): SimStore {
  const created: SimStore = {
    ...store,
    id: instance.nextStoreId++,
    contentPath: store.contentPath ?? store.databasePath,
    indexPath: store.indexPath ?? store.databasePath,
  };
  instance.stores.set(created.id, created);
  return created;
}
