import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Id prefixes per entity; ids are `prefix_` + a ULID, so they sort by creation time. */
export const ID_PREFIXES = {
  region: 'reg',
  municipality: 'mun',
  account: 'acc',
  email: 'eml',
  resident: 'res',
  session: 'ses',
  signInLink: 'lnk',
  household: 'hh',
  householdRegisterEntry: 'hhr',
  user: 'usr',
  partner: 'ptn',
  partnerLocation: 'loc',
  apiKey: 'key',
  auditEvent: 'aud',
  passkey: 'pky',
  activity: 'act',
  activityVersion: 'acv',
  claim: 'clm',
  photo: 'pho',
  importRun: 'imp',
  reward: 'rwd',
  voucher: 'vch',
  payout: 'pay',
  payoutAddress: 'pad',
  signingKey: 'vk',
  redemption: 'vrd',
  statement: 'stl',
  task: 'tsk',
  taskClaim: 'tcl',
  reportCategory: 'rca',
  report: 'rep',
  reportUpdate: 'rup',
  reportFollower: 'rfl',
  areaAlert: 'alr',
  webhook: 'whk',
  webhookEvent: 'evt',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

/**
 * ulid's default source asks the operating system for one random byte per character (16 calls
 * per id, a few per cent of a redemption's CPU); the same bytes come from a pool filled 4 KiB
 * at a time (as Node's randomUUID does). A byte / 256 picks each of the 32 characters evenly.
 */
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;
function randomFraction(): number {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  return pool[poolUsed++]! / 256;
}

const nextUlid = monotonicFactory(randomFraction);

/** Returns a new time-sortable id such as `mun_01JF7Q…`; monotonic within one process. */
export function newId(prefix: IdPrefix, now: Date = new Date()): string {
  return `${prefix}_${nextUlid(now.getTime()).toLowerCase()}`;
}
