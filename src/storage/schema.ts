import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Times are ISO-8601 UTC strings in both dialects
 * (timestamptz on PostgreSQL, text on SQLite); JSON columns come back as text in both
 * (jsonb on PostgreSQL) and are parsed by the repository that owns them.
 */

type Timestamp = string;

export interface RegionsTable {
  id: string;
  slug: string;
  name_nl: string;
  name_fr: string;
  name_de: string;
  name_en: string;
  kind: 'demo' | 'live';
  created_at: Timestamp;
}

export interface MunicipalitiesTable {
  id: string;
  region_id: string;
  slug: string;
  nis_code: string | null;
  name_nl: string;
  name_fr: string;
  name_de: string;
  name_en: string;
  default_locale: 'nl' | 'fr' | 'de' | 'en';
  registered_households: number;
  point_value_cents: number;
  boundary: string | null;
  points_expiry_months: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LedgerAccountsTable {
  id: string;
  municipality_id: string;
  kind:
    | 'issuance'
    | 'wallet'
    | 'partner'
    | 'expired'
    | 'tax_credit'
    | 'donation'
    | 'payout'
    | 'escrow'
    | 'settled';
  owner_id: string;
  flags: number;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
  created_at: Timestamp;
}

export interface LedgerTransfersTable {
  id: string;
  municipality_id: string;
  sequence: number;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  phase: 'single' | 'pending' | 'post' | 'void' | 'expire';
  pending_id: string | null;
  timeout_seconds: number | null;
  expires_at: Timestamp | null;
  code: string;
  reference: string | null;
  reverses_id: string | null;
  created_at: Timestamp;
  prev_hash: string;
  hash: string;
}

export interface LedgerChainHeadsTable {
  municipality_id: string;
  sequence: number;
  hash: string;
}

export interface LedgerLotsTable {
  id: string;
  municipality_id: string;
  account_id: string;
  expires_at: Timestamp | null;
  remaining: number;
}

export interface LedgerLotReservationsTable {
  hold_id: string;
  lot_id: string;
  municipality_id: string;
  amount: number;
  position: number;
}

export interface ResidentsTable {
  id: string;
  municipality_id: string;
  /** Null for a resident registered at the desk without one, and after the account is deleted. */
  email: string | null;
  display_name: string | null;
  preferred_locale: 'nl' | 'fr' | 'de' | 'en';
  member_code: string;
  status: 'active' | 'deleted';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  /** `staff` sessions belong to a row of `users` (staff, operator admins, partner users). */
  subject_kind: 'resident' | 'staff';
  subject_id: string;
  /** Null for an operator admin's session (the whole region). */
  municipality_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface SignInLinksTable {
  id: string;
  token_hash: string;
  email: string;
  municipality_id: string | null;
  locale: 'nl' | 'fr' | 'de' | 'en';
  requested_ip: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  /** `resident` sign-in, `user` sign-in (staff, operator, partner) or `user_invite`. */
  purpose: 'resident' | 'user' | 'user_invite';
}

export interface EmailOutboxTable {
  id: string;
  municipality_id: string | null;
  recipient: string;
  locale: 'nl' | 'fr' | 'de' | 'en';
  template: string;
  subject: string;
  body_text: string;
  body_html: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  attempts: number;
  last_error: string | null;
  /** The one-click unsubscribe link sent in its headers, so a retry sends the same. */
  unsubscribe_url: string | null;
}

export interface PointsExpiryNoticesTable {
  account_id: string;
  expires_at: Timestamp;
  municipality_id: string;
  points: number;
  sent_at: Timestamp;
}

export interface HouseholdsTable {
  id: string;
  municipality_id: string;
  address: string;
  invite_code: string;
  created_at: Timestamp;
  /** When a member proved the address with a register letter's code; null until then. */
  verified_at: Timestamp | null;
}

export interface HouseholdMembersTable {
  resident_id: string;
  household_id: string;
  municipality_id: string;
  joined_at: Timestamp;
}

export interface HouseholdRegisterTable {
  id: string;
  municipality_id: string;
  reference: string;
  address: string;
  members: number;
  locale: 'nl' | 'fr' | 'de' | 'en' | null;
  /** SHA-256 of the one-time code on the latest letter; null before any letter. */
  code_hash: string | null;
  code_issued_at: Timestamp | null;
  verified_household_id: string | null;
  verified_at: Timestamp | null;
  /** 1 while the latest import lists it; 0 for a verified entry the latest import dropped. */
  in_register: number;
  imported_at: Timestamp;
  created_at: Timestamp;
}

export interface PartnersTable {
  id: string;
  municipality_id: string;
  name: string;
  kind: 'merchant' | 'facility' | 'charity' | 'recycling_centre' | 'energy_provider';
  status: 'active' | 'inactive';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnerLocationsTable {
  id: string;
  partner_id: string;
  municipality_id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  created_at: Timestamp;
  removed_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  kind: 'staff' | 'operator' | 'partner';
  municipality_id: string | null;
  partner_id: string | null;
  email: string;
  display_name: string;
  /** JSON array of role names. */
  roles: string;
  preferred_locale: 'nl' | 'fr' | 'de' | 'en';
  status: 'invited' | 'active' | 'disabled';
  invited_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_sign_in_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: string;
  partner_id: string;
  municipality_id: string;
  name: string;
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_by: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  replaced_by: string | null;
}

export interface AuditEventsTable {
  id: string;
  municipality_id: string | null;
  actor_kind: string;
  actor_id: string;
  /** JSON array. */
  actor_roles: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON or null. */
  before: string | null;
  after: string | null;
  request_id: string | null;
  occurred_at: Timestamp;
}

export interface AuthFailuresTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp;
}

/** Shared rate-limit counters: the hits of `key` in the fixed window ending at `window_ends_at` (ms). */
export interface RateLimitsTable {
  key: string;
  window_ends_at: number;
  hits: number;
}

export interface PasskeysTable {
  id: string;
  municipality_id: string;
  resident_id: string;
  /** The credential id, base64url, as the authenticator gave it. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transports (`internal`, `hybrid`, `usb`, …). */
  transports: string;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface WebauthnChallengesTable {
  challenge_hash: string;
  purpose: 'registration' | 'authentication';
  resident_id: string | null;
  municipality_id: string | null;
  expires_at: Timestamp;
  used_at: Timestamp;
}

export interface MunicipalityOidcSettingsTable {
  municipality_id: string;
  status: 'enabled' | 'disabled';
  issuer: string;
  client_id: string;
  /** AES-256-GCM under SECRETS_KEY (src/shared/secret-box.ts); null for a public client. */
  client_secret_sealed: string | null;
  /** JSON array of lower-case domains; empty allows any. */
  allowed_email_domains: string;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OidcSignInStatesTable {
  state_hash: string;
  municipality_id: string;
  nonce: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ActivitiesTable {
  id: string;
  municipality_id: string;
  code: string;
  status: 'active' | 'archived';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ActivityVersionsTable {
  id: string;
  activity_id: string;
  municipality_id: string;
  effective_from: Timestamp;
  terms: string;
  created_by: string;
  created_at: Timestamp;
}

export interface EarningSettingsTable {
  municipality_id: string;
  yearly_cap_points: number | null;
  new_account_days: number;
  velocity_max_claims: number;
  velocity_window_minutes: number;
  photo_max_hours_apart: number;
  updated_at: Timestamp;
}

/** A partner location's site-code secret: AES-256-GCM under SECRETS_KEY (src/shared/secret-box.ts). */
export interface SiteCodeSecretsTable {
  location_id: string;
  municipality_id: string;
  partner_id: string;
  secret_sealed: string;
  created_at: Timestamp;
}

/** One member (household or resident) with a claim approved in a period (month or year). */
export interface AwardMembersTable {
  municipality_id: string;
  /** A Brussels month `YYYY-MM` or year `YYYY`. */
  period: string;
  member_kind: 'household' | 'resident';
  member_id: string;
}

/** Distinct households and residents with an approved claim per period (see award_members). */
export interface AwardPeriodsTable {
  municipality_id: string;
  period: string;
  households: number;
  residents: number;
}

/** Approved claims per activity and Brussels month. */
export interface AwardActivityMonthsTable {
  municipality_id: string;
  month: string;
  activity_id: string;
  claims: number;
  points: number;
  quantity_milli: number;
}

/** A municipality's payout rail settings (issue 9; migration 0027). */
export interface PayoutSettingsTable {
  municipality_id: string;
  rail: 'erc20';
  status: 'enabled' | 'disabled';
  rpc_url: string;
  chain_id: number;
  /** Null until a token is deployed or entered. */
  token_address: string | null;
  token_decimals: number;
  token_symbol: string;
  /** EIP-55 address of the treasury account (derived from its key). */
  treasury_address: string;
  /** Where the treasury's private key lives: `env:NAME` or `file:/absolute/path`. */
  treasury_key_source: string;
  /** Token base units per point, a decimal integer as text (may exceed 2^53). */
  token_units_per_point: string;
  min_points: number;
  max_points: number;
  yearly_cap_points: number;
  /** Payouts of more points than this wait for a finance officer; null: none wait. */
  approval_threshold_points: number | null;
  confirmations: number;
  cooling_off_hours: number;
  /** e.g. `https://explorer.example/tx/{hash}`; null: no link. */
  explorer_tx_url: string | null;
  reconcile_from_block: number;
  updated_by: string;
  updated_at: Timestamp;
}

/** A one-time message a resident signs to prove an address (EIP-4361). */
export interface PayoutAddressChallengesTable {
  nonce: string;
  municipality_id: string;
  resident_id: string;
  address: string;
  message: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

/** A resident's proven payout address; one `active` per resident. */
export interface PayoutAddressesTable {
  id: string;
  municipality_id: string;
  resident_id: string;
  address: string;
  status: 'active' | 'replaced';
  proven_at: Timestamp;
  /** Payouts to this address start here (cooling-off after a change). */
  usable_from: Timestamp;
  replaced_at: Timestamp | null;
}

export type PayoutStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'submitted'
  | 'confirmed'
  | 'parked'
  | 'failed'
  | 'rejected';

/** One payout request and what was sent for it. */
export interface PayoutsTable {
  id: string;
  municipality_id: string;
  resident_id: string;
  client_request_id: string;
  rail: 'erc20';
  points: number;
  /** Token base units, decimal text. */
  token_amount: string;
  address: string;
  status: PayoutStatus;
  /** The ledger's pending transfer wallet → payout (posted on confirmation, voided on failure). */
  hold_transfer_id: string;
  chain_id: number;
  token_address: string;
  treasury_address: string;
  nonce: number | null;
  tx_hash: string | null;
  /** The signed transaction, recorded before it is broadcast (to broadcast again after a crash). */
  signed_tx: string | null;
  block_number: number | null;
  park_reason: string | null;
  failure_reason: string | null;
  decided_by: string | null;
  requested_at: Timestamp;
  submitted_at: Timestamp | null;
  settled_at: Timestamp | null;
  updated_at: Timestamp;
}

/** The next nonce of a treasury on a chain. */
export interface PayoutNoncesTable {
  chain_id: number;
  treasury_address: string;
  next_nonce: number;
}

/** One comparison of the treasury's on-chain transfers with the ledger's payouts. */
export interface PayoutReconciliationsTable {
  id: string;
  municipality_id: string;
  ran_at: Timestamp;
  from_block: number;
  to_block: number;
  difference_count: number;
  differences: string;
  summary: string;
}

export interface ClaimsTable {
  id: string;
  municipality_id: string;
  activity_id: string;
  activity_version_id: string;
  resident_id: string;
  household_id: string | null;
  source: 'resident' | 'partner' | 'import' | 'staff' | 'report';
  partner_id: string | null;
  method: string;
  external_key: string | null;
  quantity_milli: number;
  requested_points: number;
  points: number;
  note: string | null;
  latitude: number | null;
  longitude: number | null;
  site_location_id: string | null;
  occurred_at: Timestamp;
  submitted_at: Timestamp;
  status: 'submitted' | 'approved' | 'rejected' | 'withdrawn';
  risk: 'none' | 'low' | 'medium' | 'high';
  flags: string;
  decided_at: Timestamp | null;
  decided_by_kind: string | null;
  decided_by: string | null;
  reject_reason: string | null;
  decision_note: string | null;
  appealed_at: Timestamp | null;
  appeal_note: string | null;
  transfer_id: string | null;
  updated_at: Timestamp;
}

export interface ClaimPhotosTable {
  id: string;
  municipality_id: string;
  resident_id: string;
  claim_id: string | null;
  sha256: string;
  perceptual_hash: string;
  content_type: string;
  width: number;
  height: number;
  display: Buffer;
  taken_at: Timestamp | null;
  latitude: number | null;
  longitude: number | null;
  created_at: Timestamp;
  /** The task claim whose proof this photo is (migration 0018). */
  task_claim_id: string | null;
}

export interface ImportRunsTable {
  id: string;
  municipality_id: string;
  partner_id: string | null;
  kind: 'visits';
  file_name: string;
  status: 'running' | 'done' | 'failed';
  rows_total: number;
  rows_done: number;
  awarded_count: number;
  waiting_count: number;
  already_count: number;
  problem_count: number;
  points: number;
  error_code: string | null;
  error_message: string | null;
  started_by_kind: string;
  started_by: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface ImportRunProblemsTable {
  run_id: string;
  municipality_id: string;
  line: number;
  reason: string;
  message: string;
  visit_id: string | null;
  stream: string | null;
}

export type RewardKind = 'facility_item' | 'merchant_discount' | 'tax_reduction' | 'donation';

export interface RewardsTable {
  id: string;
  municipality_id: string;
  code: string;
  kind: RewardKind;
  status: 'active' | 'archived';
  scope: 'municipality' | 'region';
  price_points: number;
  stock: number | null;
  stock_used: number;
  terms: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VoucherSigningKeysTable {
  id: string;
  municipality_id: string;
  public_key: string;
  private_key_sealed: string;
  status: 'active' | 'retired' | 'revoked';
  created_at: Timestamp;
  retired_at: Timestamp | null;
}

export interface VouchersTable {
  id: string;
  municipality_id: string;
  reward_id: string;
  resident_id: string;
  household_id: string | null;
  kind: RewardKind;
  status: 'issued' | 'redeemed' | 'cancelled' | 'expired' | 'completed';
  scope: 'municipality' | 'region';
  client_purchase_id: string;
  price_points: number;
  value_cents: number;
  discount_percent: number | null;
  short_code: string | null;
  token_id: string | null;
  key_id: string | null;
  hold_transfer_id: string | null;
  hold_count: number;
  issued_at: Timestamp;
  expires_at: Timestamp | null;
  redeemed_at: Timestamp | null;
  redemption_id: string | null;
  cancelled_at: Timestamp | null;
  expired_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface SettlementStatementsTable {
  id: string;
  municipality_id: string;
  partner_id: string;
  period: string;
  status: 'issued' | 'paid';
  lines: number;
  points: number;
  amount_cents: number;
  created_at: Timestamp;
  created_by: string;
  paid_at: Timestamp | null;
  paid_by: string | null;
  payment_reference: string | null;
}

export interface VoucherRedemptionsTable {
  id: string;
  municipality_id: string;
  voucher_id: string;
  partner_id: string;
  location_id: string | null;
  channel: 'online' | 'offline' | 'donation';
  client_redemption_id: string | null;
  device_id: string | null;
  redeemed_at: Timestamp;
  received_at: Timestamp;
  outcome: 'settled' | 'duplicate' | 'refused' | 'undone';
  refusal_code: string | null;
  cashier_kind: string;
  cashier_id: string;
  points: number;
  value_cents: number;
  transfer_id: string | null;
  statement_id: string | null;
  undone_at: Timestamp | null;
  seen_at: Timestamp | null;
}

export interface SpendingSettingsTable {
  municipality_id: string;
  liability_budget_cents: number | null;
  offline_max_count: number;
  offline_max_value_cents: number;
  updated_at: Timestamp;
}

export interface TasksTable {
  id: string;
  municipality_id: string;
  status: 'draft' | 'open' | 'closed' | 'cancelled';
  texts: string;
  latitude: number;
  longitude: number;
  radius_meters: number | null;
  area: string | null;
  extent_meters: number;
  cell: number;
  bounty_points: number;
  slots: number;
  slots_taken: number;
  window_start: Timestamp;
  window_end: Timestamp;
  hold_hours: number;
  estimated_minutes: number;
  proof_before_photo: number;
  proof_after_photo: number;
  proof_location: number;
  volunteer_suitable: number;
  source_report_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Timestamp | null;
}

export interface TaskClaimsTable {
  id: string;
  municipality_id: string;
  task_id: string;
  resident_id: string;
  slot_number: number;
  status: 'claimed' | 'released' | 'lapsed' | 'completed' | 'rejected';
  claimed_at: Timestamp;
  expires_at: Timestamp;
  released_at: Timestamp | null;
  completed_at: Timestamp | null;
  proof: string | null;
  outcome: 'approved' | 'review' | 'rejected' | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_note: string | null;
  transfer_id: string | null;
  updated_at: Timestamp;
}

export interface ReportCategoriesTable {
  id: string;
  municipality_id: string;
  code: string;
  names: string;
  descriptions: string;
  group_name: string | null;
  keywords: string;
  attributes: string;
  status: 'active' | 'archived';
  sort_order: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReportsTable {
  id: string;
  municipality_id: string;
  category_id: string;
  latitude: number;
  longitude: number;
  cell: number;
  address: string | null;
  address_id: string | null;
  description: string;
  attributes: string;
  media_url: string | null;
  status: 'pending' | 'open' | 'closed';
  sub_status: string;
  reporter_kind: 'resident' | 'visitor' | 'api_key' | 'staff';
  resident_id: string | null;
  api_key_id: string | null;
  reporter_email: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_locale: string;
  show_name: number;
  confirm_token_hash: string | null;
  confirm_expires_at: Timestamp | null;
  confirmed_at: Timestamp | null;
  assignee_id: string | null;
  hidden: number;
  duplicate_of: string | null;
  claim_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReportUpdatesTable {
  id: string;
  report_id: string;
  municipality_id: string;
  status: string;
  sub_status: string;
  note: string | null;
  author_kind: string;
  author_id: string;
  created_at: Timestamp;
}

export interface ReportFollowersTable {
  id: string;
  report_id: string;
  municipality_id: string;
  resident_id: string | null;
  email: string | null;
  locale: string;
  created_at: Timestamp;
}

export interface ReportPhotosTable {
  photo_id: string;
  report_id: string;
  municipality_id: string;
  position: number;
}

export interface Open311TokensTable {
  token: string;
  municipality_id: string;
  report_id: string | null;
  created_at: Timestamp;
}

export interface AreaAlertsTable {
  id: string;
  municipality_id: string;
  resident_id: string;
  area_kind: 'municipality' | 'circle';
  area_municipality_id: string | null;
  latitude: number | null;
  longitude: number | null;
  radius_m: number | null;
  include_tasks: number;
  include_reports: number;
  frequency: 'daily' | 'weekly';
  created_at: Timestamp;
  covered_until: Timestamp;
  next_digest_at: Timestamp;
  last_sent_at: Timestamp | null;
}

export interface JobsTable {
  id: string;
  queue: string;
  payload: string;
  state: 'created' | 'active' | 'retry' | 'completed' | 'failed';
  attempt: number;
  retry_limit: number;
  retry_delay_seconds: number;
  retry_backoff: number;
  expire_in_seconds: number;
  start_after: Timestamp;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  singleton_key: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface JobScheduleSlotsTable {
  schedule: string;
  slot_at: Timestamp;
  job_id: string | null;
  created_at: Timestamp;
}

export interface WebhookSubscriptionsTable {
  id: string;
  municipality_id: string;
  partner_id: string | null;
  url: string;
  description: string | null;
  event_types: string;
  status: 'enabled' | 'disabled';
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEventsTable {
  id: string;
  municipality_id: string;
  partner_id: string | null;
  type: string;
  body: string;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  municipality_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: string;
  municipality_id: string;
  delivery_id: string;
  number: number;
  attempted_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: 'success' | 'failure';
}

export interface Database {
  regions: RegionsTable;
  municipalities: MunicipalitiesTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_chain_heads: LedgerChainHeadsTable;
  ledger_lots: LedgerLotsTable;
  ledger_lot_reservations: LedgerLotReservationsTable;
  email_outbox: EmailOutboxTable;
  points_expiry_notices: PointsExpiryNoticesTable;
  residents: ResidentsTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  households: HouseholdsTable;
  household_members: HouseholdMembersTable;
  household_register: HouseholdRegisterTable;
  partners: PartnersTable;
  partner_locations: PartnerLocationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  auth_failures: AuthFailuresTable;
  rate_limits: RateLimitsTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  municipality_oidc_settings: MunicipalityOidcSettingsTable;
  oidc_sign_in_states: OidcSignInStatesTable;
  activities: ActivitiesTable;
  activity_versions: ActivityVersionsTable;
  earning_settings: EarningSettingsTable;
  claims: ClaimsTable;
  award_members: AwardMembersTable;
  award_periods: AwardPeriodsTable;
  award_activity_months: AwardActivityMonthsTable;
  payout_settings: PayoutSettingsTable;
  payout_address_challenges: PayoutAddressChallengesTable;
  payout_addresses: PayoutAddressesTable;
  payouts: PayoutsTable;
  payout_nonces: PayoutNoncesTable;
  payout_reconciliations: PayoutReconciliationsTable;
  claim_photos: ClaimPhotosTable;
  site_code_secrets: SiteCodeSecretsTable;
  import_runs: ImportRunsTable;
  import_run_problems: ImportRunProblemsTable;
  rewards: RewardsTable;
  voucher_signing_keys: VoucherSigningKeysTable;
  vouchers: VouchersTable;
  settlement_statements: SettlementStatementsTable;
  voucher_redemptions: VoucherRedemptionsTable;
  spending_settings: SpendingSettingsTable;
  tasks: TasksTable;
  task_claims: TaskClaimsTable;
  report_categories: ReportCategoriesTable;
  reports: ReportsTable;
  report_updates: ReportUpdatesTable;
  report_followers: ReportFollowersTable;
  report_photos: ReportPhotosTable;
  open311_tokens: Open311TokensTable;
  area_alerts: AreaAlertsTable;
  jobs: JobsTable;
  job_schedule_slots: JobScheduleSlotsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

// Kept for later tables with database-assigned columns.
export type { Generated };
