import type { ServiceContext } from '../../shared/context.js';
import type { Activity } from '../catalog/catalog.types.js';

/**
 * Rotating site codes shown at partner locations (to be completed): returns the location a code
 * belongs to when it is valid now for the activity's partner, else null.
 */
export async function verifySiteCode(
  _ctx: ServiceContext,
  _activity: Activity,
  _code: string,
): Promise<string | null> {
  return null;
}
