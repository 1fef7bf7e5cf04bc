import { METADATA_BY_NAME, type SimCommandMetadata } from './mailstore-metadata';
import type { OperationRunner, OperationStep } from './mailstore-operations';
import {
  AUTHENTICATIONS,
  FOLDER_PRIVILEGES,
  PRIVILEGES,
  STORE_STATES,
  addStore,
  type MailStoreState,
  type SimInstance,
  type SimOperation,
  type SimStore,
  type SimUser,
  type StoreState,
} from './mailstore-state';

/** A MailStore `failed` answer: the message goes into the envelope's `error`. */
export class CommandFailure extends Error {}

/** Parsed arguments: strings, numbers, booleans, or parsed JSON. */
export type Args = Map<string, unknown>;

export interface CommandContext {
  state: MailStoreState;
  runner: OperationRunner;
  verifyDurationMs: number;
  compactDurationMs: number;
}

/** A finished command's result, or a long-running command's operation. */
export type CommandOutcome = { result: unknown } | { operation: SimOperation };

/** Checks the form fields against the command's metadata, the way the server's binder does. */
export function parseArgs(meta: SimCommandMetadata, form: Record<string, string>): Args {
  const args: Args = new Map();
  const known = new Set(meta.args.map((a) => a.name));
  for (const name of Object.keys(form)) {
    if (!known.has(name)) throw new CommandFailure(`Unknown argument '${name}' for command '${meta.name}'.`);
  }
  for (const arg of meta.args) {
    const raw = form[arg.name];
    if (raw === undefined) {
      if (!arg.nullable) throw new CommandFailure(`Missing required argument '${arg.name}'.`);
      continue;
    }
    switch (arg.type) {
      case 'string':
        args.set(arg.name, raw);
        break;
      case 'number':
        if (!/^-?\d+(\.\d+)?$/.test(raw)) {
          throw new CommandFailure(
            `Argument '${arg.name}' has an invalid value '${raw}': a number is expected.`,
          );
        }
        args.set(arg.name, Number(raw));
        break;
      case 'bool':
        if (raw !== 'true' && raw !== 'false') {
          throw new CommandFailure(
            `Argument '${arg.name}' has an invalid value '${raw}': expected 'true' or 'false'.`,
          );
        }
        args.set(arg.name, raw === 'true');
        break;
      case 'json':
        try {
          args.set(arg.name, JSON.parse(raw));
        } catch {
          throw new CommandFailure(`Argument '${arg.name}' is not valid JSON.`);
        }
        break;
    }
  }
  return args;
}

type Handler = (ctx: CommandContext, args: Args, instance: SimInstance | null) => CommandOutcome;

const str = (args: Args, name: string): string => args.get(name) as string;
const optStr = (args: Args, name: string): string | undefined => args.get(name) as string | undefined;
const num = (args: Args, name: string): number => args.get(name) as number;
const done = (result: unknown = null): CommandOutcome => ({ result });

function need(instance: SimInstance | null): SimInstance {
  if (!instance) throw new CommandFailure('This command requires an instance.');
  return instance;
}

function findUser(instance: SimInstance, userName: string): SimUser {
  const user = instance.users.get(userName.toLowerCase());
  if (!user) throw new CommandFailure(`User '${userName}' does not exist.`);
  return user;
}

function findStore(instance: SimInstance, id: number): SimStore {
  const store = instance.stores.get(id);
  if (!store) throw new CommandFailure(`Archive store with ID ${id} does not exist.`);
  return store;
}

/** A comma-separated privilege list, which MailStore refuses empty. */
function privilegeList(list: string): string[] {
  const privileges = list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (privileges.length === 0) throw new CommandFailure('The list of privileges must not be empty.');
  return privileges;
}

function parsePrivileges(list: string): string[] {
  const privileges = privilegeList(list);
  for (const privilege of privileges) {
    if (!(PRIVILEGES as readonly string[]).includes(privilege)) {
      throw new CommandFailure(`Invalid privilege '${privilege}'.`);
    }
    if ((privilege === 'none' || privilege === 'admin') && privileges.length > 1) {
      throw new CommandFailure(`The privilege '${privilege}' must be the only value in the list.`);
    }
  }
  return privileges;
}

