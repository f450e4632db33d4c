import { describe, expect, it } from 'vitest';
import {
  categoryErrors,
  checkAttributes,
  containsHtml,
  descriptionErrors,
  parseBbox,
  statusOf,
  w3cDate,
} from './reports.rules.js';
import type { CategoryAttribute } from './reports.types.js';

const text = (en: string) => ({ nl: en, fr: en, de: en, en });
const attribute = (over: Partial<CategoryAttribute>): CategoryAttribute => ({
  code: 'a',
  datatype: 'string',
  required: false,
  order: 1,
  descriptions: text('A?'),
  values: [],
  ...over,
});
const check = (definitions: CategoryAttribute[], sent: Record<string, unknown>) =>
  checkAttributes(definitions, sent, (code) => `/attributes/${code}`);

describe('report rules', () => {
  it('find HTML tags and entities, not plain text with < and >', () => {
    expect(containsHtml('a <b>bold</b> claim')).toBe(true);
    expect(containsHtml('<script>alert(1)</script>')).toBe(true);
    expect(containsHtml('fish &amp; chips')).toBe(true);
    expect(containsHtml('depth < 5 cm and > 2 cm, R&D')).toBe(false);
  });

  it('refuse what XML cannot carry: control characters and lone surrogates', () => {
    expect(descriptionErrors('bell\u0007', '/d', { required: true })[0]?.code).toBe(
      'control_characters',
    );
    expect(descriptionErrors('half \ud800 pair', '/d', { required: true })[0]?.code).toBe(
      'control_characters',
    );
    expect(descriptionErrors('tab\tand\r\nlines, emoji 🕳️', '/d', { required: true })).toEqual([]);
    expect(
      categoryErrors({ code: 'p', names: { ...text('Pothole'), fr: 'Nid\u0000' } })[0]?.field,
    ).toBe('/names/fr');
  });

  it('limit descriptions to 4000 characters of plain text', () => {
    expect(descriptionErrors('x'.repeat(4000), '/d', { required: true })).toEqual([]);
    expect(descriptionErrors('x'.repeat(4001), '/d', { required: true })[0]?.code).toBe('too_long');
    expect(descriptionErrors('  ', '/d', { required: true })[0]?.code).toBe('required');
    expect(descriptionErrors('', '/d', { required: false })).toEqual([]);
  });

  it('check each Open311 datatype and return stored values', () => {
    const definitions = [
      attribute({ code: 's', datatype: 'string' }),
      attribute({ code: 'n', datatype: 'number' }),
      attribute({ code: 'd', datatype: 'datetime' }),
      attribute({ code: 't', datatype: 'text' }),
      attribute({
        code: 'one',
        datatype: 'singlevaluelist',
        values: [
          { key: 'x', names: text('X') },
          { key: 'y', names: text('Y') },
        ],
      }),
      attribute({
        code: 'many',
        datatype: 'multivaluelist',
        values: [
          { key: 'x', names: text('X') },
          { key: 'y', names: text('Y') },
        ],
      }),
    ];
    expect(
      check(definitions, {
        s: 'P-17',
        n: '12.5',
        d: '2026-11-30T20:00:00+01:00',
        t: 'two\nlines',
        one: 'x',
        many: ['y', 'x', 'y'],
      }),
    ).toEqual({
      values: {
        s: 'P-17',
        n: 12.5,
        d: '2026-11-30T19:00:00.000Z',
        t: 'two\nlines',
        one: 'x',
        many: ['y', 'x'],
      },
      errors: [],
    });
    const codes = (sent: Record<string, unknown>) =>
      check(definitions, sent).errors.map((e) => `${e.field}:${e.code}`);
    expect(codes({ n: 'ten' })).toEqual(['/attributes/n:number']);
    expect(codes({ n: 7 })).toEqual([]);
    expect(codes({ d: '2026-11-30' })).toEqual(['/attributes/d:datetime']);
    expect(codes({ d: '2026-11-30T20:00:00' })).toEqual(['/attributes/d:datetime']);
    expect(codes({ one: 'z' })).toEqual(['/attributes/one:not_in_list']);
    expect(codes({ one: ['x', 'y'] })).toEqual(['/attributes/one:single_value']);
    expect(codes({ many: ['x', 'z'] })).toEqual(['/attributes/many:not_in_list']);
    expect(codes({ s: 'x'.repeat(256) })).toEqual(['/attributes/s:too_long']);
    expect(codes({ zz: 'x' })).toEqual(['/attributes/zz:unknown_attribute']);
  });

  it('treat empty values as absent, so a required attribute must have one', () => {
    const required = [attribute({ code: 'r', required: true })];
    expect(check(required, { r: '' }).errors[0]?.code).toBe('required');
    expect(check(required, { r: [] }).errors[0]?.code).toBe('required');
    expect(check(required, {}).errors[0]?.code).toBe('required');
    expect(check([attribute({ code: 'o' })], { o: '' })).toEqual({ values: {}, errors: [] });
  });

  it('refuse categories with bad codes, lists without values, values on non-lists', () => {
    const names = text('Pothole');
    expect(categoryErrors({ code: 'pot hole', names })[0]?.field).toBe('/code');
    expect(
      categoryErrors({
        code: 'p',
        names,
        attributes: [
          attribute({ code: 'l', datatype: 'singlevaluelist' }),
          attribute({ code: 'l', datatype: 'string', values: [{ key: 'k', names }] }),
        ],
      }).map((e) => `${e.field}:${e.code}`),
    ).toEqual([
      '/attributes/0/values:required',
      '/attributes/1/code:duplicate',
      '/attributes/1/values:not_a_list',
    ]);
  });

  it('parse bbox as minLon,minLat,maxLon,maxLat', () => {
    expect(parseBbox('5.38,51.2,5.5,51.28')).toEqual({
      west: 5.38,
      south: 51.2,
      east: 5.5,
      north: 51.28,
    });
    for (const bad of ['5,51,6', '6,51,5,52', '5,52,6,51', 'a,b,c,d', '5,51,6,91', '1e3,0,0,0']) {
      expect(parseBbox(bad), bad).toBeUndefined();
    }
  });

  it('map sub-statuses to the Open311 status and write W3C dates in UTC', () => {
    expect(statusOf('unconfirmed')).toBe('pending');
    expect(statusOf('in_progress')).toBe('open');
    expect(statusOf('duplicate')).toBe('closed');
    expect(w3cDate('2026-12-01T09:00:00.123Z')).toBe('2026-12-01T09:00:00Z');
  });
});
