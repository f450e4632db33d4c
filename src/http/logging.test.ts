import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logFormatters, logHooks, logSerializers } from './logging.js';

describe('log serializers', () => {
  it('log a database error without the values it quotes and with addresses masked', () => {
    const error = Object.assign(
      new Error('duplicate key value for jan.peeters@pelt.be violates unique constraint'),
      {
        code: '23505',
        detail: 'Key (email)=(jan.peeters@pelt.be) already exists.',
        where: 'SQL statement "insert …"',
      },
    );
    const logged = logSerializers.err(error);
    expect(logged).toMatchObject({
      type: 'Error',
      code: '23505',
      message: 'duplicate key value for ***@*** violates unique constraint',
    });
    expect(logged).not.toHaveProperty('detail');
    expect(logged).not.toHaveProperty('where');
    expect(JSON.stringify(logged)).not.toContain('pelt.be');
  });

  it('log a request as its method and route template only', () => {
    const request = {
      method: 'GET',
      url: '/api/unsubscribe?token=secret-token',
      ip: '198.51.100.7',
      headers: { cookie: 'cp_session=abc' },
      routeOptions: { url: '/api/unsubscribe' },
    };
    expect(logSerializers.req(request as never)).toEqual({
      method: 'GET',
      route: '/api/unsubscribe',
    });
    expect(logSerializers.req({ ...request, routeOptions: {} } as never)).toEqual({
      method: 'GET',
      route: 'unmatched',
    });
  });

  it('mask addresses anywhere in a line as a last net, and keep errors whole', () => {
    const lines: string[] = [];
    const logger = pino(
      { serializers: logSerializers, formatters: logFormatters, hooks: logHooks },
      { write: (line: string) => lines.push(line) },
    );
    logger.warn(
      { to: 'lea@pelt.be', nested: { list: 'a@b.eu', count: 2 }, err: new Error('no c@d.nl') },
      'could not reach e@f.de',
    );
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      to: '***@***',
      nested: { list: '***@***', count: 2 },
      err: { type: 'Error', message: 'no ***@***' },
      msg: 'could not reach ***@***',
    });
    expect(entry.err.stack).toContain('logging.test.ts');
  });
});
