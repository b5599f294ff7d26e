import type { Db } from '../../platform/db/database.ts';
import type { UserRow } from '../../platform/db/schema.ts';

export class AccountsRepository {
  constructor(private readonly db: Db) {}

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  }

  findUser(orgId: string, userId: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  listUsers(orgId: string): Promise<UserRow[]> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('email')
      .execute();
  }

  async insertUser(user: Omit<UserRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async insertRefreshToken(token: {
    id: string;
    orgId: string;
    userId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        id: token.id,
        org_id: token.orgId,
        user_id: token.userId,
        token_hash: token.tokenHash,
        expires_at: token.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  /**
   * Revokes a live refresh token and returns its owner, in one statement, so the same token
   * cannot be exchanged twice by two racing requests.
   */
  async revokeRefreshToken(
    tokenHash: string,
  ): Promise<{ userId: string; orgId: string } | undefined> {
    const row = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning(['user_id', 'org_id'])
      .executeTakeFirst();
    return row ? { userId: row.user_id, orgId: row.org_id } : undefined;
  }
}
