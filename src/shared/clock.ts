/** The source of "now"; services take it from the context so expiry and windows are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type FixedClock = Clock & { set(at: Date | string): void; advance(ms: number): void };

/** A clock that stands still until moved; for tests. */
export function fixedClock(start: Date | string): FixedClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
