import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import JSZip from 'jszip';
import type { TeamsAppConfig } from '../../../config';
import { colorIcon, outlineIcon } from './icons';
import { buildManifest, COLOR_ICON_FILE, manifestSettingProblems, OUTLINE_ICON_FILE } from './manifest';
import type { BotCommand, TeamsManifest } from './manifest';
import { manifestSchemaProblems } from './validate-manifest';

export class TeamsPackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TeamsPackageError';
  }
}

export interface TeamsPackageOptions {
  app: TeamsAppConfig;
  version: string;
  commands: readonly BotCommand[];
  /** Where to write the zip, e.g. dist/teams-app.zip. */
  outFile: string;
}

/**
 * Builds the zip Teams installs (manifest.json and the two icons at its
 * root), refusing to write one the schema or Teams would reject.
 */
export async function buildTeamsPackage({ app, version, commands, outFile }: TeamsPackageOptions): Promise<TeamsManifest> {
  const settingProblems = manifestSettingProblems(app);
  if (settingProblems.length > 0) throw new TeamsPackageError(settingProblems);
  const manifest = buildManifest(app, version, commands);
  const schemaProblems = manifestSchemaProblems(manifest);
  if (schemaProblems.length > 0) throw new TeamsPackageError(schemaProblems.map((p) => `manifest.json ${p}`));

  const zip = new JSZip();
  // A fixed date keeps the zip byte-for-byte reproducible.
  const date = new Date('2024-01-01T00:00:00Z');
  zip.file('manifest.json', JSON.stringify(manifest, null, 2), { date });
  zip.file(COLOR_ICON_FILE, colorIcon(), { date });
  zip.file(OUTLINE_ICON_FILE, outlineIcon(), { date });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  return manifest;
}
