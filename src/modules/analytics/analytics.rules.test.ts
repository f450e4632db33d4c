import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthBounds, yearBounds } from '../../shared/calendar.js';
import {
  figuresCsv,
  monthAt,
  monthsBetween,
  participationRate,
  pointTotals,
  resolveMonths,
  shiftMonth,
  yearsOf,
} from './analytics.rules.js';

// The figures' months are the calendar's (src/shared/calendar.ts): these tests pin the instants.
const monthWindow = (month: string) => {
  const { start, end } = monthBounds(month)!;
  return { from: start.toISOString(), to: end.toISOString() };
};
const yearWindow = (year: number) => {
  const { start, end } = yearBounds(year);
  return { from: start.toISOString(), to: end.toISOString() };
};

describe('Brussels calendar months', () => {
  it('starts and ends months at local midnight, in winter and summer time', () => {
    expect(monthWindow('2026-11')).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
    });
    // The clocks go forward on 29 March 2026 and back on 25 October 2026.
    expect(monthWindow('2026-03')).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
    });
    expect(monthWindow('2026-10')).toEqual({
      from: '2026-09-30T22:00:00.000Z',
      to: '2026-10-31T23:00:00.000Z',
    });
    expect(yearWindow(2026)).toEqual({
      from: '2025-12-31T23:00:00.000Z',
      to: '2026-12-31T23:00:00.000Z',
    });
  });

  it('puts an instant in the month where Brussels is', () => {
    expect(monthAt(new Date('2026-11-30T22:59:59.999Z'))).toBe('2026-11');
    expect(monthAt(new Date('2026-11-30T23:00:00.000Z'))).toBe('2026-12');
    expect(monthAt(new Date('2026-12-31T23:00:00.000Z'))).toBe('2027-01');
  });

  it('has every instant inside the window of its month', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01Z'),
          max: new Date('2090-01-01Z'),
          noInvalidDate: true,
        }),
        (at) => {
          const { from, to } = monthWindow(monthAt(at));
          const iso = at.toISOString();
          return from <= iso && iso < to;
        },
      ),
    );
  });

  it('shifts and lists months across years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-05', -17)).toBe('2024-12');
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(yearsOf(['2025-11', '2025-12', '2026-01'])).toEqual([2025, 2026]);
  });
});

describe('resolveMonths', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it('defaults to the 12 months up to this one', () => {
    const { months, errors } = resolveMonths({}, now);
    expect(errors).toEqual([]);
    expect(months[0]).toBe('2026-01');
    expect(months.at(-1)).toBe('2026-12');
    expect(resolveMonths({ to: '2026-03' }, now).months[0]).toBe('2025-04');
  });

  it('refuses a bad month, a reversed range and one too long', () => {
    expect(resolveMonths({ from: '2026-13' }, now).errors[0]?.code).toBe('month');
    expect(resolveMonths({ from: '2026-05', to: '2026-04' }, now).errors[0]?.code).toBe('order');
    expect(resolveMonths({ from: '2020-01', to: '2026-01' }, now).errors[0]?.code).toBe('range');
    expect(resolveMonths({ from: '2021-02', to: '2026-01' }, now).months).toHaveLength(60);
  });
});

describe('figures', () => {
  it('writes the CSV formula-safe, one figure a line', () => {
    const csv = figuresCsv({
      municipality: { slug: 'pelt', names: { nl: 'Pelt', fr: 'Pelt', de: 'Pelt', en: 'Pelt' } },
      from: '2026-11',
      to: '2026-11',
      registeredHouseholds: 0,
      pointValueCents: 2,
      months: [
        {
          month: '2026-11',
          households: 1,
          rate: null,
          activeResidents: 1,
          pointsIssued: 5,
          claims: 1,
        },
      ],
      years: [],
      byActivity: [],
      impact: [
        {
          key: '=HYPERLINK("http://x")',
          unit: 'kg',
          quantity: 1.5,
          months: [{ month: '2026-11', quantity: 1.5 }],
        },
      ],
      points: { issued: 5, spent: 0, expired: 0, outstanding: 5 },
      liability: { points: 5, cents: 10 },
      generatedAt: '2026-11-30T12:00:00.000Z',
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('municipality,period,measure,subject,value,unit');
    expect(lines).toContain('pelt,2026-11,participation_rate,,,ratio');
    expect(lines).toContain(`pelt,2026-11,impact,"'=HYPERLINK(""http://x"")",1.5,kg`);
    expect(lines).toContain('pelt,now,liability,,10,cents');
    expect(lines.at(-1)).toBe('');
  });

  it('rates participation against registered households, none when none are', () => {
    expect(participationRate(3, 10)).toBe(0.3);
    expect(participationRate(0, 10)).toBe(0);
    expect(participationRate(4, 0)).toBeNull();
  });

  it('reads issued, spent, expired and outstanding points from the account kinds', () => {
    const totals = (debitsPosted: number, creditsPosted: number) => ({
      accounts: 1,
      debitsPosted,
      creditsPosted,
      debitsPending: 0,
      creditsPending: 0,
    });
    expect(
      pointTotals({
        issuance: totals(1000, 50),
        wallet: totals(300, 950),
        partner: totals(0, 200),
        donation: totals(0, 40),
        tax_credit: totals(0, 10),
        expired: totals(0, 50),
      }),
    ).toEqual({ issued: 1000, spent: 250, expired: 50, outstanding: 950 });
    expect(pointTotals({})).toEqual({ issued: 0, spent: 0, expired: 0, outstanding: 0 });
  });
});
