import { describe, expect, it } from 'vitest';
import { forbiddenAddressReason } from './address-policy.js';

describe('forbiddenAddressReason', () => {
  it.each([
    ['93.184.215.14'],
    ['8.8.8.8'],
    ['2606:4700:4700::1111'],
    ['::ffff:8.8.8.8'],
  ])('allows public unicast %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', /loopback/],
    ['127.5.6.7', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.0.1', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /metadata/],
    ['169.254.1.1', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.100.100.200', /metadata/],
    ['168.63.129.16', /metadata/],
    ['0.0.0.0', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['224.0.0.1', /multicast/],
    ['240.0.0.1', /reserved/],
    ['192.0.2.1', /reserved/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique-local/],
    ['fd00:ec2::254', /metadata/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:169.254.169.254', /metadata/],
    ['::ffff:10.0.0.1', /private/],
    ['2002:7f00:1::', /6to4/],
    ['64:ff9b::7f00:1', /rfc6052|nat64/i],
    ['not-an-ip', /not an IP/],
  ])('refuses %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toMatch(reason);
  });
});
