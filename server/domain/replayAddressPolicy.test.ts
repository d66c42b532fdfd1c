import { describe, expect, it } from 'vitest';
import { checkAddress, checkHostName, isIpAddress, parseAllowEntry } from './replayAddressPolicy.js';

const refused = (address: string, allow: readonly string[] = [], host?: string) => {
  const decision = checkAddress(address, allow, host);
  return decision.allowed ? undefined : decision.reason;
};

describe('checkAddress: refused unless listed', () => {
  it.each([
    ['169.254.169.254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['169.254.10.1', 'link-local (169.254.0.0/16)'],
    ['fe80::1', 'link-local (fe80::/10)'],
    ['[fe80::1]', 'link-local (fe80::/10)'],
    ['fe80::1%eth0', 'link-local (fe80::/10)'],
    ['febf:ffff::1', 'link-local (fe80::/10)'],
    ['0.0.0.0', 'an unspecified address (0.0.0.0/8)'],
    ['0.1.2.3', 'an unspecified address (0.0.0.0/8)'],
    ['::', 'the unspecified address (::)'],
    ['224.0.0.251', 'multicast (224.0.0.0/4)'],
    ['239.255.255.250', 'multicast (224.0.0.0/4)'],
    ['ff02::1', 'multicast (ff00::/8)'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'reserved (240.0.0.0/4)'],
  ])('%s is %s', (address, why) => {
    expect(refused(address)).toBe(`${address} is ${why}, not listed in allowAddresses`);
  });

  it('judges an IPv4-mapped or NAT64 IPv6 address as its IPv4 address', () => {
    expect(refused('::ffff:169.254.169.254')).toBe('::ffff:169.254.169.254 (169.254.169.254) is a cloud metadata address, not listed in allowAddresses');
    expect(refused('::ffff:a9fe:a9fe')).toContain('(169.254.169.254) is a cloud metadata address');
    expect(refused('64:ff9b::a9fe:a9fe')).toContain('(169.254.169.254) is a cloud metadata address');
    expect(refused('::ffff:0.0.0.0')).toContain('unspecified');
    expect(refused('::ffff:127.0.0.1')).toBeUndefined();
  });

  it('says so for something that is not an address', () => {
    expect(refused('erp.internal')).toBe('erp.internal is not an IP address');
    expect(refused('1.2.3')).toBe('1.2.3 is not an IP address');
    expect(refused('1::2::3')).toBe('1::2::3 is not an IP address');
  });
});

describe('checkAddress: allowed', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '10.1.2.3', '172.16.0.5', '192.168.1.20', 'fd12:3456::7', '8.8.8.8', '2001:db8::1'])(
    'loopback, private and public addresses: %s',
    (address) => {
      expect(checkAddress(address, [])).toEqual({ allowed: true });
    },
  );

  it('allows a refused address listed as an address or a range', () => {
    expect(checkAddress('169.254.169.254', ['169.254.169.254'])).toEqual({ allowed: true });
    expect(checkAddress('169.254.3.4', ['169.254.0.0/16'])).toEqual({ allowed: true });
    expect(checkAddress('fe80::1', ['[fe80::1]'])).toEqual({ allowed: true });
    expect(checkAddress('fe80::abcd', ['fe80::/64'])).toEqual({ allowed: true });
    expect(checkAddress('::ffff:169.254.169.254', ['169.254.169.254/32'])).toEqual({ allowed: true });
  });

  it('allows what a listed host name resolves to, and only for that host', () => {
    expect(checkAddress('169.254.169.254', ['metadata.google.internal'], 'metadata.google.internal')).toEqual({ allowed: true });
    expect(checkAddress('169.254.169.254', ['metadata.google.internal'], 'rebound.example.com').allowed).toBe(false);
  });

  it('does not let a listed range allow a different refused address', () => {
    expect(refused('169.254.169.254', ['169.254.1.0/24'])).toContain('cloud metadata address');
  });
});

describe('checkHostName', () => {
  it('refuses metadata service host names, in any case and with a trailing dot', () => {
    expect(checkHostName('metadata.google.internal', [])).toEqual({
      allowed: false,
      reason: 'metadata.google.internal is a cloud metadata host name, not listed in allowAddresses',
    });
    expect(checkHostName('Metadata.Google.Internal.', []).allowed).toBe(false);
    expect(checkHostName('metadata', []).allowed).toBe(false);
  });

  it('allows other names, and metadata names that are listed', () => {
    expect(checkHostName('erp.internal', [])).toEqual({ allowed: true });
    expect(checkHostName('metadata', ['metadata'])).toEqual({ allowed: true });
  });
});

describe('parseAllowEntry', () => {
  it('reads addresses, ranges and host names', () => {
    expect(parseAllowEntry('169.254.169.254')).toMatchObject({ kind: 'range', range: { family: 4, prefix: 32 } });
    expect(parseAllowEntry('10.0.0.0/8')).toMatchObject({ kind: 'range', range: { family: 4, prefix: 8 } });
    expect(parseAllowEntry('fd00:ec2::254')).toMatchObject({ kind: 'range', range: { family: 6, prefix: 128 } });
    expect(parseAllowEntry('Metadata.Google.Internal')).toEqual({ kind: 'host', name: 'metadata.google.internal' });
  });

  it.each(['10.0.0.0/33', '::/129', '999.1.1.1', 'http://x', 'a b', '', '1.2.3.4/x'])('refuses %j', (entry) => {
    expect(parseAllowEntry(entry)).toEqual({ error: `"${entry}" must be an IP address, a CIDR range (e.g. 169.254.169.254/32) or a host name` });
  });
});

describe('isIpAddress', () => {
  it('tells literal addresses from host names', () => {
    expect(['127.0.0.1', '::1', '[::1]', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8'].every(isIpAddress)).toBe(true);
    expect(['localhost', '1.2.3.4.5', '1:2:3:4:5:6:7:8:9', '12345::', 'erp'].some(isIpAddress)).toBe(false);
  });
});
