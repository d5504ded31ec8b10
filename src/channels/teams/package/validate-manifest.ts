import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { MANIFEST_VERSION } from './manifest';
import type { TeamsManifest } from './manifest';

/**
 * Validates a manifest against Microsoft's published JSON schema for its
 * version, as shipped in the @microsoft/app-manifest package: nothing is
 * fetched. Returns the problems, empty when valid.
 */
export function manifestSchemaProblems(manifest: TeamsManifest, version = MANIFEST_VERSION): string[] {
  const file = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  // Some published schemas spell a regex's bell character as "\a", which JavaScript regexes reject.
  const schema = JSON.parse(readFileSync(file, 'utf8').replace(/\\\\a/g, '\\\\x07')) as object;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
