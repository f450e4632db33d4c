import { Type } from 'typebox';
import { LocaleSchema, LocalizedTextSchema, ProblemSchema } from '../../shared/schemas.js';
import { SLUG_PATTERN } from './tenancy.rules.js';

/** TypeBox schemas for the tenancy routes: validation, serialisation and OpenAPI from one source. */

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });

export const BoundarySchema = Type.Union(
  [
    Type.Object({
      type: Type.Literal('Polygon'),
      coordinates: Type.Array(Type.Array(Position)),
    }),
    Type.Object({
      type: Type.Literal('MultiPolygon'),
      coordinates: Type.Array(Type.Array(Type.Array(Position))),
    }),
  ],
  { description: 'GeoJSON geometry (RFC 7946) in WGS84.' },
);

export const RegionSchema = Type.Object(
  {
    slug: Type.String(),
    names: LocalizedTextSchema,
    demo: Type.Boolean({
      description: 'True for demonstration data that no municipality endorses.',
    }),
    mapTiles: Type.Object(
      {
        url: Type.String({
          description: 'Leaflet tile URL template (MAP_TILE_URL).',
          examples: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
        }),
        attribution: Type.String({
          description: 'Plain-text attribution shown on the map (MAP_TILE_ATTRIBUTION).',
          examples: ['© OpenStreetMap contributors'],
        }),
      },
      { additionalProperties: false, description: "The map's tile layer." },
    ),
  },
  { additionalProperties: false },
);

const municipalityFields = {
  id: Type.String({ examples: ['mun_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
  slug: Type.String({ pattern: SLUG_PATTERN }),
  nisCode: Type.Union([Type.String(), Type.Null()], { description: 'Statbel NIS code.' }),
  names: LocalizedTextSchema,
  defaultLocale: LocaleSchema,
  registeredHouseholds: Type.Integer({ minimum: 0 }),
  pointValueCents: Type.Integer({
    minimum: 1,
    description: 'What one point is worth, in euro cents.',
  }),
  pointsExpiryMonths: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'Points expire this many months after they were earned; null: never.',
  }),
  hasBoundary: Type.Boolean(),
};

export const MunicipalitySchema = Type.Object(municipalityFields, { additionalProperties: false });

export const MunicipalityDetailSchema = Type.Object(
  { ...municipalityFields, boundary: Type.Union([BoundarySchema, Type.Null()]) },
  { additionalProperties: false },
);

export const MunicipalityListSchema = Type.Object(
  { items: Type.Array(MunicipalitySchema) },
  { additionalProperties: false },
);

export const SlugParamsSchema = Type.Object(
  { slug: Type.String({ pattern: SLUG_PATTERN, minLength: 2, maxLength: 63 }) },
  { additionalProperties: false },
);

export const BoundaryUploadSchema = Type.Object(
  {
    type: Type.Union(
      [
        Type.Literal('Polygon'),
        Type.Literal('MultiPolygon'),
        Type.Literal('Feature'),
        Type.Literal('FeatureCollection'),
      ],
      {
        description: 'A geometry, a Feature of one, or a FeatureCollection of exactly one Feature.',
      },
    ),
  },
  {
    additionalProperties: true,
    description:
      'GeoJSON (RFC 7946, WGS84 [longitude, latitude]): a Polygon or MultiPolygon, or a Feature or one-Feature FeatureCollection holding one.',
  },
);

export const BoundarySummarySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    polygons: Type.Integer({ minimum: 1 }),
    holes: Type.Integer({ minimum: 0 }),
    vertices: Type.Integer({ minimum: 4 }),
    bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
      description: '[west, south, east, north] in degrees.',
    }),
    areaSquareKm: Type.Number({ description: 'Approximate area (planar at its latitude).' }),
  },
  { additionalProperties: false },
);

export const PointQuerySchema = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS84 degrees.' }),
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS84 degrees.' }),
  },
  { additionalProperties: false },
);

export const MunicipalityAtSchema = Type.Object(
  { slug: Type.String({ pattern: SLUG_PATTERN }), names: LocalizedTextSchema },
  { additionalProperties: false },
);

export { ProblemSchema };
