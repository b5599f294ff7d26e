import type { TemplateView } from '@avior/contract';
import { signAccessToken } from '../src/gateway/auth.ts';
import type { Db } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/ids.ts';
import { seedOrganisation } from '../src/seed/demo-seed.ts';
import { callApi, type ApiSession } from './bench.api.ts';
import type { BenchServer } from './bench.server.ts';
import { SURVEYS_PER_INSPECTOR } from './sync.workload.ts';

/** Rows per INSERT, well under PostgreSQL's limit of 65,535 parameters per statement. */
const ROWS_PER_INSERT = 500;

/** An organisation whose inspectors each have SURVEYS_PER_INSPECTOR assigned surveys. */
export interface SyncOrganisation {
  readonly orgId: string;
  /** Session of the organisation's manager, who may pull every change. */
  readonly manager: ApiSession;
  /** Session of each inspector, by inspector number. */
  readonly inspectors: readonly ApiSession[];
  /** Survey ids by survey number, `inspector * SURVEYS_PER_INSPECTOR + k`. */
  readonly surveyIds: readonly string[];
}

export interface SyncFixture {
  readonly template: TemplateView;
  /** Organisation that receives the offline pushes. */
  readonly sync: SyncOrganisation;
  /**
   * Organisation that receives the same answers through the answers route, so the two never
   * share a row.
   */
  readonly answers: SyncOrganisation;
}

/**
 * Creates two organisations like the demo one, each with `inspectors` more inspectors and
 * their assigned surveys of the fire-protection template, in bulk through the database.
 * Access tokens are signed by the running server's own signer, as sign-in does, to skip one
 * scrypt password check per inspector.
 */
export async function prepareSyncFixture(
  server: BenchServer,
  inspectors: number,
): Promise<SyncFixture> {
  const sync = await createOrganisation(server, 'bench-sync', inspectors);
  const answers = await createOrganisation(server, 'bench-answers', inspectors);
  const template = await callApi<TemplateView>(
    sync.manager,
    'GET',
    `/v1/templates/${sync.templateId}`,
  );
  return { template, sync, answers };
}

async function createOrganisation(
  server: BenchServer,
  slug: string,
  inspectors: number,
): Promise<SyncOrganisation & { templateId: string }> {
  const { db } = server.running.platform;
  const seeded = await seedOrganisation(db, `Bench ${slug}`, slug);
  const inspectorIds = await insertInspectors(db, seeded.orgId, slug, inspectors);
  const surveyIds = inspectorIds.flatMap(() =>
    Array.from({ length: SURVEYS_PER_INSPECTOR }, () => newId()),
  );
  const now = new Date();
  const rows = surveyIds.map((id, index) => ({
    id,
    org_id: seeded.orgId,
    facility_id: seeded.facilityIds[index % seeded.facilityIds.length] ?? '',
    template_id: seeded.templateId,
    inspector_id: inspectorIds[Math.floor(index / SURVEYS_PER_INSPECTOR)] ?? '',
    assigned_by: seeded.users.manager.id,
    status: 'assigned' as const,
    due_date: '2030-01-31',
    started_at: null,
    submitted_at: null,
    reviewed_at: null,
    reviewed_by: null,
    review_note: null,
    score: null,
    risk_level: null,
    updated_at: now,
  }));
  await insertInChunks(rows, (part) => db.insertInto('surveys').values(part).execute());

  const session = (userId: string, role: 'manager' | 'inspector'): ApiSession => ({
    baseUrl: server.url,
    token: signToken(server, { userId, orgId: seeded.orgId, role }),
    userId,
    orgId: seeded.orgId,
  });
  return {
    orgId: seeded.orgId,
    templateId: seeded.templateId,
    manager: session(seeded.users.manager.id, 'manager'),
    inspectors: inspectorIds.map((id) => session(id, 'inspector')),
    surveyIds,
  };
}

/** Inserts inspectors who sign in with the demo password, and returns their ids. */
async function insertInspectors(
  db: Db,
  orgId: string,
  slug: string,
  count: number,
): Promise<string[]> {
  const { password_hash: passwordHash } = await db
    .selectFrom('users')
    .select('password_hash')
    .where('org_id', '=', orgId)
    .where('role', '=', 'inspector')
    .executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, index) => ({
    id: newId(),
    org_id: orgId,
    email: `inspector-${index}@${slug}.example`,
    name: `Inspector ${index}`,
    role: 'inspector' as const,
    password_hash: passwordHash,
  }));
  await insertInChunks(rows, (part) => db.insertInto('users').values(part).execute());
  return rows.map((row) => row.id);
}

async function insertInChunks<T>(
  rows: readonly T[],
  insert: (part: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await insert(rows.slice(start, start + ROWS_PER_INSERT));
  }
}

function signToken(
  server: BenchServer,
  principal: { userId: string; orgId: string; role: 'manager' | 'inspector' },
): string {
  const { app } = server.running;
  if (!app) throw new Error('The bench server has no HTTP app to sign access tokens with');

  return signAccessToken(app, principal);
}
