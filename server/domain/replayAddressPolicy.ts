/**
 * Which addresses a replay may be delivered to (issue 7: "link-local and metadata addresses refused unless
 * explicitly configured"). A replay posts business documents with credentials attached, so an address that
 * belongs to the machine's own infrastructure — a cloud metadata service, link-local, unspecified (0.0.0.0
 * reaches the local host on Linux), multicast, broadcast, reserved — is refused unless the target lists it in
 * `allowAddresses`. Loopback and private ranges (127/8, 10/8, 172.16/12, 192.168/16, fc00::/7, ::1) are
 * allowed: targets such as an ERP or middleware are usually internal, and only configured targets are called.
 * An IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address is judged as its IPv4 address.
 */

export type AddressDecision = { allowed: true } | { allowed: false; reason: string };

type Ip = { family: 4 | 6; value: bigint };
type Range = { family: 4 | 6; base: bigint; prefix: number };

/** One `allowAddresses` entry: an address, a CIDR range or a host name (lower case, no trailing dot). */
export type AllowEntry = { kind: 'range'; range: Range } | { kind: 'host'; name: string };

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_V4 = { family: 6, base: 0xffffn << 32n, prefix: 96 } as const satisfies Range;
const NAT64_V4 = { family: 6, base: 0x64ff9bn << 96n, prefix: 96 } as const satisfies Range;

/** Checked in order: the first range an address falls in names why it is refused. */
const REFUSED: readonly { range: Range; why: string }[] = [
  ['169.254.169.254/32', 'a cloud metadata address'],
  ['100.100.100.200/32', 'a cloud metadata address'],
  ['fd00:ec2::254/128', 'a cloud metadata address'],
  ['0.0.0.0/8', 'an unspecified address (0.0.0.0/8)'],
  ['::/128', 'the unspecified address (::)'],
  ['169.254.0.0/16', 'link-local (169.254.0.0/16)'],
  ['fe80::/10', 'link-local (fe80::/10)'],
  ['255.255.255.255/32', 'the broadcast address'],
  ['224.0.0.0/4', 'multicast (224.0.0.0/4)'],
  ['ff00::/8', 'multicast (ff00::/8)'],
  ['240.0.0.0/4', 'reserved (240.0.0.0/4)'],
].map(([cidr, why]) => ({ range: parseRange(cidr!)!, why: why! }));

/** Host names of cloud metadata services, refused before they are resolved. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata']);

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Whether `text` is an IPv4 or IPv6 address (brackets and a zone such as `%eth0` allowed). */
export function isIpAddress(text: string): boolean {
  return parseIp(text) !== undefined;
}

/** Reads an `allowAddresses` entry, or says why it is not one. */
export function parseAllowEntry(entry: string): AllowEntry | { error: string } {
  const text = entry.trim();
  const range = text.includes('/') ? parseRange(text) : ipAsRange(parseIp(text));
  if (range) return { kind: 'range', range };
  const name = normalHost(text);
  if (!/^[\d.]+$/.test(name) && HOST_NAME.test(name)) return { kind: 'host', name };
  return { error: `"${entry}" must be an IP address, a CIDR range (e.g. 169.254.169.254/32) or a host name` };
}

/** Refuses the host names of metadata services (`metadata.google.internal`, `metadata`) unless listed. */
export function checkHostName(host: string, allowAddresses: readonly string[]): AddressDecision {
  const name = normalHost(host);
  if (!METADATA_HOSTS.has(name) || hostListed(name, allowAddresses)) return { allowed: true };
  return { allowed: false, reason: `${name} is a cloud metadata host name, not listed in allowAddresses` };
}

/**
 * Whether a replay may connect to `address` (an IP the target's host resolved to, or the host itself when it is
 * an IP). A listed address or range allows it whatever it is; so does a listed host name the address was
 * resolved from (`host`).
 */
export function checkAddress(address: string, allowAddresses: readonly string[], host?: string): AddressDecision {
  const ip = parseIp(address);
  if (!ip) return { allowed: false, reason: `${address} is not an IP address` };
  const judged = embeddedV4(ip) ?? ip;
  const refusal = REFUSED.find((r) => inRange(judged, r.range));
  if (!refusal) return { allowed: true };
  if (host !== undefined && hostListed(normalHost(host), allowAddresses)) return { allowed: true };
  const listed = allowAddresses.some((entry) => {
    const parsed = parseAllowEntry(entry);
    return 'kind' in parsed && parsed.kind === 'range' && (inRange(ip, parsed.range) || inRange(judged, parsed.range));
  });
  if (listed) return { allowed: true };
  const shown = judged === ip ? address : `${address} (${formatV4(judged.value)})`;
  return { allowed: false, reason: `${shown} is ${refusal.why}, not listed in allowAddresses` };
}

function hostListed(name: string, allowAddresses: readonly string[]): boolean {
  return allowAddresses.some((entry) => {
    const parsed = parseAllowEntry(entry);
    return 'kind' in parsed && parsed.kind === 'host' && parsed.name === name;
  });
}

function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function inRange(ip: Ip, range: Range): boolean {
  if (ip.family !== range.family) return false;
  const shift = BigInt(BITS[range.family] - range.prefix);
  return ip.value >> shift === range.base >> shift;
}

function embeddedV4(ip: Ip): Ip | undefined {
  if (ip.family === 6 && (inRange(ip, MAPPED_V4) || inRange(ip, NAT64_V4))) return { family: 4, value: ip.value & 0xffffffffn };
  return undefined;
}

function ipAsRange(ip: Ip | undefined): Range | undefined {
  return ip && { family: ip.family, base: ip.value, prefix: BITS[ip.family] };
}

function parseRange(text: string): Range | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const ip = match && parseIp(match[1]!);
  if (!ip) return undefined;
  const prefix = Number(match[2]);
  if (prefix > BITS[ip.family]) return undefined;
  const shift = BigInt(BITS[ip.family] - prefix);
  return { family: ip.family, base: (ip.value >> shift) << shift, prefix };
}

function parseIp(text: string): Ip | undefined {
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = parseV4(bare);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseV6(bare.replace(/%[\w.-]+$/, ''));
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): bigint[] | undefined => {
    if (half === '') return [];
    const out: bigint[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseV4(part);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) out.push(BigInt(`0x${part}`));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<bigint>(missing).fill(0n), ...tail].reduce((acc, g) => (acc << 16n) | g, 0n);
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}
