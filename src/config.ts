import path from 'node:path';
import { getHeapStatistics } from 'node:v8';

/**
 * Typed configuration, read from the environment once at start. A bad value stops the start
 * with one ConfigError that lists every bad key, so an operator fixes them all in one go.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
export type NodeEnv = (typeof NODE_ENVS)[number];

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; poolSize: number };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  logLevel: LogLevel;
  nodeEnv: NodeEnv;
  /** `smtp://user:pass@host:port` or `smtps://…`; null keeps email in the outbox (logged). */
  smtpUrl: string | null;
  /** The From header of every email. */
  mailFrom: string;
  /** Unsafe requests (POST, PUT, PATCH, DELETE) one caller may make per minute. */
  writeRateLimit: number;
  /**
   * SECRETS_KEY: 32 bytes (base64) that encrypt secrets the app must use again, such as a
   * municipality's OIDC client secret; null when unset (see src/shared/secret-box.ts).
   */
  secretsKey: Buffer | null;
  /** REDIS_URL (`redis://…` or `rediss://…`): where shared rate-limit counters live; null for none. */
  redisUrl: string | null;
  /** RATE_LIMIT_STORE: where the rate-limit counters live; null chooses (src/http/rate-limit-store.ts). */
  rateLimitStore: RateLimitStore | null;
  /** The map's tile layer (MAP_TILE_URL, MAP_TILE_ATTRIBUTION), as the web app's map loads it. */
  mapTiles: MapTilesConfig;
  /**
   * WEBHOOKS_ALLOW_PRIVATE_TARGETS (`true`/`false`): whether webhooks may be sent to loopback,
   * private and link-local addresses. Default: no in production (SSRF), yes elsewhere.
   */
  webhooksAllowPrivateTargets?: boolean;
  /**
   * TRUST_PROXY: which reverse proxies' X-Forwarded-For / -Proto headers to believe (Fastify's
   * trustProxy): false (the default: the connecting address is the client), a number of proxy
   * hops, or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
   */
  trustProxy: TrustProxy;
  /** Background jobs (docs/jobs.md). */
  jobs: JobsConfig;
  /** When the process sheds load with 503 `overloaded` (OVERLOAD_*; 0 switches a check off). */
  overload: OverloadConfig;
}

export type TrustProxy = false | number | string[];

export interface OverloadConfig {
  /** Mean event-loop delay (ms) over one sample above which requests are shed. Default 1000. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use (bytes) above which requests are shed. Default 90% of the heap limit. */
  maxHeapBytes: number;
  /** Resident set size (bytes) above which requests are shed. Default 0 (off). */
  maxRssBytes: number;
  /** Requests waiting for a PostgreSQL connection above which requests are shed. Default 0 (off). */
  maxDbWaiting: number;
  /** The Retry-After (seconds) a shed request gets. Default 10. */
  retryAfterSeconds: number;
  /** How often the pressure is measured (ms). Default 1000. */
  sampleIntervalMs: number;
}

export interface JobsConfig {
  /** JOBS_RUNNER=off: this serving process runs no jobs and no schedules (others do). */
  runner: boolean;
  /** JOBS_POLL_MS: how often the runner looks for due jobs (pg-boss: at least 500). */
  pollMs: number;
  /** JOBS_TICK_MS: how often each process looks whether a schedule's slot is due. */
  tickMs: number;
}

export const RATE_LIMIT_STORES = ['memory', 'database', 'redis'] as const;
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number];

export interface MapTilesConfig {
  /** A Leaflet tile URL template: `{z}`, `{x}`, `{y}`, optionally `{s}` and `{r}`. */
  url: string;
  /** The attribution shown on the map (plain text; the tiles' terms usually require it). */
  attribution: string;
}

