import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
      ]);
      expect((error as Error).message).toContain('Invalid configuration');
    }
  });

  it('rejects ports out of range and treats empty values as unset', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ' }).port).toBe(3000);
  });
});
