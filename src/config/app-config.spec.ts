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

  it('reads the rate limits and refuses a negative one', () => {
    const config = loadConfig({ ...valid, RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_WINDOW_SECONDS: '1' });
    expect([config.rateLimitPerKey, config.rateLimitPerTenant, config.rateLimitWindowSeconds]).toEqual([
      0, 12000, 1,
    ]);
    expect(() => loadConfig({ ...valid, RATE_LIMIT_PER_TENANT: '-1' })).toThrow(
      /RATE_LIMIT_PER_TENANT must be/,
    );
    expect(() => loadConfig({ ...valid, RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(
      /RATE_LIMIT_WINDOW_SECONDS/,
    );
  });

  it('reads CORS_ORIGINS as a list of origins and refuses one with a path', () => {
    expect(loadConfig(valid).corsOrigins).toEqual([]);
    const config = loadConfig({
      ...valid,
      CORS_ORIGINS: 'https://portal.example.com, http://127.0.0.1:5173',
    });
    expect(config.corsOrigins).toEqual(['https://portal.example.com', 'http://127.0.0.1:5173']);
    expect(() => loadConfig({ ...valid, CORS_ORIGINS: 'https://portal.example.com/app' })).toThrow(
      /CORS_ORIGINS must be a comma-separated list of origins/,
    );
  });
});