function parseFolderPrivileges(list: string): string[] {
  const privileges = privilegeList(list);
  for (const privilege of privileges) {
    if (!(FOLDER_PRIVILEGES as readonly string[]).includes(privilege)) {
      throw new CommandFailure(`Invalid folder privilege '${privilege}'.`);
    }
  }
  if (privileges.includes('none') && privileges.length > 1) {
    throw new CommandFailure(`The privilege 'none' must be the only value in the list.`);
  }
  return privileges;
}

function parseAuthentication(value: string): string {
  if (!(AUTHENTICATIONS as readonly string[]).includes(value)) {
    throw new CommandFailure(
      `Invalid authentication '${value}': expected 'integrated' or 'directoryServices'.`,
    );
  }
  return value;
}

function parseState(value: string): StoreState {
  if (!(STORE_STATES as readonly string[]).includes(value)) {
    throw new CommandFailure(`Invalid requested state '${value}'.`);
  }
  return value as StoreState;
}

function parseAddresses(list: string | undefined): string[] {
  const addresses = (list ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  for (const address of addresses) {
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw new CommandFailure(`Invalid e-mail address '${address}'.`);
  }
  return addresses;
}

function userInfo(user: SimUser): unknown {
  return {
    userName: user.userName,
    fullName: user.fullName,
    distinguishedName: user.distinguishedName,
    authentication: user.authentication,
    emailAddresses: user.emailAddresses,
    pop3UserNames: user.pop3UserNames,
    privileges: user.privileges.join(', '),
    privilegesOnFolders: Object.entries(user.folderPrivileges).map(([folder, privileges]) => ({
      folder,
      privileges: privileges.join(', '),
    })),
  };
}

function storeInfo(store: SimStore, includeSize: boolean): unknown {
  return {
    id: store.id,
    name: store.name,
    requestedState: store.requestedState,
    actualState: store.requestedState,
    databasePath: store.databasePath,
    contentPath: store.contentPath,
    indexPath: store.indexPath,
    size: includeSize ? store.sizeMb : null,
    error: null,
  };
}

function setRequestedState(instance: SimInstance, store: SimStore, state: StoreState): void {
  if (state === 'current') {
    for (const other of instance.stores.values())
      if (other.requestedState === 'current') other.requestedState = 'normal';
  }
  store.requestedState = state;
}

function createStore(instance: SimInstance, args: Args): CommandOutcome {
  const name = str(args, 'name').trim();
  if (name.length === 0) throw new CommandFailure('The name of an archive store must not be empty.');
  const databasePath = str(args, 'databasePath');
  for (const existing of instance.stores.values()) {
    if (existing.name.toLowerCase() === name.toLowerCase()) {
      throw new CommandFailure(`An archive store with the name '${name}' already exists.`);
    }
    if (existing.databasePath.toLowerCase() === databasePath.toLowerCase()) {
      throw new CommandFailure(
        `The directory '${databasePath}' is already used by archive store '${existing.name}'.`,
      );
    }
  }
  const requested = optStr(args, 'requestedState');
  const state = requested === undefined ? 'normal' : parseState(requested);
  const store = addStore(instance, {
    name,
    requestedState: 'normal',
    databasePath,
    contentPath: optStr(args, 'contentPath'),
    indexPath: optStr(args, 'indexPath'),
    sizeMb: 0,
    problems: [],
  });
  setRequestedState(instance, store, state);
  return done(storeInfo(store, true));
}

function verificationReport(store: SimStore): unknown {
  return {
    id: store.id,
    name: store.name,
    consistent: store.problems.length === 0,
    problems: [...store.problems],
  };
}

function verify(
  ctx: CommandContext,
  instance: SimInstance,
  command: string,
  stores: SimStore[],
  indexes: boolean,
): CommandOutcome {
  ctx.state.verificationsStarted += 1;
  const steps: OperationStep[] = stores.map((store) => ({
    label: `Verifying archive store '${store.name}'${indexes ? ' and its search indexes' : ''}`,
    durationMs: store.verifyDurationMs ?? ctx.verifyDurationMs,
  }));
  return {
    operation: ctx.runner.start(instance.id, command, steps, () => ({
      stores: stores.map(verificationReport),
    })),
  };
}

const HANDLERS: Record<string, Handler> = {
  Ping: () => done(),
  GetServiceStatus: (ctx) =>
    done({
      managementServer: { status: 'running' },
      instanceHosts: [{ serverName: 'sim-host', status: 'running', instances: ctx.state.instances.size }],
    }),
  GetInstances: (ctx, args) => {
    const filter = str(args, 'instanceFilter').trim();
    const wanted = filter === '*' ? null : new Set(filter.split(/\s+/));
    return done(
      [...ctx.state.instances.values()]
        .filter((i) => wanted === null || wanted.has(i.id))
        .map((i) => ({ instanceID: i.id, alias: i.id, displayName: i.id, status: 'running' })),
    );
  },

  GetUsers: (_ctx, _args, instance) =>
    done(
      [...need(instance).users.values()]
        .sort((a, b) => a.userName.localeCompare(b.userName))
        .map((u) => ({ userName: u.userName, fullName: u.fullName, distinguishedName: u.distinguishedName })),
    ),
  GetUserInfo: (_ctx, args, instance) => done(userInfo(findUser(need(instance), str(args, 'userName')))),
  CreateUser: (_ctx, args, instance) => {
    const inst = need(instance);
    const userName = str(args, 'userName').trim();
    if (userName.length === 0) throw new CommandFailure('The user name must not be empty.');
    if (inst.users.has(userName.toLowerCase()))
      throw new CommandFailure(`User '${userName}' already exists.`);
    const authentication = optStr(args, 'authentication');
    const user: SimUser = {
      userName,
      fullName: optStr(args, 'fullName') ?? null,
      privileges: parsePrivileges(str(args, 'privileges')),
      authentication: authentication === undefined ? 'integrated' : parseAuthentication(authentication),
      emailAddresses: [],
      distinguishedName: optStr(args, 'distinguishedName') ?? null,
      pop3UserNames: [],
      folderPrivileges: {},
      password: optStr(args, 'password') ?? null,
    };
    inst.users.set(userName.toLowerCase(), user);
    return done();
  },
  DeleteUser: (_ctx, args, instance) => {
    const inst = need(instance);
    const user = findUser(inst, str(args, 'userName'));
    inst.users.delete(user.userName.toLowerCase());
    return done();
  },
  RenameUser: (_ctx, args, instance) => {
    const inst = need(instance);
    const user = findUser(inst, str(args, 'oldUserName'));
    const newName = str(args, 'newUserName').trim();
    if (newName.length === 0) throw new CommandFailure('The new user name must not be empty.');
    const clash = inst.users.get(newName.toLowerCase());
    if (clash && clash !== user) throw new CommandFailure(`User '${newName}' already exists.`);
    inst.users.delete(user.userName.toLowerCase());
    // The user's archive folder carries its name, so it (and the privileges on it) is renamed too.
    const own = user.folderPrivileges[user.userName.toLowerCase()];
    if (own) {
      delete user.folderPrivileges[user.userName.toLowerCase()];
      user.folderPrivileges[newName.toLowerCase()] = own;
    }
    user.userName = newName;
    inst.users.set(newName.toLowerCase(), user);
    return done();
  },
  SetUserFullName: (_ctx, args, instance) => {
    findUser(need(instance), str(args, 'userName')).fullName = optStr(args, 'fullName') ?? null;
    return done();
  },
  SetUserPassword: (_ctx, args, instance) => {
    findUser(need(instance), str(args, 'userName')).password = str(args, 'password');
    return done();
  },
  SetUserPrivileges: (_ctx, args, instance) => {
    const user = findUser(need(instance), str(args, 'userName'));
    user.privileges = parsePrivileges(str(args, 'privileges'));
    return done();
  },
  SetUserPrivilegesOnFolder: (_ctx, args, instance) => {
    const user = findUser(need(instance), str(args, 'userName'));
    const folder = str(args, 'folder').trim();
    if (folder.length === 0) throw new CommandFailure('The folder name must not be empty.');
    const privileges = parseFolderPrivileges(str(args, 'privileges'));
    if (privileges.includes('none')) delete user.folderPrivileges[folder.toLowerCase()];
    else user.folderPrivileges[folder.toLowerCase()] = privileges;
    return done();
  },
  ClearUserPrivilegesOnFolders: (_ctx, args, instance) => {
    findUser(need(instance), str(args, 'userName')).folderPrivileges = {};
    return done();
  },
  SetUserEmailAddresses: (_ctx, args, instance) => {
    const user = findUser(need(instance), str(args, 'userName'));
    user.emailAddresses = parseAddresses(optStr(args, 'emailAddresses'));
    return done();
  },
  SetUserAuthentication: (_ctx, args, instance) => {
    const user = findUser(need(instance), str(args, 'userName'));
    user.authentication = parseAuthentication(str(args, 'authentication'));
    return done();
  },
  SetUserDistinguishedName: (_ctx, args, instance) => {
    findUser(need(instance), str(args, 'userName')).distinguishedName =
      optStr(args, 'distinguishedName') ?? null;
    return done();
  },

  GetStores: (_ctx, args, instance) => {
    const includeSize = args.get('includeSize') !== false;
    return done([...need(instance).stores.values()].map((s) => storeInfo(s, includeSize)));
  },
  CreateStore: (_ctx, args, instance) => createStore(need(instance), args),
  AttachStore: (_ctx, args, instance) => createStore(need(instance), args),
  RenameStore: (_ctx, args, instance) => {
    const inst = need(instance);
    const store = findStore(inst, num(args, 'id'));
    const name = str(args, 'name').trim();
    if (name.length === 0) throw new CommandFailure('The name of an archive store must not be empty.');
    for (const other of inst.stores.values()) {
      if (other !== store && other.name.toLowerCase() === name.toLowerCase()) {
        throw new CommandFailure(`An archive store with the name '${name}' already exists.`);
      }
    }
    store.name = name;
    return done();
  },
  SetStoreRequestedState: (_ctx, args, instance) => {
    const inst = need(instance);
    setRequestedState(inst, findStore(inst, num(args, 'id')), parseState(str(args, 'requestedState')));
    return done();
  },
  DetachStore: (_ctx, args, instance) => {
    const inst = need(instance);
    const store = findStore(inst, num(args, 'id'));
    inst.stores.delete(store.id);
    return done();
  },
  RefreshAllStoreStatistics: (_ctx, _args, instance) => {
    need(instance);
    return done();
  },
  RepairStoreDatabase: (_ctx, args, instance) => {
    findStore(need(instance), num(args, 'id'));
    return done();
  },
  RetryOpenStores: (_ctx, _args, instance) => {
    need(instance);
    return done();
  },
  CompactStore: (ctx, args, instance) => {
    const inst = need(instance);
    const store = findStore(inst, num(args, 'id'));
    const steps = [{ label: `Compacting archive store '${store.name}'`, durationMs: ctx.compactDurationMs }];
    return { operation: ctx.runner.start(inst.id, 'CompactStore', steps, () => null) };
  },
  VerifyStore: (ctx, args, instance) => {
    const inst = need(instance);
    const store = findStore(inst, num(args, 'id'));
    return verify(ctx, inst, 'VerifyStore', [store], args.get('includeIndexes') === true);
  },
  VerifyStores: (ctx, args, instance) => {
    const inst = need(instance);
    const stores = [...inst.stores.values()];
    return verify(ctx, inst, 'VerifyStores', stores, args.get('includeIndexes') === true);
  },
};

/** Runs one documented command; throws CommandFailure for what MailStore answers as `failed`. */
export function runCommand(
  ctx: CommandContext,
  command: string,
  form: Record<string, string>,
): CommandOutcome {
  const meta = METADATA_BY_NAME.get(command);
  if (!meta) throw new Error(`unknown command ${command}`);
  const args = parseArgs(meta, form);
  let instance: SimInstance | null = null;
  if (meta.args.some((a) => a.name === 'instanceID')) {
    const id = str(args, 'instanceID');
    instance = ctx.state.instances.get(id) ?? null;
    if (!instance) throw new CommandFailure(`Instance '${id}' does not exist.`);
  }
  const handler = HANDLERS[command];
  if (!handler) throw new CommandFailure(`Command '${command}' is not supported by the MailStore simulator.`);
  return handler(ctx, args, instance);
}
