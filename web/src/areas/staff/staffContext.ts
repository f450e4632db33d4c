import { useOutletContext } from 'react-router';
import type { Municipality, MyUser } from '../../api/types';

/** What every staff page knows: who is signed in and which municipality they work on. */
export interface StaffContext {
  me: MyUser;
  /** The municipality the pages act on: the staff member's own, or the one an operator chose. */
  municipality: Municipality | null;
}

/** The staff context of the page; only inside StaffLayout's routes. */
export function useStaff(): StaffContext {
  return useOutletContext<StaffContext>();
}

/** The API path of the current municipality, e.g. `/api/municipalities/pelt`. */
export function municipalityPath(municipality: Pick<Municipality, 'slug'>): string {
  return `/api/municipalities/${encodeURIComponent(municipality.slug)}`;
}
