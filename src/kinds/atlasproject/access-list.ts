/**
 * The access list, as the spec means it and as Atlas stores it: pure. Entries are compared
 * after Atlas's normalisation, so 192.0.2.15 and 192.0.2.15/32 never flip-flop.
 */
import { isIP } from 'node:net';
import type { IpAccessListEntry } from './schema.js';
import type { AccessListEntry } from './atlas.js';
import { sameInstant } from '../compare.js';

/**
 * A CIDR block with its host bits cleared, as a user means `203.0.113.7/24`; undefined when
 * it is not one. IPv6 is written back in its compressed form.
 */
export function normalizeCidr(value: string): string | undefined {
  const [address, prefixText, ...rest] = value.split('/');
  if (rest.length > 0 || !address || !prefixText || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const family = isIP(address);
  const width = family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (family === 0 || prefix > width) return undefined;
  const bits = family === 4 ? ipv4Bits(address) : ipv6Bits(address);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  const network = bits & mask;
  return `${family === 4 ? ipv4Text(network) : ipv6Text(network)}/${prefix}`;
}

const ipv4Bits = (address: string) => address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
const ipv4Text = (bits: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 255n)).join('.');

function ipv6Bits(address: string): bigint {
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const text = v4 ? address.slice(0, -v4[1]!.length) + ((ipv4Bits(v4[1]!) >> 16n).toString(16) + ':' + (ipv4Bits(v4[1]!) & 0xffffn).toString(16)) : address;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group || '0', 16)), 0n);
}

function ipv6Text(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * An entry as Atlas takes it. Atlas accepts only a bare address in `ipAddress`; the official
 * operator's own quick start puts a CIDR block there, so such an entry goes as a cidrBlock.
 */
export function atlasEntry(entry: IpAccessListEntry): AccessListEntry {
  if (entry.ipAddress === undefined || !entry.ipAddress.includes('/')) return { ...entry };
  const { ipAddress, ...rest } = entry;
  return { ...rest, cidrBlock: normalizeCidr(ipAddress) ?? ipAddress };
}

/** The key Atlas stores an entry under: an IP becomes its /32 (or /128) block. */
export function accessListKey(entry: { ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string }): string {
  if (entry.ipAddress !== undefined) {
    if (entry.ipAddress.includes('/')) return normalizeCidr(entry.ipAddress) ?? entry.ipAddress;
    return `${entry.ipAddress}/${isIP(entry.ipAddress) === 6 ? 128 : 32}`;
  }
  return entry.cidrBlock ?? entry.awsSecurityGroup ?? '';
}


export interface AccessListPlan {
  add: AccessListEntry[];
  remove: string[];
  desiredKeys: string[];
  /** Keys of the added entries Atlas does not hold yet: the only ones that can be PENDING once the list was active. */
  newKeys: string[];
  expired: IpAccessListEntry[];
}

/**
 * What to send so Atlas holds exactly the active spec entries, less those others own
 * (AtlasIPAccessList objects of the project), which are never removed. Pure.
 */
export function planAccessList(spec: IpAccessListEntry[], current: AccessListEntry[], now: Date, ownedByOthers: readonly string[] = []): AccessListPlan {
  const expired = spec.filter((e) => e.deleteAfterDate !== undefined && Date.parse(e.deleteAfterDate) <= now.getTime());
  const active = spec.filter((e) => !expired.includes(e));
  const currentByKey = new Map(current.map((e) => [accessListKey(e.cidrBlock ? { cidrBlock: e.cidrBlock } : e), e]));
  const desiredKeys = active.map(accessListKey);
  const add = active
    .filter((entry) => {
      const existing = currentByKey.get(accessListKey(entry));
      return !existing || (existing.comment ?? '') !== (entry.comment ?? '') || !sameInstant(existing.deleteAfterDate, entry.deleteAfterDate);
    })
    .map(atlasEntry);
  const remove = [...currentByKey.keys()].filter((key) => !desiredKeys.includes(key) && !ownedByOthers.includes(key));
  const newKeys = add.map(accessListKey).filter((key) => !currentByKey.has(key));
  return { add, remove, desiredKeys, newKeys, expired };
}
