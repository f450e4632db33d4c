import { Type } from 'typebox';
import { API_KEY_SCOPES, PARTNER_KINDS } from '../../shared/roles.js';
import { literalUnion } from '../../shared/schemas.js';
import { UserSchema } from '../identity/users.schemas.js';
import { SLUG_PATTERN } from '../tenancy/tenancy.rules.js';
import {
  API_KEY_NAME_MAX,
  LOCATION_ADDRESS_MAX,
  LOCATION_NAME_MAX,
  PARTNER_NAME_MAX,
} from './partners.rules.js';

/** TypeBox schemas for partners, their locations, users and API keys. */

const literals = literalUnion;
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const PartnerKindSchema = literals(PARTNER_KINDS);
export const PartnerStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('inactive')], {
  description: "An inactive partner's API keys do not work.",
});
export const ApiKeyScopeSchema = literals(API_KEY_SCOPES);

const partnerFields = {
  id: Type.String({ examples: ['ptn_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
  municipalityId: Type.String(),
  name: Type.String(),
  kind: PartnerKindSchema,
  status: PartnerStatusSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const PartnerSchema = Type.Object(partnerFields, { additionalProperties: false });
export const PartnerListSchema = Type.Object(
  { items: Type.Array(PartnerSchema) },
  { additionalProperties: false },
);

export const LocationSchema = Type.Object(
  {
    id: Type.String(),
    partnerId: Type.String(),
    municipalityId: Type.String(),
    name: Type.String(),
    address: Type.String(),
    latitude: Type.Number(),
    longitude: Type.Number(),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
);

export const ApiKeySummarySchema = Type.Object(
  {
    active: Type.Integer(),
    revoked: Type.Integer(),
    lastUsedAt: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const PartnerDetailSchema = Type.Object(
  {
    ...partnerFields,
    locations: Type.Array(LocationSchema),
    users: Type.Optional(
      Type.Array(UserSchema, {
        description: 'Absent for staff who may read partners but not manage them.',
      }),
    ),
    apiKeys: ApiKeySummarySchema,
  },
  { additionalProperties: false },
);

export const OwnPartnerSchema = Type.Object(
  { ...partnerFields, locations: Type.Array(LocationSchema) },
  { additionalProperties: false },
);

const partnerName = Type.String({ minLength: 1, maxLength: PARTNER_NAME_MAX });

export const CreatePartnerSchema = Type.Object(
  { name: partnerName, kind: PartnerKindSchema },
  { additionalProperties: false },
);

export const UpdatePartnerSchema = Type.Object(
  {
    name: Type.Optional(partnerName),
    kind: Type.Optional(PartnerKindSchema),
    status: Type.Optional(PartnerStatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

const locationFields = {
  name: Type.String({ minLength: 1, maxLength: LOCATION_NAME_MAX }),
  address: Type.String({ minLength: 1, maxLength: LOCATION_ADDRESS_MAX }),
  latitude: Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 degrees.' }),
  longitude: Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 degrees.' }),
};

export const CreateLocationSchema = Type.Object(locationFields, { additionalProperties: false });

export const UpdateLocationSchema = Type.Object(
  {
    name: Type.Optional(locationFields.name),
    address: Type.Optional(locationFields.address),
    latitude: Type.Optional(locationFields.latitude),
    longitude: Type.Optional(locationFields.longitude),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** A key as anyone may see it: never its secret nor its hash. */
export const ApiKeySchema = Type.Object(
  {
    id: Type.String({ examples: ['key_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    partnerId: Type.String(),
    name: Type.String(),
    scopes: Type.Array(ApiKeyScopeSchema),
    createdBy: Type.String({ description: 'The user (or key) that created it.' }),
    createdAt: Type.String(),
    lastUsedAt: Nullable(Type.String()),
    revokedAt: Nullable(Type.String()),
    replacedBy: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const ApiKeyListSchema = Type.Object(
  { items: Type.Array(ApiKeySchema) },
  { additionalProperties: false },
);

export const CreateApiKeySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_KEY_NAME_MAX }),
    scopes: Type.Array(ApiKeyScopeSchema, { minItems: 1, maxItems: API_KEY_SCOPES.length }),
  },
  { additionalProperties: false },
);

export const IssuedApiKeySchema = Type.Object(
  {
    key: ApiKeySchema,
    secret: Type.String({
      description:
        'The key itself (cpk_…), shown this once: send it as Authorization: Bearer. Only its hash is kept.',
    }),
  },
  { additionalProperties: false },
);

const slug = Type.String({ pattern: SLUG_PATTERN, minLength: 2, maxLength: 63 });

export const PartnerParamsSchema = Type.Object(
  { slug, partnerId: Id },
  { additionalProperties: false },
);
export const PartnerLocationParamsSchema = Type.Object(
  { slug, partnerId: Id, locationId: Id },
  { additionalProperties: false },
);
export const PartnerUserParamsSchema = Type.Object(
  { slug, partnerId: Id, userId: Id },
  { additionalProperties: false },
);
export const PartnerKeyParamsSchema = Type.Object(
  { slug, partnerId: Id, keyId: Id },
  { additionalProperties: false },
);
export const OwnUserParamsSchema = Type.Object({ userId: Id }, { additionalProperties: false });
export const OwnKeyParamsSchema = Type.Object({ keyId: Id }, { additionalProperties: false });
