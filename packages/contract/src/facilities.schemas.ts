import { Type, type Static } from 'typebox';
import { Uuid } from './common.schemas.ts';

export const FacilityView = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.String(),
  address: Type.String(),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type FacilityView = Static<typeof FacilityView>;

export const FacilityBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'plant, office, school, clinic, site...',
    }),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);
export type FacilityBody = Static<typeof FacilityBody>;

export const FacilityQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches name and address' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
export type FacilityQuery = Static<typeof FacilityQuery>;
