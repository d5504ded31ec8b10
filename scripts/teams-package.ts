import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTeamsAppConfig } from '../src/config';
import { buildTeamsPackage, TeamsPackageError } from '../src/channels/teams/package/build-package';
import { menuCommands } from '../src/channels/teams/package/commands';

/** `npm run teams:package`: writes dist/teams-app.zip from the TEAMS_* settings and MicrosoftAppId (.env is read if present). */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const problems: string[] = [];
  const app = loadTeamsAppConfig(process.env, problems);
  if (problems.length > 0) throw new TeamsPackageError(problems);
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const outFile = resolve('dist', 'teams-app.zip');
  await buildTeamsPackage({ app, version, commands: menuCommands(resolve(process.env.DIALOGS_DIR || 'dialogs')), outFile });
  process.stdout.write(`Wrote ${outFile}: upload it in Teams (Apps → Manage your apps → Upload an app).\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof TeamsPackageError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
