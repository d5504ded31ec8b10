/**
 * With auth off the bot POSTs its replies to whatever `serviceUrl` an
 * activity names. This limits that to loopback, this server itself (the
 * built-in Direct Line's connector route) and what ALLOWED_SERVICE_URLS
 * names: origins (`https://host:port`) or URL prefixes (`https://host/path/`).
 */
export interface ServiceUrlPolicy {
  allows(serviceUrl: string): boolean;
}

export interface ServiceUrlPolicyOptions {
  /** ALLOWED_SERVICE_URLS, already checked to be http(s) URLs. */
  allowed: readonly string[];
  /** This server's own base URL; known only after listen(). */
  selfUrl: () => string;
}

export function createServiceUrlPolicy({ allowed, selfUrl }: ServiceUrlPolicyOptions): ServiceUrlPolicy {
  const entries = allowed.map((entry) => {
    const url = new URL(entry);
    const isOrigin = /^https?:\/\/[^/]+\/?$/i.test(entry);
    return isOrigin ? { origin: url.origin } : { prefix: url.href };
  });
  const selfOrigin = (): string | undefined => {
    try {
      return new URL(selfUrl()).origin;
    } catch {
      return undefined;
    }
  };
  return {
    allows(serviceUrl) {
      let url: URL;
      try {
        url = new URL(serviceUrl);
      } catch {
        return false;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
      // Credentials in the URL would make the prefix test lie about the host.
      if (url.username || url.password) return false;
      if (isLoopback(url.hostname) || url.origin === selfOrigin()) return true;
      return entries.some((e) => ('origin' in e ? url.origin === e.origin : startsAtBoundary(url.href, e.prefix!)));
    },
  };
}

/** 127.0.0.0/8, ::1 and localhost; WHATWG URL has already normalised forms like 127.1 or 2130706433. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** `https://a/x` matches `https://a/x/...` and `https://a/x?...`, not `https://a/xyz`. */
function startsAtBoundary(href: string, prefix: string): boolean {
  if (!href.startsWith(prefix)) return false;
  if (prefix.endsWith('/') || href.length === prefix.length) return true;
  return ['/', '?', '#'].includes(href[prefix.length]!);
}
