import type { LookupAddress } from 'node:dns';
import { AddressNotAllowedError, guardedLookup, ipLiteral, isPrivateAddress } from './address-guard';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.128.0.1', false],
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::', true],
    ['::1', true],
    ['[::1]', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['ff02::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['64:ff9b::127.0.0.1', true],
    ['64:ff9b::8.8.8.8', false],
    ['2002:c0a8:0101::1', true],
    ['2001:4860:4860::8888', false],
    ['2a00:1450:4001:80b::200e', false],
    ['not-an-ip', true],
    ['', true],
  ])('%s → %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('ipLiteral', () => {
  it('recognises IPv4 and bracketed IPv6 hosts and nothing else', () => {
    expect(ipLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('example.com')).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  const lookup = (host: string, all: boolean) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) => {
      guardedLookup(host, { all }, (error, address) => resolve({ error, address }));
    });

  it('refuses a name that resolves to loopback', async () => {
    const { error } = await lookup('localhost', false);
    expect(error).toBeInstanceOf(AddressNotAllowedError);
    expect(error?.message).toBe('vendor address localhost is not allowed (private/loopback)');
  });

  it('passes through resolver errors', async () => {
    const { error } = await lookup('does-not-exist.invalid', true);
    expect(error).not.toBeNull();
    expect(error).not.toBeInstanceOf(AddressNotAllowedError);
  });
});
