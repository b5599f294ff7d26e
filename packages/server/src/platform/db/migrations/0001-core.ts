import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Every table carries org_id so each query can be scoped to one organisation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE organisations (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      email text NOT NULL,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'manager', 'inspector', 'viewer')),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
    CREATE INDEX users_org_role_idx ON users (org_id, role);

    CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      user_id uuid NOT NULL REFERENCES users (id),
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE facilities (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      name text NOT NULL,
      kind text NOT NULL,
      address text NOT NULL DEFAULT '',
      latitude double precision,
      longitude double precision,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX facilities_org_name_idx ON facilities (org_id, name);

    CREATE TABLE templates (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      key text NOT NULL,
      version integer NOT NULL,
      title text NOT NULL,
      definition jsonb NOT NULL,
      question_count integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, key, version)
    );

    CREATE TABLE surveys (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      facility_id uuid NOT NULL REFERENCES facilities (id),
      template_id uuid NOT NULL REFERENCES templates (id),
      inspector_id uuid NOT NULL REFERENCES users (id),
      assigned_by uuid NOT NULL REFERENCES users (id),
      status text NOT NULL CHECK (status IN ('assigned', 'in_progress', 'submitted', 'reviewed')),
      due_date date,
      started_at timestamptz,
      submitted_at timestamptz,
      reviewed_at timestamptz,
      reviewed_by uuid REFERENCES users (id),
      review_note text,
      score double precision,
      risk_level text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX surveys_org_status_idx ON surveys (org_id, status, due_date);
    CREATE INDEX surveys_inspector_idx ON surveys (inspector_id, status);

    CREATE TABLE answers (
      survey_id uuid NOT NULL REFERENCES surveys (id),
      question_id text NOT NULL,
      org_id uuid NOT NULL REFERENCES organisations (id),
      value jsonb NOT NULL,
      note text,
      updated_by uuid NOT NULL REFERENCES users (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (survey_id, question_id)
    );

    CREATE TABLE media (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      survey_id uuid NOT NULL REFERENCES surveys (id),
      question_id text,
      uploaded_by uuid NOT NULL REFERENCES users (id),
      file_name text NOT NULL,
      declared_type text NOT NULL,
      max_bytes integer NOT NULL,
      byte_size integer,
      status text NOT NULL CHECK (status IN ('awaiting_upload', 'uploaded', 'processed', 'failed')),
      failure_code text,
      failure_reason text,
      blob_key text NOT NULL,
      detected_format text,
      metadata jsonb,
      derivatives jsonb,
      blurhash text,
      perceptual_hash text,
      quality jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      uploaded_at timestamptz,
      processed_at timestamptz
    );
    CREATE INDEX media_survey_idx ON media (survey_id, status);

    CREATE TABLE findings (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      survey_id uuid NOT NULL REFERENCES surveys (id),
      media_id uuid REFERENCES media (id),
      question_id text,
      source text NOT NULL CHECK (source IN ('photo_quality', 'survey_rules')),
      code text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
      message text NOT NULL,
      evidence jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX findings_survey_idx ON findings (survey_id, source);

    CREATE TABLE reports (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      survey_id uuid NOT NULL UNIQUE REFERENCES surveys (id),
      status text NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
      blob_key text,
      byte_size integer,
      page_count integer,
      error text,
      requested_at timestamptz NOT NULL DEFAULT now(),
      generated_at timestamptz
    );

    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      user_id uuid NOT NULL REFERENCES users (id),
      event_id uuid NOT NULL,
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      UNIQUE (event_id, user_id)
    );
    CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
  `,
  );
}
