// The review queue's keys: j or ↓ next claim, k or ↑ previous, a approve, r reject (with a reason).
// Pure, so it is tested without a browser (test/web/review-keys.test.ts).

export type ReviewKeyAction = 'next' | 'previous' | 'approve' | 'reject';

export interface KeyFacts {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The element the key went to: its tag, input type, and whether text can be typed into it. */
  target: { tagName: string; type?: string; isContentEditable?: boolean; inDialog?: boolean };
}

// Inputs where a letter or an arrow means something of its own; a checkbox or a button does not.
const KEYS_OF_THEIR_OWN = new Set(['checkbox', 'button', 'submit', 'reset']);

/**
 * What a key press does in the queue, or null when it is not a queue key or belongs to where it
 * was typed (a text field, a select, a radio group, a dialog) or comes with Ctrl, Alt or Cmd.
 */
export function reviewKeyAction(facts: KeyFacts): ReviewKeyAction | null {
  if (facts.altKey || facts.ctrlKey || facts.metaKey) return null;
  const { tagName, type, isContentEditable, inDialog } = facts.target;
  if (inDialog || isContentEditable) return null;
  const tag = tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return null;
  if (tag === 'INPUT' && !KEYS_OF_THEIR_OWN.has((type ?? 'text').toLowerCase())) return null;
  switch (facts.key) {
    case 'j':
    case 'J':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'K':
    case 'ArrowUp':
      return 'previous';
    case 'a':
    case 'A':
      return 'approve';
    case 'r':
    case 'R':
      return 'reject';
    default:
      return null;
  }
}

/** The claim to show after `current` moves by `step` in `ids`, staying within the list. */
export function neighbour(ids: readonly string[], current: string | null, step: 1 | -1) {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index === -1) return ids[0] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, index + step))] ?? null;
}

/**
 * The claim to open once `decided` leaves the list: the one that took its place, or the one
 * before it when it was the last; null when the list is then empty.
 */
export function nextAfterDecision(ids: readonly string[], decided: string): string | null {
  const index = ids.indexOf(decided);
  const rest = ids.filter((id) => id !== decided);
  if (rest.length === 0) return null;
  if (index === -1) return rest[0] ?? null;
  return rest[Math.min(index, rest.length - 1)] ?? null;
}
