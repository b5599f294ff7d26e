import { Type, type Static } from 'typebox';
import { Role, Uuid } from './common.schemas.ts';

/** Where the server puts the refresh token of a new session. */
export const REFRESH_TOKEN_DELIVERIES = ['body', 'cookie'] as const;
export type RefreshTokenDelivery = (typeof REFRESH_TOKEN_DELIVERIES)[number];

/** Name of the httpOnly cookie that carries the refresh token of a browser session. */
export const REFRESH_COOKIE_NAME = 'avior_refresh';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    refreshTokenIn: Type.Optional(
      Type.Enum(REFRESH_TOKEN_DELIVERIES, {
        description:
          'body (default) returns the refresh token in the response; cookie sets it in an httpOnly cookie scoped to /v1/auth instead, for browsers',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  {
    refreshToken: Type.Optional(
      Type.String({
        minLength: 20,
        maxLength: 200,
        description: 'Leave out to use the refresh cookie set at sign-in',
      }),
    ),
  },
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
  refreshToken: Type.Optional(
    Type.String({ description: 'Absent when the refresh token travels in the cookie' }),
  ),
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
