import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTeamsAppConfig } from '../src/config';
import { buildTeamsPackage, TeamsPackageError } from '../src/channels/teams/package/build-package';
import { menuCommands } from '../src/channels/teams/package/commands';
import { loadDialogContent } from '../src/content/load-dialogs';
import { CHECK_SPECS } from '../src/dialogs';
import { projectVersion } from '../src/project';
import { ContentError, ContentErrors } from '../src/content/yaml-file';

/** `npm run teams:package`: writes dist/teams-app.zip from the TEAMS_* settings and MicrosoftAppId (.env is read if present). */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const problems: string[] = [];
  const app = loadTeamsAppConfig(process.env, problems);
  if (problems.length > 0) throw new TeamsPackageError(problems);
  // The menu comes from the same validated content the bot runs on.
  const { messages } = loadDialogContent(resolve(process.env.DIALOGS_DIR || 'dialogs'), CHECK_SPECS);
  const outFile = resolve('dist', 'teams-app.zip');
  await buildTeamsPackage({ app, version: projectVersion(), commands: menuCommands(messages.menu), outFile });
  process.stdout.write(`Wrote ${outFile}: upload it in Teams (Apps → Manage your apps → Upload an app).\n`);
}

main().catch((error: unknown) => {
  const known = error instanceof TeamsPackageError || error instanceof ContentErrors || error instanceof ContentError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
