/** Reading ../shared/atlas-recordings: one raw HTTP response per .snaphost file. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Recording {
  file: string;
  method: string;
  /** Path segments after /api/atlas/<version>/, as encoded in the file name. */
  segments: string[];
  apiVersion: string;
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.snaphost') ? [path] : [];
  });
}

export function readRecordings(root: string): Recording[] {
  return walk(root)
    .sort()
    .map((path) => {
      const raw = readFileSync(path, 'utf8').replace(/\r/g, '');
      const split = raw.indexOf('\n\n');
      const head = raw.slice(0, split).split('\n');
      const text = raw.slice(split + 2);
      const status = Number(head[0]!.split(' ')[1]);
      const headers = Object.fromEntries(
        head.slice(1).map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const name = path.split('/').at(-1)!.replace(/_\d+\.snaphost$/, '');
      const [method, ...rest] = name.split('_');
      const [, , apiVersion, ...segments] = rest; // api, atlas, v2, …
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { file: relative(root, path), method: method!, segments, apiVersion: apiVersion!, status, headers, body, text };
    });
}

/** Every field path in a JSON value; array elements merge under `[]`. */
export function fieldPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) fieldPaths(item, `${prefix}[]`, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      fieldPaths(child, path, out);
    }
  }
  return out;
}
