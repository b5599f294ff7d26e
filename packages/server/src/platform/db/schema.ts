import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { BusTables } from '../bus/bus.schema.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: string;
  name: string;
  slug: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'inspector' | 'viewer';
  password_hash: string;
  created_at: CreatedAt;
}

export interface RefreshTokensTable {
  id: string;
  org_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface FacilitiesTable {
  id: string;
  org_id: string;
  name: string;
  kind: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TemplatesTable {
  id: string;
  org_id: string;
  key: string;
  version: number;
  title: string;
  definition: Json<unknown>;
  question_count: number;
  created_at: CreatedAt;
}

export type SurveyStatus = 'assigned' | 'in_progress' | 'submitted' | 'reviewed';

export interface SurveysTable {
  id: string;
  org_id: string;
  facility_id: string;
  template_id: string;
  inspector_id: string;
  assigned_by: string;
  status: SurveyStatus;
  due_date: string | null;
  started_at: Timestamp | null;
  submitted_at: Timestamp | null;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  review_note: string | null;
  score: number | null;
  risk_level: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AnswersTable {
  survey_id: string;
  question_id: string;
  org_id: string;
  value: Json<unknown>;
  note: string | null;
  updated_by: string;
  updated_at: Timestamp;
}

export type MediaStatus = 'awaiting_upload' | 'uploaded' | 'processed' | 'failed';

export interface MediaTable {
  id: string;
  org_id: string;
  survey_id: string;
  question_id: string | null;
  uploaded_by: string;
  file_name: string;
  declared_type: string;
  max_bytes: number;
  byte_size: number | null;
  status: MediaStatus;
  failure_code: string | null;
  failure_reason: string | null;
  blob_key: string;
  detected_format: string | null;
  metadata: Json<unknown> | null;
  derivatives: Json<unknown> | null;
  blurhash: string | null;
  perceptual_hash: string | null;
  quality: Json<unknown> | null;
  created_at: CreatedAt;
  uploaded_at: Timestamp | null;
  processed_at: Timestamp | null;
}

export interface FindingsTable {
  id: string;
  org_id: string;
  survey_id: string;
  media_id: string | null;
  question_id: string | null;
  source: 'photo_quality' | 'survey_rules';
  code: string;
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  message: string;
  evidence: Json<unknown>;
  created_at: CreatedAt;
}

export interface ReportsTable {
  id: string;
  org_id: string;
  survey_id: string;
  status: 'pending' | 'ready' | 'failed';
  blob_key: string | null;
  byte_size: number | null;
  page_count: number | null;
  error: string | null;
  /** Time of the latest request; a generation started before it does not store its PDF. */
  requested_at: ColumnType<Date, Date | string | undefined, Date | string>;
  generated_at: Timestamp | null;
}

export interface NotificationsTable {
  id: string;
  org_id: string;
  user_id: string;
  event_id: string;
  kind: string;
  title: string;
  body: string;
  data: Json<unknown>;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export interface CoreTables {
  organisations: OrganisationsTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  facilities: FacilitiesTable;
  templates: TemplatesTable;
  surveys: SurveysTable;
  answers: AnswersTable;
  media: MediaTable;
  findings: FindingsTable;
  reports: ReportsTable;
  notifications: NotificationsTable;
}

export interface Database extends CoreTables, BusTables {}

export type UserRow = Selectable<UsersTable>;
export type SurveyRow = Selectable<SurveysTable>;
export type MediaRow = Selectable<MediaTable>;
export type NewMedia = Insertable<MediaTable>;
export type { Generated };
