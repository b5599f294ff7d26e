import { Type, type Static } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID (v7 for new rows)' });

export const IdParams = Type.Object({ id: Uuid });

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable error code from the error catalogue' }),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { description: 'Every error response has this shape' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Role = Type.Enum(['admin', 'manager', 'inspector', 'viewer']);
export type Role = Static<typeof Role>;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
