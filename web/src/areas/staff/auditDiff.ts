/** One changed field of an audit entry: its name and its value before and after, as text. */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((v) => show(v) ?? '').join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function fields(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/**
 * What changed between an entry's before and after: every field whose value differs (a new
 * record shows all its fields as new), in the order the record lists them.
 */
export function diffOf(before: unknown, after: unknown): FieldChange[] {
  const old = fields(before);
  const next = fields(after);
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return keys
    .map((field) => ({ field, before: show(old[field]), after: show(next[field]) }))
    .filter((change) => change.before !== change.after);
}
