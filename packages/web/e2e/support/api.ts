import type {
  FacilityView,
  MediaView,
  ReportView,
  SessionView,
  SurveyView,
  SyncConflictView,
  TemplateSummary,
  TemplateView,
  UserView,
} from '@avior/contract';
import { DEMO_PASSWORD } from '../../../server/src/seed/demo-seed.ts';

export const INSPECTOR_EMAIL = 'inspector@northwind.example';
export const MANAGER_EMAIL = 'manager@northwind.example';
export { DEMO_PASSWORD };

/**
 * A client of the Avior API for checks made outside the browser, signed in as one user. Every
 * call that gets a status other than the expected one raises an error with the response body.
 */
export class ApiClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly user: UserView,
  ) {}

  static async signIn(
    baseUrl: string,
    email: string,
    password = DEMO_PASSWORD,
  ): Promise<ApiClient> {
    const response = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const session = (await readJson(response, 'POST /v1/auth/login', 200)) as SessionView;
    return new ApiClient(baseUrl, session.accessToken, session.user);
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.headers() });
    return (await readJson(response, `GET ${path}`, 200)) as T;
  }

  async post<T>(path: string, body: unknown, expectedStatus = 200): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await readJson(response, `POST ${path}`, expectedStatus)) as T;
  }

  survey(id: string): Promise<SurveyView> {
    return this.get<SurveyView>(`/v1/surveys/${id}`);
  }

  media(surveyId: string): Promise<MediaView[]> {
    return this.get<MediaView[]>(`/v1/surveys/${surveyId}/media`);
  }

  report(surveyId: string): Promise<ReportView> {
    return this.get<ReportView>(`/v1/surveys/${surveyId}/report`);
  }

  conflicts(surveyId: string): Promise<SyncConflictView[]> {
    return this.get<SyncConflictView[]>(`/v1/sync/conflicts?surveyId=${surveyId}`);
  }

  template(id: string): Promise<TemplateView> {
    return this.get<TemplateView>(`/v1/templates/${id}`);
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

async function readJson(response: Response, request: string, expectedStatus: number) {
  const text = await response.text();
  if (response.status !== expectedStatus) {
    throw new Error(`${request} returned ${response.status}, expected ${expectedStatus}: ${text}`);
  }
  return text === '' ? null : (JSON.parse(text) as unknown);
}

export interface Assignment {
  readonly surveyId: string;
  readonly template: TemplateView;
  readonly facility: FacilityView;
}

/**
 * Assigns the demo fire-protection template at a demo facility to the demo inspector, as the
 * manager, and returns the new survey with its template.
 */
export async function assignDemoSurvey(manager: ApiClient, facilityIndex = 0): Promise<Assignment> {
  const [facilities, templates, users] = await Promise.all([
    manager.get<FacilityView[]>('/v1/facilities?limit=100'),
    manager.get<TemplateSummary[]>('/v1/templates'),
    manager.get<UserView[]>('/v1/users'),
  ]);
  const facility = [...facilities].sort((a, b) => a.name.localeCompare(b.name))[facilityIndex];
  const templateSummary = templates[0];
  const inspector = users.find((user) => user.email === INSPECTOR_EMAIL);
  if (!facility || !templateSummary || !inspector) {
    throw new Error('the demo organisation lacks a facility, a template or the inspector');
  }

  const survey = await manager.post<SurveyView>(
    '/v1/surveys',
    { facilityId: facility.id, templateId: templateSummary.id, inspectorId: inspector.id },
    201,
  );
  return { surveyId: survey.id, template: await manager.template(templateSummary.id), facility };
}

/** Reads the summed value of a Prometheus counter over all its label sets; 0 when absent. */
export async function readCounter(baseUrl: string, name: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics returned ${response.status}: ${text}`);

  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match && match[1] === name) sum += Number(match[3]);
  }
  return sum;
}

/** Whether /metrics lists a metric of this name at all, even at zero. */
export async function hasMetric(baseUrl: string, name: string): Promise<boolean> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text.includes(`# TYPE ${name} `);
}
