import type { ServiceContext } from '../../shared/context.js';

/** Reconciles every enabled municipality's treasury (the payouts-worker branch builds it). */
export async function reconcileAllPayouts(_ctx: ServiceContext): Promise<void> {}
