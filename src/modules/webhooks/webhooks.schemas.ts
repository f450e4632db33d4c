import { Type } from 'typebox';
import { literalUnion } from '../../shared/schemas.js';
import { SLUG_PATTERN } from '../tenancy/tenancy.rules.js';
import { DESCRIPTION_MAX, URL_MAX } from './webhooks.rules.js';
import { EVENT_TYPES } from './webhooks.types.js';

/** TypeBox schemas of the webhook routes. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const slug = Type.String({ pattern: SLUG_PATTERN, minLength: 2, maxLength: 63 });
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 20,
  description: `Event types: ${EVENT_TYPES.join(', ')} (a partner: its own claims, vouchers and reports only).`,
});
const Url = Type.String({
  minLength: 1,
  maxLength: URL_MAX,
  description:
    'Where deliveries are POSTed: https (http and private addresses outside production only).',
});
const Description = Type.Union([Type.String({ maxLength: DESCRIPTION_MAX }), Type.Null()]);
const Status = literalUnion(['enabled', 'disabled'] as const);
const DeliveryStatus = literalUnion(['pending', 'delivered', 'failed'] as const);

export const SubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.String(),
    partnerId: Type.Union([Type.String(), Type.Null()]),
    url: Type.String(),
    description: Description,
    eventTypes: Type.Array(Type.String()),
    status: Status,
    previousSecretUntil: Type.Union([Time, Type.Null()], {
      description: 'Until when the secret replaced by the last rotation still signs too.',
    }),
    createdAt: Time,
    updatedAt: Time,
  },
  { additionalProperties: false },
);

export const SubscriptionListSchema = Type.Object(
  { items: Type.Array(SubscriptionSchema) },
  { additionalProperties: false },
);

export const IssuedSubscriptionSchema = Type.Object(
  {
    subscription: SubscriptionSchema,
    secret: Type.String({
      description:
        'The signing secret (whsec_…), shown this once: verify CivicPoints-Signature with it.',
    }),
  },
  { additionalProperties: false },
);

export const CreateSubscriptionSchema = Type.Object(
  {
    url: Url,
    eventTypes: EventTypes,
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const UpdateSubscriptionSchema = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'Sent as CivicPoints-Delivery; the same on a replay.' }),
    subscriptionId: Type.String(),
    eventId: Type.String(),
    eventType: Type.String(),
    status: DeliveryStatus,
    attempts: Type.Integer(),
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastAttemptAt: NullableTime,
    deliveredAt: NullableTime,
    failedAt: NullableTime,
    createdAt: Time,
  },
  { additionalProperties: false },
);

const AttemptSchema = Type.Object(
  {
    number: Type.Integer(),
    attemptedAt: Time,
    durationMs: Type.Integer(),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    outcome: literalUnion(['success', 'failure'] as const),
  },
  { additionalProperties: false },
);

export const DeliveryDetailSchema = Type.Object(
  {
    ...DeliverySchema.properties,
    attemptLog: Type.Array(AttemptSchema),
    body: Type.String({ description: 'The exact JSON body that is signed and sent.' }),
  },
  { additionalProperties: false },
);

export const DeliveryPageSchema = Type.Object(
  {
    items: Type.Array(DeliverySchema),
    next: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `before` for the next page; null on the last.',
    }),
  },
  { additionalProperties: false },
);

export const DeliveryQuerySchema = Type.Object(
  {
    status: Type.Optional(DeliveryStatus),
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const MunicipalWebhookParamsSchema = Type.Object(
  { slug, webhookId: Id },
  { additionalProperties: false },
);
export const MunicipalDeliveryParamsSchema = Type.Object(
  { slug, webhookId: Id, deliveryId: Id },
  { additionalProperties: false },
);
export const OwnWebhookParamsSchema = Type.Object(
  { webhookId: Id },
  { additionalProperties: false },
);
export const OwnDeliveryParamsSchema = Type.Object(
  { webhookId: Id, deliveryId: Id },
  { additionalProperties: false },
);