export const DEFAULT_MAP_TILES: MapTilesConfig = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© OpenStreetMap contributors',
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Parses the environment into a Config; throws ConfigError listing every bad key. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (key: string) => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = parsePort(read('PORT'), problems);
  const host = read('HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host))
    problems.push(`HOST: "${host}" is not a host name or address`);

  const dataDir = path.resolve(read('DATA_DIR') ?? './data');
  const database = parseDatabase(
    read('DATABASE_URL'),
    dataDir,
    read('DATABASE_POOL_SIZE'),
    problems,
  );
  const publicUrl = parsePublicUrl(read('PUBLIC_URL'), port, problems);
  const logLevel = parseChoice('LOG_LEVEL', read('LOG_LEVEL'), LOG_LEVELS, 'info', problems);
  const nodeEnv = parseChoice('NODE_ENV', read('NODE_ENV'), NODE_ENVS, 'development', problems);
  const smtpUrl = parseSmtpUrl(read('SMTP_URL'), problems);
  const mailFrom = parseMailFrom(read('MAIL_FROM'), problems);
  const writeRateLimit = parseWriteRateLimit(read('WRITE_RATE_LIMIT'), problems);
  const secretsKey = parseSecretsKey(read('SECRETS_KEY'), problems);
  const mapTiles = parseMapTiles(read('MAP_TILE_URL'), read('MAP_TILE_ATTRIBUTION'), problems);
  const overload = parseOverload(read, problems);
  const trustProxy = parseTrustProxy(read('TRUST_PROXY'), problems);
  const webhooksAllowPrivateTargets = parseFlag(
    'WEBHOOKS_ALLOW_PRIVATE_TARGETS',
    read('WEBHOOKS_ALLOW_PRIVATE_TARGETS'),
    nodeEnv !== 'production',
    problems,
  );
  const jobs = parseJobs(read('JOBS_RUNNER'), read('JOBS_POLL_MS'), read('JOBS_TICK_MS'), problems);
  const redisUrl = parseRedisUrl(read('REDIS_URL'), problems);
  const rawStore = read('RATE_LIMIT_STORE');
  const rateLimitStore =
    rawStore === undefined
      ? null
      : parseChoice('RATE_LIMIT_STORE', rawStore, RATE_LIMIT_STORES, 'memory', problems);
  if (rateLimitStore === 'redis' && !redisUrl) {
    problems.push('RATE_LIMIT_STORE: "redis" needs REDIS_URL');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    dataDir,
    database,
    publicUrl,
    logLevel,
    nodeEnv,
    smtpUrl,
    mailFrom,
    writeRateLimit,
    secretsKey,
    mapTiles,
    webhooksAllowPrivateTargets,
    trustProxy,
    jobs,
    overload,
    redisUrl,
    rateLimitStore,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const PROXY_ADDRESS = /^(?:[0-9.]+|[0-9A-Fa-f:.]+)(?:\/\d{1,3})?$/;

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || raw === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => PROXY_NAMES.has(entry) || PROXY_ADDRESS.test(entry))) return entries;
  problems.push(
    `TRUST_PROXY: "${raw}" is not false, a number of hops (1-10), or a list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal`,
  );
  return false;
}

function parseOverload(
  read: (key: string) => string | undefined,
  problems: string[],
): OverloadConfig {
  const whole = (key: string, fallback: number, min: number, max: number): number => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${key}: "${raw}" is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const heapLimit = getHeapStatistics().heap_size_limit;
  return {
    maxEventLoopDelayMs: whole('OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 600_000),
    maxHeapBytes: whole('OVERLOAD_MAX_HEAP_BYTES', Math.floor(heapLimit * 0.9), 0, 2 ** 50),
    maxRssBytes: whole('OVERLOAD_MAX_RSS_BYTES', 0, 0, 2 ** 50),
    maxDbWaiting: whole('OVERLOAD_MAX_DB_WAITING', 0, 0, 1_000_000),
    retryAfterSeconds: whole('OVERLOAD_RETRY_AFTER_SECONDS', 10, 1, 3600),
    sampleIntervalMs: whole('OVERLOAD_SAMPLE_INTERVAL_MS', 1000, 50, 60_000),
  };
}

function parseJobs(
  runner: string | undefined,
  pollMs: string | undefined,
  tickMs: string | undefined,
  problems: string[],
): JobsConfig {
  const milliseconds = (key: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 10 || value > 3_600_000) {
      problems.push(`${key}: "${raw}" is not a whole number of milliseconds from 10 to 3600000`);
      return fallback;
    }
    return value;
  };
  if (runner !== undefined && runner !== 'on' && runner !== 'off') {
    problems.push(`JOBS_RUNNER: "${runner}" is not on or off`);
  }
  return {
    runner: runner !== 'off',
    pollMs: milliseconds('JOBS_POLL_MS', pollMs, 1000),
    tickMs: milliseconds('JOBS_TICK_MS', tickMs, 5000),
  };
}

function parseRedisUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return raw;
  } catch {
    // Reported below.
  }
  problems.push('REDIS_URL: not a redis:// or rediss:// URL');
  return null;
}

function parseFlag(key: string, raw: string | undefined, fallback: boolean, problems: string[]) {
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  problems.push(`${key}: "${raw}" is not true or false`);
  return fallback;
}

function parseMapTiles(
  rawUrl: string | undefined,
  rawAttribution: string | undefined,
  problems: string[],
): MapTilesConfig {
  const attribution = rawAttribution ?? DEFAULT_MAP_TILES.attribution;
  if (/[<>\r\n]/.test(attribution)) {
    problems.push('MAP_TILE_ATTRIBUTION: plain text only, on one line (no < or >)');
  }
  if (rawUrl === undefined) return { url: DEFAULT_MAP_TILES.url, attribution };
  if (!/\{z\}/.test(rawUrl) || !/\{x\}/.test(rawUrl) || !/\{y\}/.test(rawUrl)) {
    problems.push(`MAP_TILE_URL: "${rawUrl}" needs {z}, {x} and {y}`);
    return { url: DEFAULT_MAP_TILES.url, attribution };
  }
  // A path (`/tiles/{z}/{x}/{y}.png`) loads tiles from this server's own origin.
  if (!rawUrl.startsWith('/') && tileOrigin(rawUrl) === null) {
    problems.push(`MAP_TILE_URL: "${rawUrl}" is not an http:// or https:// URL or a /path`);
    return { url: DEFAULT_MAP_TILES.url, attribution };
  }
  return { url: rawUrl, attribution };
}

