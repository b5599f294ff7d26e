import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../../server/test/support/test-app.ts';
import type { SurveyView, TemplateView } from '@avior/contract';
import type { Device } from '../../src/data/device.ts';
import { restoreSession, signIn } from '../../src/data/index.ts';
import { storeSurveyDetail } from '../../src/data/refresh.ts';
import { createCookieFetch } from './cookie-fetch.ts';
import { createTestDevice, type TestDeviceOptions } from './devices.ts';

// The real Avior server (PGlite in memory, the demo organisation seeded) listening on
// 127.0.0.1, so the data layer talks to it over real HTTP, tus and WebSocket.

export const DEMO_PASSWORD = 'avior-demo-2026';
export const INSPECTOR_EMAIL = 'inspector@northwind.example';
export const MANAGER_EMAIL = 'manager@northwind.example';

export interface RunningServer {
  readonly t: TestApp;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const t = await startTestApp({ env });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return { t, baseUrl: `http://127.0.0.1:${port}`, stop: () => t.stop() };
}

/** Creates a survey of the demo template assigned to the demo inspector; returns its id. */
export async function assignSurvey(t: TestApp, managerToken = t.tokens.manager): Promise<string> {
  const response = await t.request('POST', '/v1/surveys', {
    token: managerToken,
    body: {
      facilityId: t.demo.facilityIds[0],
      templateId: t.demo.templateId,
      inspectorId: t.demo.users.inspector.id,
      dueDate: '2030-01-31',
    },
  });
  if (response.statusCode !== 201) throw new Error(`survey assignment failed: ${response.body}`);
  return response.json<{ id: string }>().id;
}

/**
 * Returns a function that gives each test a new device signed in as the inspector. The server
 * allows 20 sign-ins a minute from one address, so only the first device signs in. The others
 * share its refresh cookie and restore the session, as a second tab would.
 */
export function createInspectorDevices(): (options: TestDeviceOptions) => Promise<Device> {
  const cookies = createCookieFetch();
  let signedIn = false;
  return async (options) => {
    const device = createTestDevice({ ...options, fetch: cookies });
    if (signedIn) {
      await restoreSession();
    } else {
      await signIn(INSPECTOR_EMAIL, DEMO_PASSWORD);
      signedIn = true;
    }
    if (device.session.get().status !== 'signed_in')
      throw new Error('the test device is signed out');
    return device;
  };
}

/** Signs the manager in on the server side and returns a fresh access token. */
export async function managerToken(t: TestApp): Promise<string> {
  const response = await t.request('POST', '/v1/auth/login', {
    body: { email: MANAGER_EMAIL, password: DEMO_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`manager sign-in failed: ${response.body}`);
  return response.json<{ accessToken: string }>().accessToken;
}

/** Stores a survey on the device as a download would, and its template unless withTemplate is false. */
export async function storeSurvey(
  server: RunningServer,
  device: Device,
  surveyId: string,
  options: { withTemplate?: boolean } = {},
): Promise<void> {
  const token = server.t.tokens.inspector;
  const view = await server.t.request('GET', `/v1/surveys/${surveyId}`, { token });
  await storeSurveyDetail(device, view.json<SurveyView>());
  if (options.withTemplate === false) return;

  const template = await server.t.request('GET', `/v1/templates/${server.t.demo.templateId}`, {
    token,
  });
  await device.db.templates.put(template.json<TemplateView>());
}

/** Ids of the demo template's questions of one type, in template order. */
export async function questionsOfType(server: RunningServer, type: string): Promise<string[]> {
  const template = await server.t.request('GET', `/v1/templates/${server.t.demo.templateId}`, {
    token: server.t.tokens.inspector,
  });
  return template
    .json<TemplateView>()
    .definition.sections.flatMap((section) => section.questions)
    .filter((question) => question.type === type)
    .map((question) => question.id);
}
