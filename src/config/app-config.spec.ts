import { ConfigError, loadConfig } from './app-config';

const valid = {
  ADMIN_API_KEY: 'a'.repeat(32),
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.queuePrefix).toBe('mailroom');
    expect(config.role).toBe('all');
    expect(config.allowPrivateHosts).toBe(false);
    expect(config.secretsKey).toHaveLength(32);
  });

  it('names a missing SECRETS_KEY', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: valid.ADMIN_API_KEY })).toThrow(/SECRETS_KEY is required/);
  });

  it('names a bad value without echoing it', () => {
    const run = () => loadConfig({ ...valid, SECRETS_KEY: 'c2hvcnQ=', ROLE: 'boss', PORT: 'x' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/SECRETS_KEY must be 32 bytes/);
    expect(run).toThrow(/ROLE must be one of/);
    expect(run).toThrow(/PORT/);
  });

  it('parses PROVIDER_ALLOW_PRIVATE_HOSTS strictly', () => {
    expect(loadConfig({ ...valid, PROVIDER_ALLOW_PRIVATE_HOSTS: 'true' }).allowPrivateHosts).toBe(true);
    expect(() => loadConfig({ ...valid, PROVIDER_ALLOW_PRIVATE_HOSTS: 'yes' })).toThrow(
      /PROVIDER_ALLOW_PRIVATE_HOSTS must be true or false/,
    );
  });
});
