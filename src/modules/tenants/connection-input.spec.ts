import type { ProviderDescriptor } from '../../adapters/provider-adapter';
import { checkFields, checkVendorUrl } from './connection-input';

const descriptor = {
  name: 'vendor',
  settings: [
    { name: 'account', required: true, description: '' },
    { name: 'remoteUrl', required: false, description: '', url: true },
    { name: 'companyId', required: false, description: '', positiveInteger: true },
  ],
  credentials: [],
} as unknown as ProviderDescriptor;

describe('checkVendorUrl', () => {
  it.each([
    'http://127.0.0.1:8080',
    'http://[::1]/x',
    'http://10.1.2.3',
    'http://169.254.169.254/latest',
    'http://[::ffff:127.0.0.1]',
    'http://localhost:3000',
    'http://vendor.internal',
  ])('refuses the private or loopback host of %s unless allowed', (url) => {
    expect(checkVendorUrl('settings.remoteUrl', url, false)).toEqual({
      field: 'settings.remoteUrl',
      message: 'points at a loopback or private address, which is not allowed',
    });
    expect(checkVendorUrl('settings.remoteUrl', url, true)).toBeNull();
  });

  it.each(['file:///etc/passwd', 'gopher://vendor.example', 'ftp://vendor.example', 'vendor.example', ''])(
    'refuses %s, which is no http(s) URL, even when private hosts are allowed',
    (url) => expect(checkVendorUrl('baseUrl', url, true)?.field).toBe('baseUrl'),
  );

  it('takes a public https URL', () => {
    expect(checkVendorUrl('baseUrl', 'https://vendor.example/api', false)).toBeNull();
  });
});

describe('checkFields', () => {
  it('checks every setting declared url: true with checkVendorUrl', () => {
    const bad = checkFields('settings', { account: 'a', remoteUrl: 'http://127.0.0.1' }, descriptor, false);
    expect(bad.errors).toEqual([
      {
        field: 'settings.remoteUrl',
        message: 'points at a loopback or private address, which is not allowed',
      },
    ]);
    const notText = checkFields('settings', { account: 'a', remoteUrl: 7 }, descriptor, true);
    expect(notText.errors).toEqual([
      { field: 'settings.remoteUrl', message: 'must be an absolute http or https URL' },
    ]);
    const good = checkFields('settings', { account: 'a', remoteUrl: 'https://r.example' }, descriptor, false);
    expect(good).toEqual({ errors: [], clean: { account: 'a', remoteUrl: 'https://r.example' } });
  });

  it('takes a positiveInteger setting as a number or digits, and refuses anything else', () => {
    expect(checkFields('settings', { account: 'a', companyId: '42' }, descriptor, false)).toEqual({
      errors: [],
      clean: { account: 'a', companyId: 42 },
    });
    expect(checkFields('settings', { account: 'a', companyId: 7 }, descriptor, false).clean.companyId).toBe(
      7,
    );
    for (const bad of [0, -3, 1.5, 'acme', '', true, 2 ** 31]) {
      expect(checkFields('settings', { account: 'a', companyId: bad }, descriptor, false).errors).toEqual([
        { field: 'settings.companyId', message: 'must be a positive integer' },
      ]);
    }
  });
});
