import type { TeamsAppConfig } from '../../../config';
import { ACCENT_COLOR } from './icons';

/** The Teams app manifest version written, and validated against (schema shipped in @microsoft/app-manifest). */
export const MANIFEST_VERSION = '1.22';
export const COLOR_ICON_FILE = 'color.png';
export const OUTLINE_ICON_FILE = 'outline.png';

export interface BotCommand {
  title: string;
  description: string;
}

export type TeamsManifest = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every setting the package needs that is missing or malformed, named by its environment variable. */
export function manifestSettingProblems(app: TeamsAppConfig): string[] {
  const problems: string[] = [];
  if (!GUID.test(app.botId)) problems.push('MicrosoftAppId must be set to the Azure Bot\'s app id (a GUID)');
  if (app.appId !== app.botId && !GUID.test(app.appId)) problems.push('TEAMS_APP_ID must be a GUID');
  const required: Array<[keyof TeamsAppConfig, string]> = [
    ['developerName', 'TEAMS_DEVELOPER_NAME'],
    ['websiteUrl', 'TEAMS_WEBSITE_URL'],
    ['privacyUrl', 'TEAMS_PRIVACY_URL'],
    ['termsUrl', 'TEAMS_TERMS_URL'],
  ];
  for (const [key, variable] of required) if (!app[key]) problems.push(`${variable} must be set`);
  return problems;
}

/**
 * The manifest for the bot in all three places Teams offers: a personal
 * chat, group chats and team channels. Commands show in Teams' compose box.
 */
export function buildManifest(app: TeamsAppConfig, version: string, commands: readonly BotCommand[]): TeamsManifest {
  const scopes = ['personal', 'groupChat', 'team'];
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: app.appId,
    developer: { name: app.developerName, websiteUrl: app.websiteUrl, privacyUrl: app.privacyUrl, termsOfUseUrl: app.termsUrl },
    name: { short: app.name, full: `${app.name}: WhatsApp backups to iCloud`.slice(0, 100) },
    description: {
      short: 'Step-by-step help when WhatsApp on iPhone stops backing up to iCloud.',
      full:
        'Walks you through getting WhatsApp on an iPhone backing up to iCloud again: iCloud access, storage space, ' +
        'stuck backups, software updates and Apple service status, one fix at a time with a button for every answer. ' +
        'Chat with it privately, or @mention it in a group chat or channel.',
    },
    icons: { color: COLOR_ICON_FILE, outline: OUTLINE_ICON_FILE },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: app.botId,
        scopes,
        isNotificationOnly: false,
        supportsFiles: false,
        supportsCalling: false,
        supportsVideo: false,
        commandLists: [{ scopes, commands: commands.slice(0, 10).map((c) => ({ title: c.title.slice(0, 32), description: c.description.slice(0, 128) })) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [],
  };
}
