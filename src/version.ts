/**
 * This release's version and where the package lives. The version is package.json's, which
 * the chart's appVersion and the image tag repeat (a test keeps them equal). Files shipped
 * beside the code (examples/) are found from the package root, since a module may run from
 * dist/ or from the bundle's chunks, at different depths.
 */
import { existsSync, readFileSync } from 'node:fs';

function findPackageRoot(): URL {
  for (const up of ['../', '../../', '../../../']) {
    const candidate = new URL(up, import.meta.url);
    if (existsSync(new URL('package.json', candidate))) return candidate;
  }
  throw new Error('package.json not found above the atlas-metacontroller modules');
}

export const PACKAGE_ROOT: URL = findPackageRoot();

export const VERSION: string = (JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }).version;
