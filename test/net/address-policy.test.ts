import { describe, expect, it } from 'vitest';
import { classifyAddress, createAddressPolicy, embeddedIpv4 } from '../../src/net/address-policy.js';

describe('classifyAddress (unit)', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:a00:1::', 'private'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  it('finds the IPv4 address inside mapped, NAT64 and 6to4 addresses', () => {
    expect(embeddedIpv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIpv4('::ffff:c0a8:1')).toBe('192.168.0.1');
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('2002:c0a8:0101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2606:4700::1')).toBeUndefined();
  });
});

describe('createAddressPolicy (unit)', () => {
  it('refuses every non-public address by default', () => {
    const policy = createAddressPolicy();
    expect(policy.refuse('127.0.0.1')).toBe('loopback');
    expect(policy.refuse('::ffff:127.0.0.1')).toBe('loopback');
    expect(policy.refuse('8.8.8.8')).toBeUndefined();
  });

  it('lets the allow-list open exactly what it names, in either notation', () => {
    const policy = createAddressPolicy(['127.0.0.1', '10.20.0.0/16', '::1/128']);
    expect(policy.refuse('127.0.0.1')).toBeUndefined();
    expect(policy.refuse('::ffff:127.0.0.1')).toBeUndefined();
    expect(policy.refuse('127.0.0.2')).toBe('loopback');
    expect(policy.refuse('10.20.3.4')).toBeUndefined();
    expect(policy.refuse('10.21.3.4')).toBe('private');
    expect(policy.refuse('::1')).toBeUndefined();
    expect(policy.refuse('169.254.169.254')).toBe('metadata');
  });

  it('rejects a malformed allow-list entry', () => {
    expect(() => createAddressPolicy(['localhost'])).toThrow(/not an IP address/);
    expect(() => createAddressPolicy(['10.0.0.0/33'])).toThrow(/prefix/);
  });
});
