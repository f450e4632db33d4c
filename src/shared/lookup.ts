/**
 * Looks distinct ids up in pieces of `size` (one query each: SQL `in (…)` lists stay well under
 * the databases' parameter limits) and merges what each piece found. Ids not found are absent.
 */
export async function lookUpInPieces<V>(
  ids: readonly string[],
  find: (piece: string[]) => Promise<Map<string, V>>,
  size = 500,
): Promise<Map<string, V>> {
  const found = new Map<string, V>();
  const distinct = [...new Set(ids)];
  for (let start = 0; start < distinct.length; start += size) {
    for (const [id, value] of await find(distinct.slice(start, start + size))) found.set(id, value);
  }
  return found;
}
