import { Type } from 'typebox';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { TASK_CLAIM_STATUSES, TASK_FLAGS, TASK_OUTCOMES, TASK_STATUSES } from './tasks.types.js';

/** TypeBox schemas of tasks, task claims, the nearby search and the map feed. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const NullableText = Type.Union([LocalizedTextSchema, Type.Null()]);
const Latitude = Type.Number({ minimum: -90, maximum: 90 });
const Longitude = Type.Number({ minimum: -180, maximum: 180 });
const DateTime = Type.String({
  minLength: 16,
  maxLength: 40,
  description: 'An ISO 8601 date and time with a zone, e.g. 2026-12-05T09:00:00+01:00.',
});
const Position = Type.Unsafe<[number, number]>(
  Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }),
);

const AreaSchema = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 500 }), {
      minItems: 1,
      maxItems: 20,
    }),
  },
  { additionalProperties: false, description: 'A GeoJSON Polygon in WGS84 ([lon, lat]).' },
);

const ProofRequiredSchema = Type.Object(
  { beforePhoto: Type.Boolean(), afterPhoto: Type.Boolean(), location: Type.Boolean() },
  { additionalProperties: false },
);

export const TaskInputSchema = Type.Object(
  {
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    safetyNotes: Type.Optional(NullableText),
    materials: Type.Optional(
      Type.Union([LocalizedTextSchema, Type.Null()], {
        description: 'Where to collect materials (bags, gloves, a grabber), per language.',
      }),
    ),
    location: Type.Optional(
      Type.Union([
        Type.Object(
          {
            latitude: Latitude,
            longitude: Longitude,
            radiusMeters: Type.Integer({ minimum: 1, maximum: 5000 }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    area: Type.Optional(Type.Union([AreaSchema, Type.Null()])),
    bountyPoints: Type.Integer({ minimum: 1, maximum: 100_000 }),
    slots: Type.Integer({ minimum: 1, maximum: 1000 }),
    windowStart: DateTime,
    windowEnd: DateTime,
    holdHours: Type.Integer({ minimum: 1, maximum: 720 }),
    estimatedMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    proofRequired: ProofRequiredSchema,
    volunteerSuitable: Type.Boolean({
      description:
        'Must be true: staff affirm the task suits volunteers and replaces no paid municipal work.',
    }),
    sourceReportId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

const taskProperties = {
  id: Type.String({ examples: ['tsk_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
  municipalityId: Type.String(),
  status: literalUnion(TASK_STATUSES),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  safetyNotes: NullableText,
  materials: NullableText,
  latitude: Type.Number(),
  longitude: Type.Number(),
  radiusMeters: Type.Union([Type.Integer(), Type.Null()]),
  area: Type.Union([AreaSchema, Type.Null()]),
  extentMeters: Type.Integer(),
  bountyPoints: Type.Integer(),
  slots: Type.Integer(),
  slotsTaken: Type.Integer(),
  slotsLeft: Type.Integer(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  holdHours: Type.Integer(),
  estimatedMinutes: Type.Integer(),
  proofRequired: ProofRequiredSchema,
  volunteerSuitable: Type.Literal(true),
  sourceReportId: NullableString,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  publishedAt: NullableString,
};

export const TaskSchema = Type.Object(taskProperties, { additionalProperties: false });

const TaskFlagSchema = Type.Object(
  {
    code: literalUnion(TASK_FLAGS),
    detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  },
  { additionalProperties: false },
);

export const TaskClaimSchema = Type.Object(
  {
    id: Type.String({ examples: ['tcl_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    taskId: Type.String(),
    residentId: Type.String(),
    slotNumber: Type.Integer(),
    status: literalUnion(TASK_CLAIM_STATUSES),
    claimedAt: Type.String(),
    expiresAt: Type.String({ description: 'When the hold lapses unless completed.' }),
    releasedAt: NullableString,
    completedAt: NullableString,
    proof: Type.Union([
      Type.Object(
        {
          beforePhotoIds: Type.Array(Type.String()),
          afterPhotoIds: Type.Array(Type.String()),
          latitude: NullableNumber,
          longitude: NullableNumber,
          flags: Type.Array(TaskFlagSchema),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    outcome: Type.Union([literalUnion(TASK_OUTCOMES), Type.Null()]),
    decidedAt: NullableString,
    decisionNote: NullableString,
    transferId: NullableString,
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const PublicTaskSchema = Type.Object(
  {
    ...taskProperties,
    municipalitySlug: Type.String(),
    myClaim: Type.Union([TaskClaimSchema, Type.Null()], {
      description: "The signed-in resident's latest claim on this task.",
    }),
  },
  { additionalProperties: false },
);

export const NearbyTaskSchema = Type.Object(
  {
    ...taskProperties,
    municipalitySlug: Type.String(),
    distanceMeters: Type.Union([Type.Integer(), Type.Null()], {
      description: 'From the point searched (or the box center).',
    }),
  },
  { additionalProperties: false },
);

export const NearbyListSchema = Type.Object(
  { items: Type.Array(NearbyTaskSchema) },
  { additionalProperties: false },
);
export const TaskListSchema = Type.Object(
  { items: Type.Array(TaskSchema) },
  { additionalProperties: false },
);
export const TaskWithClaimsSchema = Type.Object(
  { task: TaskSchema, claims: Type.Array(TaskClaimSchema) },
  { additionalProperties: false },
);
export const MyTaskListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { ...TaskClaimSchema.properties, task: TaskSchema },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const NumberText = (description: string) =>
  Type.String({ pattern: '^-?[0-9]{1,4}(\\.[0-9]{1,12})?$', description });

export const NearbyQuerySchema = Type.Object(
  {
    lat: Type.Optional(NumberText('Latitude of the point (with lon).')),
    lon: Type.Optional(NumberText('Longitude of the point (with lat).')),
    radius: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,6}$', description: 'Metres, default 2000, at most 50000.' }),
    ),
    bbox: Type.Optional(
      Type.String({
        maxLength: 120,
        description: 'minLon,minLat,maxLon,maxLat instead of lat/lon/radius (the map bounds).',
      }),
    ),
    municipality: Type.Optional(
      Type.String({ maxLength: 63, description: 'A municipality slug.' }),
    ),
    minBounty: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
    maxMinutes: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
    date: Type.Optional(
      Type.String({ maxLength: 10, description: 'YYYY-MM-DD: tasks whose window overlaps it.' }),
    ),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'At most 200.' })),
  },
  { additionalProperties: false },
);

export const FeedQuerySchema = Type.Object(
  {
    bbox: Type.String({ maxLength: 120, description: 'minLon,minLat,maxLon,maxLat' }),
    municipality: Type.Optional(Type.String({ maxLength: 63 })),
  },
  { additionalProperties: false },
);

export const TaskListQuerySchema = Type.Object(
  { status: Type.Optional(literalUnion(TASK_STATUSES)) },
  { additionalProperties: false },
);

export const TaskParamsSchema = Type.Object({ taskId: Id }, { additionalProperties: false });
export const StaffTaskParamsSchema = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 63 }), taskId: Id },
  { additionalProperties: false },
);
export const StaffClaimParamsSchema = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 63 }), claimId: Id },
  { additionalProperties: false },
);

export const TaskStatusChangeSchema = Type.Object(
  { action: literalUnion(['publish', 'close', 'cancel'] as const) },
  { additionalProperties: false },
);

export const DecisionSchema = Type.Object(
  {
    decision: literalUnion(['approve', 'reject'] as const),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const PhotoIds = Type.Array(Id, { maxItems: 4 });
export const CompletionSchema = Type.Object(
  {
    beforePhotoIds: Type.Optional(PhotoIds),
    afterPhotoIds: Type.Optional(PhotoIds),
    latitude: Type.Optional(Latitude),
    longitude: Type.Optional(Longitude),
  },
  {
    additionalProperties: false,
    description: 'Photos uploaded first with POST /api/me/claim-photos; where you are now.',
  },
);

export const CompletionResultSchema = TaskClaimSchema;

export const FeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object(
        {
          type: Type.Literal('Feature'),
          id: Type.String(),
          geometry: Type.Object(
            { type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) },
            { additionalProperties: false },
          ),
          properties: Type.Object(
            {
              id: Type.String(),
              kind: Type.Literal('task'),
              names: LocalizedTextSchema,
              status: Type.String(),
              municipality: Type.String(),
              createdAt: Type.String(),
              bounty: Type.Integer(),
              slotsLeft: Type.Integer(),
              windowStart: Type.String(),
              windowEnd: Type.String(),
              radiusMeters: Type.Union([Type.Integer(), Type.Null()]),
              estimatedMinutes: Type.Integer(),
            },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
