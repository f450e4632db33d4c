import { useEffect, useState } from 'react';

/** The time now (ms), updated every `everyMs`: for windows that close (undo within 10 minutes). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
