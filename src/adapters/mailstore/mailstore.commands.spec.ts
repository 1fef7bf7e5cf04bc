import { GatewayError } from '../../domain/errors';
import { createMailStoreSimulator } from '../../../simulators/mailstore/mailstore.simulator';
import {
  MAILSTORE_COMMANDS,
  diffCatalogueWithMetadata,
  encodeCommandArgs,
  isReadOnlyCommand,
  type MailStoreCommandMetadata,
} from './mailstore.commands';

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('MailStore command catalogue', () => {
  it('holds every command of the reference page', () => {
    expect(Object.keys(MAILSTORE_COMMANDS)).toHaveLength(109);
    expect(MAILSTORE_COMMANDS.VerifyStore).toEqual({
      instanceScoped: true,
      args: { id: 'number', includeIndexes: 'bool' },
    });
    expect(MAILSTORE_COMMANDS.Ping).toEqual({ instanceScoped: false, args: {} });
  });

  it('agrees with the simulator’s get-metadata, command for command and argument for argument', async () => {
    const sim = createMailStoreSimulator();
    try {
      const response = await sim.app.inject({
        method: 'POST',
        url: '/api/get-metadata',
        headers: { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}` },
      });
      const metadata = JSON.parse(response.body.replace(/^\uFEFF/, '')) as MailStoreCommandMetadata[];
      expect(diffCatalogueWithMetadata(metadata)).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('reports drift in either direction', () => {
    const differences = diffCatalogueWithMetadata([
      {
        name: 'VerifyStore',
        args: [
          { name: 'instanceID', type: 'string', nullable: false },
          { name: 'id', type: 'string', nullable: false },
          { name: 'deep', type: 'bool', nullable: true },
        ],
      },
      { name: 'BrandNewCommand', args: [] },
    ]);
    expect(differences).toEqual(
      expect.arrayContaining([
        'VerifyStore.id: catalogue number, server string',
        'VerifyStore.deep: on the server, not in the catalogue',
        'VerifyStore.includeIndexes: in the catalogue, not on the server',
        'BrandNewCommand: on the server, not in the catalogue',
        'Ping: in the catalogue, not on the server',
      ]),
    );
  });

  it('marks Get* and Ping as read-only', () => {
    expect(isReadOnlyCommand('GetStores')).toBe(true);
    expect(isReadOnlyCommand('Ping')).toBe(true);
    expect(isReadOnlyCommand('VerifyStore')).toBe(false);
  });
});

describe('encodeCommandArgs', () => {
  it('encodes lowercase booleans, decimal numbers, JSON strings, instanceID first, nulls left out', () => {
    expect(encodeCommandArgs('VerifyStore', { id: 12, includeIndexes: true }, 'i1')).toEqual({
      instanceID: 'i1',
      id: '12',
      includeIndexes: 'true',
    });
    const form = encodeCommandArgs('SetSmtpSettings', { settings: { port: 587, tls: false } }, 'i1');
    expect(form).toEqual({ instanceID: 'i1', settings: '{"port":587,"tls":false}' });
    expect(Object.keys(form)[0]).toBe('instanceID');
    expect(encodeCommandArgs('SetUserFullName', { userName: 'a', fullName: null }, 'i1')).toEqual({
      instanceID: 'i1',
      userName: 'a',
    });
    expect(encodeCommandArgs('GetStores', { includeSize: false }, 'i1')).toEqual({
      instanceID: 'i1',
      includeSize: 'false',
    });
    expect(encodeCommandArgs('Ping', {}, undefined)).toEqual({});
  });

  it('refuses an unknown command', () => {
    const error = refusal(() => encodeCommandArgs('VerifyEverything', {}, 'i1'));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/VerifyEverything/);
  });

  it('refuses an unknown argument, naming command and argument', () => {
    const error = refusal(() =>
      encodeCommandArgs('VerifyStore', { id: 1, includeIndexes: true, deep: true }, 'i1'),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual([{ field: 'deep', message: "VerifyStore has no argument 'deep'" }]);
  });

  it('refuses a missing mandatory argument (null counts as missing)', () => {
    const error = refusal(() => encodeCommandArgs('VerifyStore', { id: 1, includeIndexes: null }, 'i1'));
    expect(error.errors).toEqual([
      { field: 'includeIndexes', message: "VerifyStore requires argument 'includeIndexes' (bool)" },
    ]);
  });

  it.each([
    ['VerifyStore', { id: '1', includeIndexes: true }, 'id'],
    ['VerifyStore', { id: Number.NaN, includeIndexes: true }, 'id'],
    ['VerifyStore', { id: 1, includeIndexes: 'true' }, 'includeIndexes'],
    ['RenameStore', { id: 1, name: 7 }, 'name'],
    ['SetSmtpSettings', { settings: '{"port":587}' }, 'settings'],
  ])('refuses an ill-typed argument of %s', (command, args, field) => {
    const error = refusal(() => encodeCommandArgs(command, args, 'i1'));
    expect(error.errors?.map((e) => e.field)).toEqual([field]);
    expect(error.detail).toContain(command);
  });

  it('refuses instanceID as an argument and a missing settings.instanceId', () => {
    expect(refusal(() => encodeCommandArgs('GetUsers', { instanceID: 'x' }, 'i1')).errors?.[0].field).toBe(
      'instanceID',
    );
    expect(refusal(() => encodeCommandArgs('GetUsers', {}, undefined)).errors?.[0].field).toBe(
      'settings.instanceId',
    );
  });
});
