import { BlockList, isIP } from 'node:net';

/**
 * Which network addresses briefbot may connect to when it fetches a feed or a page someone
 * named. Anything that is not plainly on the public internet is refused by default: a link in
 * chat must never become a way to reach the bot's own machine, its network or a cloud metadata
 * endpoint. The check runs on resolved addresses (never on host names), for every hop.
 */

export type BlockReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'metadata'
  | 'reserved'
  | 'documentation'
  | 'invalid';

interface Range {
  subnet: string;
  prefix: number;
  reason: BlockReason;
}

/** Checked in order, so the specific reasons (metadata) come before the broad ones. */
const IPV4_RANGES: Range[] = [
  { subnet: '169.254.169.254', prefix: 32, reason: 'metadata' }, // AWS, GCP, Azure, OpenStack
  { subnet: '168.63.129.16', prefix: 32, reason: 'metadata' }, // Azure wire server (a public address)
  { subnet: '100.100.100.200', prefix: 32, reason: 'metadata' }, // Alibaba Cloud
  { subnet: '192.0.0.192', prefix: 32, reason: 'metadata' }, // Oracle Cloud
  { subnet: '0.0.0.0', prefix: 8, reason: 'unspecified' },
  { subnet: '127.0.0.0', prefix: 8, reason: 'loopback' },
  { subnet: '10.0.0.0', prefix: 8, reason: 'private' },
  { subnet: '172.16.0.0', prefix: 12, reason: 'private' },
  { subnet: '192.168.0.0', prefix: 16, reason: 'private' },
  { subnet: '169.254.0.0', prefix: 16, reason: 'link-local' },
  { subnet: '100.64.0.0', prefix: 10, reason: 'cgnat' },
  { subnet: '224.0.0.0', prefix: 4, reason: 'multicast' },
  { subnet: '192.0.0.0', prefix: 24, reason: 'reserved' }, // IETF protocol assignments
  { subnet: '192.88.99.0', prefix: 24, reason: 'reserved' }, // 6to4 relay anycast
  { subnet: '198.18.0.0', prefix: 15, reason: 'reserved' }, // benchmarking
  { subnet: '240.0.0.0', prefix: 4, reason: 'reserved' }, // future use and 255.255.255.255
  { subnet: '192.0.2.0', prefix: 24, reason: 'documentation' },
  { subnet: '198.51.100.0', prefix: 24, reason: 'documentation' },
  { subnet: '203.0.113.0', prefix: 24, reason: 'documentation' },
];

const IPV6_RANGES: Range[] = [
  { subnet: 'fd00:ec2::254', prefix: 128, reason: 'metadata' }, // AWS IMDS over IPv6
  { subnet: '::', prefix: 128, reason: 'unspecified' },
  { subnet: '::1', prefix: 128, reason: 'loopback' },
  { subnet: 'fc00::', prefix: 7, reason: 'private' }, // unique local
  { subnet: 'fe80::', prefix: 10, reason: 'link-local' },
  { subnet: 'fec0::', prefix: 10, reason: 'private' }, // deprecated site-local
  { subnet: 'ff00::', prefix: 8, reason: 'multicast' },
  { subnet: '::', prefix: 96, reason: 'reserved' }, // deprecated IPv4-compatible
  { subnet: '64:ff9b:1::', prefix: 48, reason: 'reserved' }, // local-use NAT64
  { subnet: '100::', prefix: 64, reason: 'reserved' }, // discard-only
  { subnet: '2001::', prefix: 23, reason: 'reserved' }, // IETF assignments, including Teredo tunnels
  { subnet: '2001:db8::', prefix: 32, reason: 'documentation' },
  { subnet: '3fff::', prefix: 20, reason: 'documentation' },
];

function compile(ranges: Range[], type: 'ipv4' | 'ipv6'): Array<{ list: BlockList; reason: BlockReason }> {
  return ranges.map((r) => {
    const list = new BlockList();
    list.addSubnet(r.subnet, r.prefix, type);
    return { list, reason: r.reason };
  });
}

const V4 = compile(IPV4_RANGES, 'ipv4');
const V6 = compile(IPV6_RANGES, 'ipv6');

/** `[::1]` and `fe80::1%eth0` to a bare address. */
export function bareAddress(address: string): string {
  return address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 address stands for, where the network would deliver it to that IPv4
 * host: IPv4-mapped (`::ffff:a.b.c.d`), well-known NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(bareAddress(address));
  if (!g) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return ipv4FromGroups(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4FromGroups(g6, g7);
  if (g0 === 0x2002) return ipv4FromGroups(g1, g2);
  return undefined;
}

/** Why this address is not on the public internet, or undefined when it is. */
export function classifyAddress(address: string): BlockReason | undefined {
  const bare = bareAddress(address);
  const family = isIP(bare);
  if (family === 4) return V4.find((r) => r.list.check(bare, 'ipv4'))?.reason;
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== undefined) return classifyAddress(v4);
    return V6.find((r) => r.list.check(bare, 'ipv6'))?.reason;
  }
  return 'invalid';
}

export interface AddressPolicy {
  /** Undefined when briefbot may connect to this address; otherwise why not. */
  refuse(address: string): BlockReason | undefined;
}

/**
 * The policy: refuse every non-public address except those the allow-list names. Entries are
 * addresses or CIDR ranges (`127.0.0.1`, `10.20.0.0/16`, `::1/128`); an allowed IPv4 range also
 * allows the same addresses written IPv4-mapped.
 */
export function createAddressPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = new BlockList();
  for (const entry of allow) {
    const [address, prefixText] = entry.trim().split('/') as [string, string | undefined];
    const family = isIP(bareAddress(address));
    if (family === 0) throw new Error(`not an IP address or CIDR range: "${entry}"`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`bad prefix length in "${entry}"`);
    allowed.addSubnet(bareAddress(address), prefix, type);
  }
  return {
    refuse(address: string): BlockReason | undefined {
      const bare = bareAddress(address);
      const family = isIP(bare);
      if (family === 0) return 'invalid';
      const v4 = family === 6 ? embeddedIpv4(bare) : undefined;
      if (v4 !== undefined ? allowed.check(v4, 'ipv4') : allowed.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return undefined;
      return classifyAddress(bare);
    },
  };
}

/** Checks an allow-list without building a policy: the problems, one per bad entry (for config). */
export function allowListProblems(allow: readonly string[]): string[] {
  const problems: string[] = [];
  for (const entry of allow) {
    try {
      createAddressPolicy([entry]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

export function describeBlock(reason: BlockReason): string {
  switch (reason) {
    case 'metadata':
      return 'a cloud metadata endpoint';
    case 'cgnat':
      return 'a carrier-grade NAT (shared) address';
    case 'invalid':
      return 'not a valid IP address';
    case 'unspecified':
      return 'the unspecified address';
    default:
      return `a ${reason} address`;
  }
}
