import { Type } from 'typebox';
import { LocaleSchema } from '../../shared/schemas.js';
import { AreaAlertSchema } from '../alerts/alerts.schemas.js';
import {
  HouseholdSchema,
  ResidentSummarySchema,
  WalletMovementSchema,
  WalletSchema,
} from './identity.schemas.js';

/** TypeBox schemas for the resident's own data (language, export, deletion), the member card and the desk. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const UpdateMeSchema = Type.Object(
  { preferredLocale: LocaleSchema },
  { additionalProperties: false },
);

export const DeleteAccountSchema = Type.Object(
  {
    confirm: Type.Literal('DELETE', {
      description: 'Must be exactly "DELETE", so that no stray call deletes an account.',
    }),
  },
  { additionalProperties: false },
);

export const AccountDeletedSchema = Type.Object(
  {
    deleted: Type.Literal(true),
    pointsForfeited: Type.Integer({
      description: 'Spendable points taken out of circulation (ledger code account_deleted).',
    }),
    holdsVoided: Type.Integer(),
  },
  { additionalProperties: false },
);

export const DataExportSchema = Type.Object(
  {
    format: Type.Literal('civicpoints-data-export/1'),
    exportedAt: Type.String(),
    account: Type.Object({
      id: Type.String(),
      email: Nullable(Type.String()),
      displayName: Nullable(Type.String()),
      preferredLocale: LocaleSchema,
      memberCode: Type.String(),
      createdAt: Type.String(),
      municipality: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
    }),
    household: Nullable(
      Type.Object({
        address: Type.String(),
        inviteCode: Type.String(),
        members: Type.Integer({ description: 'How many people are in it (no names).' }),
        createdAt: Type.String(),
      }),
    ),
    sessions: Type.Array(
      Type.Object({
        createdAt: Type.String(),
        lastSeenAt: Type.String(),
        idleExpiresAt: Type.String(),
        absoluteExpiresAt: Type.String(),
        revokedAt: Nullable(Type.String()),
        current: Type.Boolean(),
      }),
    ),
    passkeys: Type.Array(
      Type.Object({
        name: Type.String(),
        createdAt: Type.String(),
        lastUsedAt: Nullable(Type.String()),
      }),
    ),
    areaAlerts: Type.Array(AreaAlertSchema),
    wallet: WalletSchema,
    walletHistory: Type.Array(WalletMovementSchema),
    emails: Type.Array(
      Type.Object({
        template: Type.String(),
        subject: Type.String(),
        locale: LocaleSchema,
        createdAt: Type.String(),
        sentAt: Nullable(Type.String()),
      }),
    ),
    auditEvents: Type.Array(
      Type.Object({
        occurredAt: Type.String(),
        action: Type.String(),
        actorKind: Type.String(),
        actorRoles: Type.Array(Type.String()),
        before: Type.Unknown(),
        after: Type.Unknown(),
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeskRegistrationSchema = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    locale: LocaleSchema,
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    inviteCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const DeskRegisteredSchema = Type.Object(
  {
    resident: ResidentSummarySchema,
    memberCode: Type.String({ description: 'Print it on the member card.' }),
    household: Nullable(HouseholdSchema),
  },
  { additionalProperties: false },
);

export const AddResidentEmailSchema = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }) },
  { additionalProperties: false },
);

export { fileSchema } from '../../shared/schemas.js';
