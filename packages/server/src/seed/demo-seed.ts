import type { Role } from '@avior/contract';
import type { Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import { hashPassword } from '../modules/accounts/password.ts';
import { loadFireProtectionTemplate } from '../modules/templates/fire-protection.importer.ts';
import { publishTemplate } from '../modules/templates/templates.routes.ts';
import { TemplatesRepository } from '../modules/templates/templates.repository.ts';

/** Password of every demo user; the README prints it, so it protects nothing. */
export const DEMO_PASSWORD = 'avior-demo-2026';

export const DEMO_ORG_SLUG = 'northwind';

const UNIQUE_VIOLATION = '23505';

const DEMO_USERS: readonly { name: string; role: Role; local: string }[] = [
  { name: 'Ada Admin', role: 'admin', local: 'admin' },
  { name: 'Mia Manager', role: 'manager', local: 'manager' },
  { name: 'Ian Inspector', role: 'inspector', local: 'inspector' },
  { name: 'Vic Viewer', role: 'viewer', local: 'viewer' },
];

const DEMO_FACILITIES = [
  {
    name: 'Harbour Road Water Treatment Plant',
    kind: 'plant',
    address: '12 Harbour Road, Portsmouth',
    latitude: 50.8,
    longitude: -1.09,
  },
  {
    name: 'Elm Street Primary School',
    kind: 'school',
    address: '4 Elm Street, Leeds',
    latitude: 53.8,
    longitude: -1.55,
  },
  {
    name: 'Riverside Medical Clinic',
    kind: 'clinic',
    address: '88 Riverside Walk, Bristol',
    latitude: 51.45,
    longitude: -2.59,
  },
  {
    name: 'Northwind Head Office',
    kind: 'office',
    address: '1 Kingsway, London',
    latitude: 51.51,
    longitude: -0.12,
  },
  {
    name: 'Canal Wharf Construction Site',
    kind: 'site',
    address: 'Canal Wharf, Birmingham',
    latitude: 52.48,
    longitude: -1.9,
  },
] as const;

export interface SeededOrganisation {
  readonly orgId: string;
  readonly users: Readonly<Record<Role, { id: string; email: string }>>;
  readonly facilityIds: readonly string[];
  readonly templateId: string;
}

/**
 * Creates an organisation with one user per role, five facilities and the fire-protection
 * template. Emails are `<role>@<slug>.example`. Used for the demo organisation on first start and
 * by tests to make more tenants.
 */
export async function seedOrganisation(
  db: Db,
  name: string,
  slug: string,
  password = DEMO_PASSWORD,
): Promise<SeededOrganisation> {
  const orgId = newId();
  await db.insertInto('organisations').values({ id: orgId, name, slug }).execute();

  const passwordHash = await hashPassword(password);
  const users = {} as Record<Role, { id: string; email: string }>;
  for (const user of DEMO_USERS) {
    const id = newId();
    const email = `${user.local}@${slug}.example`;
    await db
      .insertInto('users')
      .values({
        id,
        org_id: orgId,
        email,
        name: user.name,
        role: user.role,
        password_hash: passwordHash,
      })
      .execute();
    users[user.role] = { id, email };
  }

  const facilityIds = DEMO_FACILITIES.map(() => newId());
  await db
    .insertInto('facilities')
    .values(
      DEMO_FACILITIES.map((facility, index) => ({
        ...facility,
        id: facilityIds[index] as string,
        org_id: orgId,
        updated_at: new Date(),
      })),
    )
    .execute();

  const template = await publishTemplate(
    new TemplatesRepository(db),
    orgId,
    loadFireProtectionTemplate(),
  );
  return { orgId, users, facilityIds, templateId: template.id };
}

/** Seeds the demo organisation unless it exists; returns whether it did. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const existing = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', DEMO_ORG_SLUG)
    .executeTakeFirst();
  if (existing) return false;

  try {
    await db
      .transaction()
      .execute((trx) => seedOrganisation(trx, 'Northwind Facilities', DEMO_ORG_SLUG));
    return true;
  } catch (error) {
    // Another process starting at the same moment seeded it first.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
    throw error;
  }
}
