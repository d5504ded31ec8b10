import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { loadTeamsAppConfig } from '../../src/config';
import { buildTeamsPackage, TeamsPackageError } from '../../src/channels/teams/package/build-package';
import { menuCommands } from '../../src/channels/teams/package/commands';
import { loadDialogContent } from '../../src/content/load-dialogs';
import { CHECK_SPECS } from '../../src/dialogs';
import { MANIFEST_VERSION } from '../../src/channels/teams/package/manifest';
import { manifestSchemaProblems } from '../../src/channels/teams/package/validate-manifest';
import { ROOT } from './teams-harness';

const BOT_ID = '3f2c1b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const ENV = {
  MicrosoftAppId: BOT_ID,
  TEAMS_DEVELOPER_NAME: 'Contoso Support',
  TEAMS_WEBSITE_URL: 'https://support.contoso.com',
  TEAMS_PRIVACY_URL: 'https://support.contoso.com/privacy',
  TEAMS_TERMS_URL: 'https://support.contoso.com/terms',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(env: Record<string, string>, name = 'teams-app.zip') {
  const outFile = join(dir, name);
  const manifest = await buildTeamsPackage({
    app: loadTeamsAppConfig(env),
    version: '0.1.0',
    commands: menuCommands(loadDialogContent(join(ROOT, 'dialogs'), CHECK_SPECS).messages.menu),
    outFile,
  });
  return { manifest, zip: await JSZip.loadAsync(readFileSync(outFile)) };
}

async function png(zip: JSZip, file: string): Promise<PNG> {
  return PNG.sync.read(await zip.file(file)!.async('nodebuffer'));
}

describe('the Teams app package', () => {
  test('holds manifest.json and the two icons at its root, and nothing else', async () => {
    const { zip } = await build(ENV);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  test(`its manifest validates against Microsoft's Teams schema v${MANIFEST_VERSION}`, async () => {
    const { zip } = await build(ENV);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(manifestSchemaProblems(manifest)).toEqual([]);
  });

  test('offers the bot, with id MicrosoftAppId, in personal chats, group chats and teams', async () => {
    const { manifest } = await build(ENV);
    expect(manifest.id).toBe(BOT_ID);
    const [botEntry] = manifest.bots as Array<{ botId: string; scopes: string[]; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
    expect(botEntry!.botId).toBe(BOT_ID);
    expect(botEntry!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(botEntry!.commandLists[0]!.commands.map((c) => c.title)).toContain("WhatsApp won't back up");
  });

  test('carries the developer, privacy and terms URLs from the configuration', async () => {
    const { manifest } = await build({ ...ENV, TEAMS_APP_ID: 'a1b2c3d4-0000-4000-8000-000000000001', TEAMS_APP_NAME: 'Backup Desk' });
    expect(manifest.developer).toEqual({
      name: 'Contoso Support',
      websiteUrl: 'https://support.contoso.com',
      privacyUrl: 'https://support.contoso.com/privacy',
      termsOfUseUrl: 'https://support.contoso.com/terms',
    });
    expect(manifest.id).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect((manifest.name as { short: string }).short).toBe('Backup Desk');
  });

  test('has a 192×192 opaque colour icon', async () => {
    const { zip } = await build(ENV);
    const icon = await png(zip, 'color.png');
    expect([icon.width, icon.height]).toEqual([192, 192]);
    const alphas = new Set<number>();
    for (let i = 3; i < icon.data.length; i += 4) alphas.add(icon.data[i]!);
    expect([...alphas]).toEqual([255]);
  });

  test('has a 32×32 outline icon: white on a transparent background', async () => {
    const { zip } = await build(ENV);
    const icon = await png(zip, 'outline.png');
    expect([icon.width, icon.height]).toEqual([32, 32]);
    let transparent = 0;
    let drawn = 0;
    for (let i = 0; i < icon.data.length; i += 4) {
      const [r, g, b, a] = icon.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4); // the corners at least are empty
    expect(drawn).toBeGreaterThan(32 * 32 * 0.1);
  });

  test('is refused, naming every missing setting, without an app id and URLs', async () => {
    const attempt = build({ TEAMS_WEBSITE_URL: 'https://support.contoso.com' }, 'incomplete.zip');
    await expect(attempt).rejects.toThrow(TeamsPackageError);
    await expect(attempt).rejects.toThrow(/MicrosoftAppId[\s\S]*TEAMS_DEVELOPER_NAME[\s\S]*TEAMS_PRIVACY_URL[\s\S]*TEAMS_TERMS_URL/);
  });

  test('rejects non-https links in the configuration', () => {
    const problems: string[] = [];
    loadTeamsAppConfig({ ...ENV, TEAMS_PRIVACY_URL: 'http://support.contoso.com/privacy' }, problems);
    expect(problems).toEqual([expect.stringContaining('TEAMS_PRIVACY_URL must be an https URL')]);
  });

  test('the schema check catches a broken manifest', async () => {
    const { manifest } = await build(ENV);
    expect(manifestSchemaProblems({ ...manifest, id: 'not-a-guid' })).not.toEqual([]);
    expect(manifestSchemaProblems({ ...manifest, bots: [{ botId: BOT_ID, scopes: ['everywhere'] }] })).not.toEqual([]);
  });
});
