/** IP access list addresses, as Atlas checks and normalises them. */
import { isIP } from 'node:net';

export interface ParsedAddress {
  /** The entry's key and the form Atlas stores: an IP gets /32 (or /128). */
  cidrBlock: string;
  ipAddress?: string;
}

export function parseIpAddress(value: string): ParsedAddress | undefined {
  const family = isIP(value);
  if (family === 0) return undefined;
  return { cidrBlock: `${value}/${family === 4 ? 32 : 128}`, ipAddress: value };
}

export function parseCidrBlock(value: string): ParsedAddress | undefined {
  const [base, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || base === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  const family = isIP(base);
  const bits = Number(prefix);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return undefined;
  return { cidrBlock: value };
}

export const AWS_SECURITY_GROUP = /^([0-9]*\/)?sg-([0-9a-f]*)$/;
