import { Type, type Static } from 'typebox';
import { Role, Uuid } from './common.schemas.ts';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const UserView = Type.Object({
  id: Uuid,
  orgId: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
});
export type UserView = Static<typeof UserView>;

export const SessionView = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresIn: Type.Integer({ description: 'Seconds' }),
  refreshToken: Type.String(),
  refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
  user: UserView,
});
export type SessionView = Static<typeof SessionView>;

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Role,
    password: Type.String({ minLength: 10, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;
