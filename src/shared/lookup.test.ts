import { describe, expect, it } from 'vitest';
import { lookUpInPieces } from './lookup.js';

describe('lookUpInPieces', () => {
  it('asks for each distinct id once, in pieces of the given size, and merges the answers', async () => {
    const asked: string[][] = [];
    const ids = Array.from({ length: 1203 }, (_, i) => `id${i % 1201}`);
    const found = await lookUpInPieces(
      ids,
      async (piece) => {
        asked.push(piece);
        return new Map(piece.filter((id) => id !== 'id7').map((id) => [id, id.toUpperCase()]));
      },
      500,
    );
    expect(asked.map((piece) => piece.length)).toEqual([500, 500, 201]);
    expect(new Set(asked.flat()).size).toBe(1201);
    expect(found.size).toBe(1200);
    expect(found.get('id1200')).toBe('ID1200');
    expect(found.has('id7')).toBe(false);
  });

  it('asks nothing for no ids', async () => {
    let calls = 0;
    const found = await lookUpInPieces([], async () => {
      calls += 1;
      return new Map();
    });
    expect(calls).toBe(0);
    expect(found.size).toBe(0);
  });
});
