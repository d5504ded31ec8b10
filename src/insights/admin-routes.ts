import { dirname, join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Request, Response, Server } from 'restify';
import type { AgentAuth } from '../handoff/agent-auth';
import type { AgentIdentity } from '../handoff/types';
import type { Logger } from '../log';
import { INTENTS } from '../nlu/types';
import { HttpError } from '../server/http-error';
import { routeHandler } from '../server/route-handler';
import { HTML, serveStaticFile } from '../web/static-file';
import { computeFigures } from './figures';
import type { InsightsStore, Period } from './insights-store';
import { parsePeriod } from './period';
import { toCsv } from './report';

export interface AdminRoutesOptions {
  insights: InsightsStore;
  /** The console's sign-in: the same session, the same CSRF rule. */
  auth: AgentAuth;
  /** Each fix's steps in order, for the funnel (stepOrderOf(content.fixes)). */
  stepOrder: ReadonlyMap<string, readonly string[]>;
  /** Where the dashboard's files are (index.html, admin.js, admin.css). */
  pageDir: string;
  log: Logger;
}

const INBOX_ID = /^[1-9][0-9]{0,11}$/;
const INTENT_NAMES: ReadonlySet<string> = new Set(INTENTS);

/**
 * The insights dashboard: its page (/admin, /admin/assets/*, with chart.js
 * from node_modules) and its JSON API (/admin/api/*), for signed-in accounts
 * with the admin role: the figures of a period (JSON or CSV) and the
 * understanding inbox with its review.
 */
export function registerAdminRoutes(server: Server, options: AdminRoutesOptions): void {
  const { insights, auth, stepOrder, pageDir, log } = options;
  const handle = routeHandler(log);
  // Only these three files: the page's own two and the chart library's browser bundle.
  const assets = new Map([
    ['admin.js', { file: join(pageDir, 'admin.js'), type: 'text/javascript; charset=utf-8' }],
    ['admin.css', { file: join(pageDir, 'admin.css'), type: 'text/css; charset=utf-8' }],
    ['chart.umd.js', { file: chartBundlePath(), type: 'text/javascript; charset=utf-8' }],
  ]);

  const adminOf = async (req: IncomingMessage): Promise<AgentIdentity> => {
    const agent = await auth.agentOf(req);
    if (agent.role !== 'admin') throw new HttpError('ADMIN_ROLE_REQUIRED');
    return agent;
  };
  const figuresOf = (req: Request) => computeFigures(insights, periodOf(req), stepOrder);

  server.get('/admin', handle('/admin', async (_req, res) => serveStaticFile(res, join(pageDir, 'index.html'), HTML)));
  server.get(
    '/admin/assets/:file',
    handle('/admin/assets', async (req, res) => {
      const asset = assets.get(String((req.params as Record<string, unknown>).file ?? ''));
      if (!asset) throw new HttpError('NOT_FOUND');
      serveStaticFile(res, asset.file, asset.type);
    }),
  );

  server.get(
    '/admin/api/figures',
    handle('/admin/api/figures', async (req, res) => {
      await adminOf(req);
      res.header('Cache-Control', 'no-store');
      res.send(200, await figuresOf(req));
    }),
  );

  server.get(
    '/admin/api/figures.csv',
    handle('/admin/api/figures.csv', async (req, res) => {
      await adminOf(req);
      const figures = await figuresOf(req);
      const name = `insights-${figures.period.since.slice(0, 10)}-${figures.period.until.slice(0, 10)}.csv`;
      res.sendRaw(200, toCsv(figures), {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
    }),
  );

  server.get(
    '/admin/api/inbox',
    handle('/admin/api/inbox', async (req, res) => {
      await adminOf(req);
      res.header('Cache-Control', 'no-store');
      const [open, labelled] = await Promise.all([insights.inbox('open'), insights.inbox('labelled')]);
      res.send(200, { open, labelled, intents: [...INTENTS] });
    }),
  );

  server.post(
    '/admin/api/inbox/:id',
    handle('/admin/api/inbox/:id', async (req, res) => {
      auth.csrf(req);
      const admin = await adminOf(req);
      const id = String((req.params as Record<string, unknown>).id ?? '');
      if (!INBOX_ID.test(id)) throw new HttpError('INBOX_ITEM_NOT_FOUND');
      const verdict = reviewOf(req.body);
      const item = await insights.inboxItem(Number(id));
      if (!item || item.status === 'imported') throw new HttpError('INBOX_ITEM_NOT_FOUND');
      if (!(await insights.review(item.id, verdict === 'dismiss' ? 'dismiss' : { label: verdict.label, by: admin.name }))) throw new HttpError('INBOX_ITEM_NOT_FOUND');
      log.info('understanding inbox: reviewed', { id: item.id, by: admin.name, verdict: verdict === 'dismiss' ? 'dismissed' : verdict.label });
      res.writeHead(204);
      res.end();
    }),
  );
}

/** `since` (default 7d) and `until` (default now) from the query, as `npm run insights` reads them. */
function periodOf(req: IncomingMessage): Period {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  try {
    return parsePeriod(query.get('since') || undefined, query.get('until') || undefined);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // parsePeriod names the value and the accepted forms; in the API they are query parameters, not flags.
    throw new HttpError('BAD_PERIOD', `${error.message.replace(/^--/, '')}.`);
  }
}

function reviewOf(body: unknown): { label: string } | 'dismiss' {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const { label, dismiss } = body as { label?: unknown; dismiss?: unknown };
    if (dismiss === true && label === undefined) return 'dismiss';
    if (typeof label === 'string' && INTENT_NAMES.has(label) && dismiss === undefined) return { label };
  }
  throw new HttpError('BAD_INBOX_REVIEW');
}

/** chart.js's browser bundle (its exports hide dist/chart.umd.js; its CommonJS entry sits beside it in dist/). */
function chartBundlePath(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}
