import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, tileOrigin } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file on 127.0.0.1:3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      nodeEnv: 'development',
      database: { dialect: 'sqlite', file: path.resolve('data/civicpoints.db') },
    });
  });

  it('puts the default database in DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/cp-data' });
    expect(config.database).toEqual({ dialect: 'sqlite', file: '/tmp/cp-data/civicpoints.db' });
  });

  it('selects PostgreSQL for a postgres:// URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/cp',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config.database).toEqual({
      dialect: 'postgres',
      url: 'postgres://u@db:5432/cp',
      poolSize: 20,
    });
  });

  it('accepts sqlite: and file: URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:./x.db' }).database).toEqual({
      dialect: 'sqlite',
      file: path.resolve('x.db'),
    });
    expect(loadConfig({ DATABASE_URL: 'file:///tmp/y.db' }).database).toEqual({
      dialect: 'sqlite',
      file: '/tmp/y.db',
    });
  });

  it('keeps only the origin of PUBLIC_URL and follows PORT by default', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://punten.example.be/x' }).publicUrl).toBe(
      'https://punten.example.be',
    );
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('lists every bad key in one error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        HOST: 'bad host!',
        DATABASE_URL: 'mysql://x',
        DATABASE_POOL_SIZE: '0',
        PUBLIC_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'staging',
        SMTP_URL: 'http://user:s3cret@mail.example.be',
        MAIL_FROM: 'nobody',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual([
        'PORT',
        'HOST',
        'DATABASE_POOL_SIZE',
        'DATABASE_URL',
        'PUBLIC_URL',
        'LOG_LEVEL',
        'NODE_ENV',
        'SMTP_URL',
        'MAIL_FROM',
      ]);
      expect((error as Error).message).toContain('Invalid configuration');
    }
  });

  it('reads SECRETS_KEY as 32 bytes of base64 and never echoes a bad one', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({}).secretsKey).toBeNull();
    expect(loadConfig({ SECRETS_KEY: key.toString('base64') }).secretsKey).toEqual(key);
    for (const bad of [
      'c2hvcnQ=',
      `${key.toString('base64')}!`,
      Buffer.alloc(33).toString('base64'),
    ]) {
      try {
        loadConfig({ SECRETS_KEY: bad });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SECRETS_KEY: /)]);
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });

  it('sends no email by default, from the local no-reply address', () => {
    expect(loadConfig({})).toMatchObject({
      smtpUrl: null,
      mailFrom: 'CivicPoints <no-reply@localhost>',
    });
  });

  it('accepts smtp:// and smtps:// URLs and a From address with or without a name', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://user:pass@mail.example.be:587' }).smtpUrl).toBe(
      'smtp://user:pass@mail.example.be:587',
    );
    expect(loadConfig({ SMTP_URL: 'smtps://mail.example.be' }).smtpUrl).toBe(
      'smtps://mail.example.be',
    );
    expect(loadConfig({ MAIL_FROM: 'Pelt <punten@pelt.be>' }).mailFrom).toBe(
      'Pelt <punten@pelt.be>',
    );
    expect(loadConfig({ MAIL_FROM: 'punten@pelt.be' }).mailFrom).toBe('punten@pelt.be');
  });

  it('rejects other SMTP_URL values without echoing a password', () => {
    for (const bad of ['http://u:s3cret@mail.example.be', 'smtp://', 'mail.example.be:25']) {
      try {
        loadConfig({ SMTP_URL: bad });
        expect.unreachable(`${bad} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([
          'SMTP_URL: not an smtp://user:pass@host:port or smtps://… URL',
        ]);
        expect((error as Error).message).not.toContain('s3cret');
      }
    }
    expect(() => loadConfig({ MAIL_FROM: 'CivicPoints <no address>' })).toThrow(/MAIL_FROM/);
  });

  it('rejects ports out of range and treats empty values as unset', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ' }).port).toBe(3000);
  });

  it('allows private webhook targets outside production only, unless WEBHOOKS_ALLOW_PRIVATE_TARGETS says', () => {
    expect(loadConfig({}).webhooksAllowPrivateTargets).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', SECRETS_KEY: Buffer.alloc(32, 1).toString('base64') })
        .webhooksAllowPrivateTargets,
    ).toBe(false);
    expect(
      loadConfig({ WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'false' }).webhooksAllowPrivateTargets,
    ).toBe(false);
    expect(() => loadConfig({ WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(
      /WEBHOOKS_ALLOW_PRIVATE_TARGETS/,
    );
  });

  it('defaults the map to OpenStreetMap tiles and reads MAP_TILE_URL / MAP_TILE_ATTRIBUTION', () => {
    expect(loadConfig({}).mapTiles).toEqual({
      url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      attribution: '© OpenStreetMap contributors',
    });
    const own = loadConfig({
      MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      MAP_TILE_ATTRIBUTION: '© Example',
    }).mapTiles;
    expect(own).toEqual({
      url: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      attribution: '© Example',
    });
    expect(tileOrigin(own.url)).toBe('https://*.tiles.example.org');
    expect(tileOrigin('http://127.0.0.1:9/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:9');
    expect(loadConfig({ MAP_TILE_URL: '/tiles/{z}/{x}/{y}.png' }).mapTiles.url).toBe(
      '/tiles/{z}/{x}/{y}.png',
    );
  });

  it('rejects a tile URL without {z}/{x}/{y} or not http(s), and markup in the attribution', () => {
    for (const bad of ['https://tiles.example.org/tile.png', 'ftp://x/{z}/{x}/{y}.png']) {
      expect(() => loadConfig({ MAP_TILE_URL: bad })).toThrow(/MAP_TILE_URL/);
    }
    expect(() => loadConfig({ MAP_TILE_ATTRIBUTION: '<a href="x">x</a>' })).toThrow(
      /MAP_TILE_ATTRIBUTION/,
    );
  });

  it('reads the job settings (JOBS_RUNNER, JOBS_POLL_MS, JOBS_TICK_MS) and lists bad ones', () => {
    expect(loadConfig({}).jobs).toEqual({ runner: true, pollMs: 1000, tickMs: 5000 });
    expect(
      loadConfig({ JOBS_RUNNER: 'off', JOBS_POLL_MS: '200', JOBS_TICK_MS: '250' }).jobs,
    ).toEqual({ runner: false, pollMs: 200, tickMs: 250 });
    expect(() =>
      loadConfig({ JOBS_RUNNER: 'maybe', JOBS_POLL_MS: '5', JOBS_TICK_MS: 'soon' }),
    ).toThrow(/JOBS_RUNNER[\s\S]*JOBS_POLL_MS[\s\S]*JOBS_TICK_MS/);
  });

  it('reads the overload thresholds, 0 switching a check off, and lists bad ones', () => {
    const defaults = loadConfig({}).overload;
    expect(defaults).toMatchObject({
      maxEventLoopDelayMs: 1000,
      maxRssBytes: 0,
      maxDbWaiting: 0,
      retryAfterSeconds: 10,
      sampleIntervalMs: 1000,
    });
    expect(defaults.maxHeapBytes).toBeGreaterThan(0);
    expect(
      loadConfig({
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
        OVERLOAD_MAX_HEAP_BYTES: '0',
        OVERLOAD_MAX_DB_WAITING: '40',
        OVERLOAD_RETRY_AFTER_SECONDS: '5',
      }).overload,
    ).toMatchObject({
      maxEventLoopDelayMs: 0,
      maxHeapBytes: 0,
      maxDbWaiting: 40,
      retryAfterSeconds: 5,
    });
    try {
      loadConfig({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 'soon', OVERLOAD_RETRY_AFTER_SECONDS: '0' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: /),
        expect.stringMatching(/^OVERLOAD_RETRY_AFTER_SECONDS: /),
      ]);
    }
  });

  it('reads TRUST_PROXY as off, a number of hops, or proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example.be' })).toThrow(/TRUST_PROXY/);
  });
});
