/** Which IP addresses an image URL may reach: public unicast only, judged by ipaddr.js `range()`. */
import ipaddr from 'ipaddr.js';

/**
 * Cloud metadata and platform endpoints that sit on otherwise "public" addresses (the link-local and
 * unique-local ones, such as 169.254.169.254 and fd00:ec2::254, are refused by their range already).
 */
const METADATA_ADDRESSES = new Set([
  '168.63.129.16', // Azure WireServer
  '100.100.100.200', // Alibaba Cloud metadata (also CGNAT)
  '169.254.169.254', // AWS, GCP, Azure, OpenStack metadata
  '169.254.170.2', // AWS ECS task metadata
  'fd00:ec2::254', // AWS metadata over IPv6
]);

/** Friendlier words for ipaddr.js range names in error messages. */
const RANGE_WORDS: Record<string, string> = {
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local (private IPv6)',
  private: 'private',
  loopback: 'loopback',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'reserved',
};

/**
 * Why `address` must not be fetched, or `undefined` when it is a public unicast address. IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries; IPv6 forms that tunnel to IPv4 (6to4, Teredo,
 * NAT64) are refused because the IPv4 address inside could be anything.
 * @example forbiddenAddressReason('10.0.0.1') // 'a private address'
 */
export function forbiddenAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString())) {
    return 'a cloud metadata address';
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return `a ${RANGE_WORDS[range] ?? range} address`;
}
