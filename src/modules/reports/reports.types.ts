import type { Locale, LocalizedText } from '../../shared/locales.js';

/** Problem reports: categories (Open311 services), reports (service requests), their updates. */

/** The Open311 GeoReport v2 attribute datatypes. */
export const ATTRIBUTE_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

export interface CategoryAttribute {
  /** Unique within the category: letters, digits, `_` and `-`. */
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  /** Where it stands in the form (Open311 `order`). */
  order: number;
  /** The question asked, per language (Open311 `description`). */
  descriptions: LocalizedText;
  /** The choices of a list attribute: `key` is what is sent, `names` what is shown. */
  values: { key: string; names: LocalizedText }[];
}

export interface ReportCategory {
  id: string;
  municipalityId: string;
  /** The Open311 `service_code`. */
  code: string;
  names: LocalizedText;
  descriptions: LocalizedText;
  /** The Open311 `group`, e.g. `roads`. */
  group: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  status: 'active' | 'archived';
  order: number;
  createdAt: string;
  updatedAt: string;
}

export interface CategoryInput {
  code: string;
  names: LocalizedText;
  descriptions?: LocalizedText;
  group?: string | null;
  keywords?: string[];
  attributes?: CategoryAttribute[];
  order?: number;
}

/** Open311 knows only `open` and `closed`; `pending` reports wait for their email confirmation. */
export const REPORT_STATUSES = ['pending', 'open', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The finer state inside a status. */
export const OPEN_SUB_STATUSES = ['submitted', 'acknowledged', 'in_progress'] as const;
export const CLOSED_SUB_STATUSES = [
  'fixed',
  'not_responsible',
  'duplicate',
  'no_further_action',
] as const;
export const SUB_STATUSES = ['unconfirmed', ...OPEN_SUB_STATUSES, ...CLOSED_SUB_STATUSES] as const;
export type SubStatus = (typeof SUB_STATUSES)[number];
/** What staff may set: every sub-status but the ones the system sets itself. */
export const SETTABLE_SUB_STATUSES = [
  'acknowledged',
  'in_progress',
  'fixed',
  'not_responsible',
  'no_further_action',
] as const;
export type SettableSubStatus = (typeof SETTABLE_SUB_STATUSES)[number];

/** Sub-statuses that mean the municipality accepted the report as a real problem: it pays. */
export const ACCEPTED_SUB_STATUSES: readonly SubStatus[] = ['acknowledged', 'in_progress', 'fixed'];

export type AttributeValue = string | number | string[];

export interface ReportUpdate {
  status: ReportStatus;
  subStatus: SubStatus;
  /** The public note; null when the change was made without one. */
  note: string | null;
  at: string;
}

/** A report as anyone may see it: no reporter, no contact details. */
export interface PublicReport {
  id: string;
  municipality: string;
  category: { code: string; names: LocalizedText; group: string | null };
  latitude: number;
  longitude: number;
  address: string | null;
  /** Null while staff have hidden the text. */
  description: string | null;
  attributes: Record<string, AttributeValue>;
  status: ReportStatus;
  subStatus: SubStatus;
  /** The reporter's display name, only when they chose to show it. */
  reporterName: string | null;
  followers: number;
  photos: string[];
  mediaUrl: string | null;
  duplicateOf: string | null;
  updates: ReportUpdate[];
  createdAt: string;
  updatedAt: string;
}

/** A report as the municipality's staff see it in the inbox. */
export interface StaffReport extends Omit<PublicReport, 'description'> {
  /** The current text, even while hidden from the public (edits keep the original in the audit log). */
  description: string;
  hidden: boolean;
  assigneeId: string | null;
  reporter: {
    kind: 'resident' | 'visitor' | 'api_key' | 'staff';
    residentId: string | null;
    email: string | null;
    name: string | null;
    phone: string | null;
    locale: Locale;
  };
  claimId: string | null;
}

export interface NearbyReport {
  id: string;
  category: { code: string; names: LocalizedText };
  latitude: number;
  longitude: number;
  distanceMeters: number;
  description: string | null;
  status: ReportStatus;
  subStatus: SubStatus;
  followers: number;
  createdAt: string;
}
