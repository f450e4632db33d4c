import { Type } from 'typebox';
import { LocaleSchema, LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { MAX_PHOTOS_PER_CLAIM } from '../claims/photos.service.js';
import { INBOX_MAX } from './inbox.service.js';
import {
  MAX_ATTRIBUTES,
  MAX_DESCRIPTION,
  MAX_NEARBY_RADIUS_METERS,
  MAX_VALUES,
} from './reports.rules.js';
import {
  ATTRIBUTE_DATATYPES,
  REPORT_STATUSES,
  SETTABLE_SUB_STATUSES,
  SUB_STATUSES,
} from './reports.types.js';

/** TypeBox schemas of report categories, reports, the staff inbox and the reports' GeoJSON feed. */

const Code = Type.String({ pattern: '^[A-Za-z0-9_-]{1,48}$', examples: ['pothole'] });
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const CategoryParamsSchema = Type.Object({
  slug: Type.String({ maxLength: 63 }),
  code: Code,
});
export const ReportParamsSchema = Type.Object({ reportId: Id });
export const ReportPhotoParamsSchema = Type.Object({ reportId: Id, photoId: Id });
export const InboxParamsSchema = Type.Object({
  slug: Type.String({ maxLength: 63 }),
  reportId: Id,
});

export const AttributeSchema = Type.Object(
  {
    code: Code,
    datatype: literalUnion(ATTRIBUTE_DATATYPES),
    required: Type.Boolean(),
    order: Type.Integer({ minimum: 0, maximum: 1000 }),
    descriptions: LocalizedTextSchema,
    values: Type.Array(
      Type.Object({ key: Code, names: LocalizedTextSchema }, { additionalProperties: false }),
      { maxItems: MAX_VALUES },
    ),
  },
  { additionalProperties: false },
);

const categoryFields = {
  names: LocalizedTextSchema,
  descriptions: Type.Optional(LocalizedTextSchema),
  group: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()])),
  keywords: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30 }),
  ),
  attributes: Type.Optional(Type.Array(AttributeSchema, { maxItems: MAX_ATTRIBUTES })),
  order: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
};

export const CategoryCreateSchema = Type.Object(
  { code: Code, ...categoryFields },
  { additionalProperties: false },
);

export const CategoryUpdateSchema = Type.Object(
  { ...categoryFields, status: Type.Optional(literalUnion(['active', 'archived'] as const)) },
  { additionalProperties: false },
);

export const CategorySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  names: LocalizedTextSchema,
  descriptions: Type.Record(Type.String(), Type.String()),
  group: Type.Union([Type.String(), Type.Null()]),
  keywords: Type.Array(Type.String()),
  attributes: Type.Array(AttributeSchema),
  status: literalUnion(['active', 'archived'] as const),
  order: Type.Integer(),
});

export const CategoryListSchema = Type.Object({ items: Type.Array(CategorySchema) });

export const CategoryQuerySchema = Type.Object(
  {
    all: Type.Optional(
      Type.Boolean({ description: 'Archived ones too (admins of the municipality).' }),
    ),
  },
  { additionalProperties: false },
);

const AttributeValueSchema = Type.Union([
  Type.String({ maxLength: MAX_DESCRIPTION }),
  Type.Number(),
  Type.Array(Type.String({ maxLength: 48 }), { maxItems: MAX_VALUES }),
]);

export const ReportInputSchema = Type.Object(
  {
    category: Code,
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    municipality: Type.Optional(Type.String({ maxLength: 63 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    description: Type.String({
      maxLength: 100_000,
      description: `Plain text, at most ${MAX_DESCRIPTION} characters (longer is refused with code too_long).`,
    }),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 48 }), AttributeValueSchema, {
        maxProperties: MAX_ATTRIBUTES,
      }),
    ),
    photoIds: Type.Optional(Type.Array(Id, { maxItems: MAX_PHOTOS_PER_CLAIM + 4 })),
    showName: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);

const UpdateSchema = Type.Object({
  status: literalUnion(REPORT_STATUSES),
  subStatus: literalUnion(SUB_STATUSES),
  note: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
});

