import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('makes prefixed, lower-case ULIDs that sort by creation and never repeat', () => {
    const at = new Date('2026-12-04T10:00:00Z');
    const ids = Array.from({ length: 10_000 }, (_, i) =>
      newId('vrd', new Date(at.getTime() + Math.floor(i / 100))),
    );
    for (const id of ids) expect(id).toMatch(/^vrd_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('spreads the random part over all 32 characters', () => {
    const seen = new Map<string, number>();
    // newId is monotonic per process: a time at or before the last id's would only increment
    // that id. Start after the last id this process made (other test files share the process).
    const after = decodeTime(newId('vch').slice(4).toUpperCase()) + 1;
    for (let i = 0; i < 2_000; i++) {
      // A new millisecond each time, so each id draws fresh random characters.
      const random = newId('vch', new Date(after + i)).slice(-16);
      for (const char of random) seen.set(char, (seen.get(char) ?? 0) + 1);
    }
    expect(seen.size).toBe(32);
    // 32,000 characters: about 1,000 each; a skewed source would leave some far off.
    for (const count of seen.values()) expect(count).toBeGreaterThan(800);
  });
});
