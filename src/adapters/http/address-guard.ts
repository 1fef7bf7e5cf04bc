import { lookup as dnsLookup } from 'node:dns';
import { isIP, isIPv4, type LookupFunction } from 'node:net';

/** Thrown by the guarded lookup; the client maps it to a `provider_unavailable` (502) that is never retried. */
export class AddressNotAllowedError extends Error {
  readonly code = 'MAILROOM_ADDRESS_NOT_ALLOWED';
  constructor(readonly host: string) {
    super(`vendor address ${host} is not allowed (private/loopback)`);
    this.name = 'AddressNotAllowedError';
  }
}

/** [network, prefix length] of every IPv4 range a vendor must never resolve to. */
const PRIVATE_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata services live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking networks
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

const PRIVATE_V4_RANGES = PRIVATE_V4.map(([network, prefix]) => {
  const shift = 32 - prefix;
  return { network: Math.floor(ipv4ToNumber(network) / 2 ** shift), shift };
});

function isPrivateV4Number(value: number): boolean {
  return PRIVATE_V4_RANGES.some(({ network, shift }) => Math.floor(value / 2 ** shift) === network);
}

/** The eight 16-bit groups of a valid IPv6 address (zone id ignored, dotted tail expanded). */
function ipv6Groups(ip: string): number[] {
  let text = ip.split('%')[0];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToNumber(tail);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups].map((g) => parseInt(g, 16));
}

function embeddedV4(high: number, low: number): number {
  return high * 65536 + low;
}

function isPrivateV6(ip: string): boolean {
  const g = ipv6Groups(ip);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(5) && g[5] === 0xffff) return isPrivateV4Number(embeddedV4(g[6], g[7])); // IPv4-mapped
  if (zeroUpTo(6)) return true; // unspecified, loopback and the deprecated IPv4-compatible block
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    // NAT64: the well-known prefix reaches the embedded IPv4 address; the local-use one is private
    return g[2] !== 0 || g[3] !== 0 || g[4] !== 0 || g[5] !== 0 || isPrivateV4Number(embeddedV4(g[6], g[7]));
  }
  if (g[0] === 0x2002) return isPrivateV4Number(embeddedV4(g[1], g[2])); // 6to4
  if ((g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique-local
  return (g[0] & 0xff00) === 0xff00; // multicast
}

/**
 * Whether `ip` is an address a vendor connection must not reach: loopback, private,
 * link-local, unique-local, CGNAT, unspecified, multicast, reserved, or an IPv6 form that
 * embeds one of those. Anything that is not an IP address counts as not allowed.
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(bare)) return isPrivateV4Number(ipv4ToNumber(bare));
  if (isIP(bare.split('%')[0]) === 6) return isPrivateV6(bare);
  return true;
}

/** The host of a URL without IPv6 brackets, when it is an IP literal (which bypasses DNS). */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/**
 * A socket `lookup` that resolves every address of the host and refuses the connection if
 * any is private. Checking inside the connector means the address checked is the one
 * connected to, so a DNS answer cannot change between check and connect.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new AddressNotAllowedError(hostname), '');
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};