const publicReportFields = {
  id: Type.String(),
  municipality: Type.String(),
  category: Type.Object({
    code: Type.String(),
    names: LocalizedTextSchema,
    group: Type.Union([Type.String(), Type.Null()]),
  }),
  latitude: Type.Number(),
  longitude: Type.Number(),
  address: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), AttributeValueSchema),
  status: literalUnion(REPORT_STATUSES),
  subStatus: literalUnion(SUB_STATUSES),
  reporterName: Type.Union([Type.String(), Type.Null()]),
  followers: Type.Integer(),
  photos: Type.Array(Type.String(), {
    description: 'Photo ids: GET /api/reports/{id}/photos/{photoId}.',
  }),
  mediaUrl: Type.Union([Type.String(), Type.Null()]),
  duplicateOf: Type.Union([Type.String(), Type.Null()]),
  updates: Type.Array(UpdateSchema),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const PublicReportSchema = Type.Object({
  ...publicReportFields,
  description: Type.Union([Type.String(), Type.Null()], {
    description: 'Null while staff hide the text.',
  }),
});

export const SubmittedReportSchema = Type.Object({
  report: PublicReportSchema,
  needsConfirmation: Type.Boolean({
    description: 'True for a visitor: the report waits until they follow the emailed link.',
  }),
});

export const ConfirmReportSchema = Type.Object(
  { token: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);

export const MyReportsSchema = Type.Object({
  reported: Type.Array(PublicReportSchema),
  followed: Type.Array(PublicReportSchema),
});

export const FollowSchema = Type.Object({
  following: Type.Boolean(),
  followers: Type.Integer(),
});

export const NearbyQuerySchema = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    category: Type.Optional(Code),
    radius: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: MAX_NEARBY_RADIUS_METERS, default: 250 }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const NearbyListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      category: Type.Object({ code: Type.String(), names: LocalizedTextSchema }),
      latitude: Type.Number(),
      longitude: Type.Number(),
      distanceMeters: Type.Integer(),
      description: Type.Union([Type.String(), Type.Null()]),
      status: literalUnion(REPORT_STATUSES),
      subStatus: literalUnion(SUB_STATUSES),
      followers: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

export const StaffReportSchema = Type.Object({
  ...publicReportFields,
  description: Type.String(),
  hidden: Type.Boolean(),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
  reporter: Type.Object({
    kind: literalUnion(['resident', 'visitor', 'api_key', 'staff'] as const),
    residentId: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    locale: LocaleSchema,
  }),
  claimId: Type.Union([Type.String(), Type.Null()]),
});

export const StaffReportListSchema = Type.Object({ items: Type.Array(StaffReportSchema) });

const BboxSchema = Type.String({
  maxLength: 120,
  description: 'minLon,minLat,maxLon,maxLat (WGS84 degrees).',
  examples: ['5.38,51.20,5.50,51.28'],
});

export const InboxQuerySchema = Type.Object(
  {
    status: Type.Optional(literalUnion(REPORT_STATUSES)),
    subStatus: Type.Optional(literalUnion(SUB_STATUSES)),
    category: Type.Optional(Code),
    assignee: Type.Optional(
      Type.String({ maxLength: 64, description: 'A staff user id, or `none` for unassigned.' }),
    ),
    bbox: Type.Optional(BboxSchema),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: INBOX_MAX })),
  },
  { additionalProperties: false },
);

export const AssignSchema = Type.Object(
  { assigneeId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);

export const StatusChangeSchema = Type.Object(
  {
    subStatus: literalUnion(SETTABLE_SUB_STATUSES),
    note: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);

export const StatusChangedSchema = Type.Object({
  report: StaffReportSchema,
  reward: Type.Union([Type.String(), Type.Null()], {
    description:
      'What the acceptance paid the resident reporter: paid, waiting (flagged for a claims review), no_activity, not_a_resident, or the refusal code (limit_reached, …); null when nothing was due.',
  }),
});

export const MergeSchema = Type.Object(
  { into: Id, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const EditSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 100_000 })),
    hidden: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const GeoQuerySchema = Type.Object(
  {
    bbox: BboxSchema,
    municipality: Type.Optional(Type.String({ maxLength: 63 })),
    status: Type.Optional(literalUnion(['open', 'closed'] as const)),
  },
  { additionalProperties: false },
);

export const FeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Object({
        type: Type.Literal('Point'),
        coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
      }),
      properties: Type.Object({
        id: Type.String(),
        kind: Type.Literal('report'),
        names: LocalizedTextSchema,
        category: Type.String(),
        status: literalUnion(REPORT_STATUSES),
        subStatus: literalUnion(SUB_STATUSES),
        municipality: Type.String(),
        followers: Type.Integer(),
        createdAt: Type.String({ format: 'date-time' }),
      }),
    }),
  ),
});
