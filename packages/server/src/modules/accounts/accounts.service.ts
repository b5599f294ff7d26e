import { createHash, randomBytes } from 'node:crypto';
import type { CreateUserBody, SessionView, UserView } from '@avior/contract';
import type { Principal } from '../../gateway/auth.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import type { UserRow } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { AccountsRepository } from './accounts.repository.ts';
import { hashPassword, verifyPassword } from './password.ts';

export interface AccountsSettings {
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly signAccessToken: (principal: Principal) => string;
}

// Verifying against a real hash when the email is unknown keeps the response time the same,
// so timing does not reveal which emails have accounts.
const UNKNOWN_USER_HASH = hashPassword(randomBytes(16).toString('hex'));

export class AccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly settings: AccountsSettings,
  ) {}

  async login(email: string, password: string): Promise<SessionView> {
    const user = await this.repository.findUserByEmail(email);
    const valid = await verifyPassword(password, user?.password_hash ?? (await UNKNOWN_USER_HASH));
    if (!user || !valid) throw new AppError('INVALID_CREDENTIALS');

    return this.openSession(user);
  }

  /** Exchanges a refresh token for a new session; the old token stops working (rotation). */
  async refresh(refreshToken: string): Promise<SessionView> {
    const owner = await this.repository.revokeRefreshToken(hashToken(refreshToken));
    if (!owner)
      throw new AppError('UNAUTHENTICATED', {
        reason: 'the refresh token is invalid, expired or already used',
      });

    const user = await this.repository.findUser(owner.orgId, owner.userId);
    if (!user) throw new AppError('UNAUTHENTICATED', { reason: 'the account no longer exists' });
    return this.openSession(user);
  }

  async logout(refreshToken: string): Promise<void> {
    await this.repository.revokeRefreshToken(hashToken(refreshToken));
  }

  async getUser(principal: Principal): Promise<UserView> {
    const user = await this.repository.findUser(principal.orgId, principal.userId);
    if (!user) throw new AppError('NOT_FOUND', { entity: 'User', id: principal.userId });
    return toUserView(user);
  }

  async listUsers(orgId: string): Promise<UserView[]> {
    const users = await this.repository.listUsers(orgId);
    return users.map(toUserView);
  }

  async createUser(orgId: string, body: CreateUserBody): Promise<UserView> {
    const existing = await this.repository.findUserByEmail(body.email);
    if (existing)
      throw new AppError('INVALID_STATE', {
        entity: 'User',
        id: body.email,
        state: 'taken',
        reason: 'an account with this email exists',
      });

    const user: Omit<UserRow, 'created_at'> = {
      id: newId(),
      org_id: orgId,
      email: body.email,
      name: body.name,
      role: body.role,
      password_hash: await hashPassword(body.password),
    };
    await this.repository.insertUser(user);
    return toUserView(user);
  }

  private async openSession(
    user: Pick<UserRow, 'id' | 'org_id' | 'email' | 'name' | 'role'>,
  ): Promise<SessionView> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.refreshTokenTtlSeconds * 1000);
    await this.repository.insertRefreshToken({
      id: newId(),
      orgId: user.org_id,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt,
    });

    return {
      accessToken: this.settings.signAccessToken({
        userId: user.id,
        orgId: user.org_id,
        role: user.role,
      }),
      accessTokenExpiresIn: this.settings.accessTokenTtlSeconds,
      refreshToken,
      refreshTokenExpiresAt: expiresAt.toISOString(),
      user: toUserView(user),
    };
  }
}

// Refresh tokens are random 256-bit strings, so a plain SHA-256 is enough to keep stolen
// database rows from being usable as tokens.
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function toUserView(user: Pick<UserRow, 'id' | 'org_id' | 'email' | 'name' | 'role'>): UserView {
  return { id: user.id, orgId: user.org_id, email: user.email, name: user.name, role: user.role };
}