/**
 * The origin a tile URL template loads from, for the Content-Security-Policy's img-src: a
 * `{s}` subdomain becomes a `*.` wildcard (`https://*.tile.example.org`). Null when it is not http(s).
 */
export function tileOrigin(template: string): string | null {
  const subdomain = /^(https?:\/\/)\{s\}\./.exec(template);
  const probe = subdomain ? template.replace('{s}', 'a') : template;
  try {
    const url = new URL(probe.replace(/\{[a-z]+\}/g, '0'));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (/[{}]/.test(url.host)) return null;
    return subdomain ? `${url.protocol}//*.${url.host.slice(2)}` : url.origin;
  } catch {
    return null;
  }
}

// Never echo the value: it is a key.
function parseSecretsKey(raw: string | undefined, problems: string[]): Buffer | null {
  if (raw === undefined) return null;
  const key = Buffer.from(raw, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || key.length !== 32) {
    problems.push('SECRETS_KEY: not 32 bytes in base64 (make one with `openssl rand -base64 32`)');
    return null;
  }
  return key;
}

function parseWriteRateLimit(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 300;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 1_000_000) {
    problems.push(`WRITE_RATE_LIMIT: "${raw}" is not a whole number from 1 to 1000000`);
    return 300;
  }
  return limit;
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    problems.push(`PORT: "${raw}" is not a port number (0-65535)`);
    return 3000;
  }
  return port;
}

function parseDatabase(
  raw: string | undefined,
  dataDir: string,
  rawPoolSize: string | undefined,
  problems: string[],
): DatabaseConfig {
  let poolSize = 10;
  if (rawPoolSize !== undefined) {
    poolSize = Number(rawPoolSize);
    if (!/^\d+$/.test(rawPoolSize) || poolSize < 1 || poolSize > 500) {
      problems.push(`DATABASE_POOL_SIZE: "${rawPoolSize}" is not a whole number from 1 to 500`);
      poolSize = 10;
    }
  }
  if (raw === undefined) return { dialect: 'sqlite', file: path.join(dataDir, 'civicpoints.db') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
      return { dialect: 'postgres', url: raw, poolSize };
    } catch {
      problems.push('DATABASE_URL: not a valid postgres:// URL');
      return { dialect: 'postgres', url: raw, poolSize };
    }
  }
  const sqlite = /^(sqlite|file):(.+)$/.exec(raw);
  if (sqlite?.[2]) {
    const file = sqlite[2].replace(/^\/\/(?=\/)/, '');
    return { dialect: 'sqlite', file: path.resolve(file) };
  }
  problems.push('DATABASE_URL: use postgres://… for PostgreSQL or sqlite:PATH for an SQLite file');
  return { dialect: 'sqlite', file: path.join(dataDir, 'civicpoints.db') };
}

function parsePublicUrl(raw: string | undefined, port: number, problems: string[]): string {
  if (raw === undefined) return `http://localhost:${port}`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.origin;
  } catch {
    problems.push(`PUBLIC_URL: "${raw}" is not an http:// or https:// URL`);
    return raw;
  }
}

// Never echo the value: an SMTP URL usually carries a password.
function parseSmtpUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('protocol');
    if (!url.hostname) throw new Error('host');
    if (url.port !== '' && Number(url.port) < 1) throw new Error('port');
    return raw;
  } catch {
    problems.push('SMTP_URL: not an smtp://user:pass@host:port or smtps://… URL');
    return null;
  }
}

const DEFAULT_MAIL_FROM = 'CivicPoints <no-reply@localhost>';

function parseMailFrom(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return DEFAULT_MAIL_FROM;
  // An address, optionally with a display name: `Name <a@b>` or `a@b`; no line breaks (headers).
  const address = /<([^<>\s]+@[^<>\s]+)>$/.exec(raw)?.[1] ?? raw;
  if (/[\r\n]/.test(raw) || !/^[^\s@<>]+@[^\s@<>]+$/.test(address)) {
    problems.push(`MAIL_FROM: "${raw}" is not an address like "CivicPoints <no-reply@example.be>"`);
    return DEFAULT_MAIL_FROM;
  }
  return raw;
}

function parseChoice<T extends string>(
  key: string,
  raw: string | undefined,
  choices: readonly T[],
  fallback: T,
  problems: string[],
): T {
  if (raw === undefined) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${key}: "${raw}" is not one of ${choices.join(', ')}`);
  return fallback;
}
