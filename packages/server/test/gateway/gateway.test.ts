import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/platform/errors/error-catalogue.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

describe('error catalogue', () => {
  const documented = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

  const rows = new Map(
    [...documented.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [
      match[1],
      Number(match[2]),
    ]),
  );

  it.each(Object.entries(ERROR_CATALOGUE))('documents %s with its status', (code, entry) => {
    expect(rows.get(code)).toBe(entry.status);
  });

  it('documents no code that does not exist', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
});

describe('gateway', () => {
  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const response = await t.request('GET', '/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', details: { method: 'GET' } });
  });

  it('rejects malformed JSON with 400 INVALID_JSON', async () => {
    const response = await t.request('POST', '/v1/auth/login', {
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_JSON');
  });

  it('rejects a body in the wrong content type with 415', async () => {
    const response = await t.request('POST', '/v1/auth/login', {
      body: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an oversize JSON body with 413', async () => {
    const answers = Array.from({ length: 300 }, (_, i) => ({
      questionId: `q${i}`,
      value: 'x'.repeat(9_000),
    }));
    const response = await t.request(
      'PUT',
      '/v1/surveys/0190a4c2-0000-7000-8000-000000000000/answers',
      {
        token: t.tokens.inspector,
        body: { answers },
      },
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects a malformed id in the path with 400', async () => {
    const response = await t.request('GET', '/v1/surveys/not-a-uuid', { token: t.tokens.manager });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('params.id');
  });

  it.each([
    [
      'a NUL in a body field',
      'POST',
      '/v1/facilities',
      { name: 'Depot\u0000', kind: 'site' },
      'body.name',
    ],
    ['a NUL in the query', 'GET', '/v1/facilities?q=a%00b', undefined, 'querystring.q'],
    [
      'a lone surrogate in a body field',
      'POST',
      '/v1/facilities',
      { name: 'Depot a\ud800b', kind: 'site' },
      'body.name',
    ],
    [
      'a lone low surrogate in an array item',
      'POST',
      '/v1/sync/push',
      { deviceId: 'phone-1', mutations: [{ value: ['ok', 'bad\udc00'] }] },
      'body.mutations[0].value[1]',
    ],
    [
      'an offset past the maximum',
      'GET',
      '/v1/facilities?offset=99999999999999999999',
      undefined,
      'querystring.offset',
    ],
  ])('rejects %s with 400 naming the field', async (_case, method, url, body, field) => {
    const response = await t.request(method, url, {
      token: t.tokens.manager,
      ...(body ? { body } : {}),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it('rejects a body nested too deep with 400', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const response = await t.request('POST', '/v1/sync/push', {
      token: t.tokens.inspector,
      body: `{"deviceId":"phone-1","mutations":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('nested deeper than 64 levels');
  });

  it('keeps a correct surrogate pair', async () => {
    const response = await t.request('POST', '/v1/facilities', {
      token: t.tokens.manager,
      body: { name: 'Depot \ud83d\ude92', kind: 'site' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().name).toBe('Depot \u{1f692}');
  });

  it('replaces a request id that is not a plain token', async () => {
    const response = await t.request('GET', '/health/live', {
      headers: { 'x-request-id': 'evil\nid with spaces' },
    });
    expect(response.headers['x-request-id']).not.toContain(' ');
  });

  it('takes an access token in the query only on the WebSocket route', async () => {
    const response = await t.request('GET', `/v1/me?access_token=${t.tokens.viewer}`);
    expect(response.statusCode).toBe(401);
  });

  it('names the accepted values of an enum', async () => {
    const response = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: { email: 'x@northwind.example', name: 'X', role: 'owner', password: 'a-long-password' },
    });
    expect(response.json().message).toBe(
      'Invalid request: body.role must be one of admin, manager, inspector, viewer',
    );
  });

  it('echoes the request id', async () => {
    const response = await t.request('GET', '/health/live', {
      headers: { 'x-request-id': 'trace-me-123' },
    });
    expect(response.headers['x-request-id']).toBe('trace-me-123');
  });

  it('serves the OpenAPI document', async () => {
    const response = await t.request('GET', '/docs/json');
    expect(response.json().paths['/v1/surveys/{id}/answers']).toBeDefined();
  });

  it('reports readiness', async () => {
    const response = await t.request('GET', '/health/ready');
    expect(response.json().status).toBe('ready');
  });

  it('exposes request latency by route on /metrics', async () => {
    await t.request('GET', '/v1/facilities', { token: t.tokens.manager });
    const response = await t.request('GET', '/metrics');
    expect(response.body).toContain(
      'avior_http_request_duration_seconds_count{method="GET",route="/v1/facilities",status="200"}',
    );
  });
});

describe('rate limits', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '12' },
      start: { roles: ['api'] },
    });
  });
  afterAll(async () => limited?.stop());

  it('answer 429 RATE_LIMITED past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      statuses.push(
        (await limited.request('GET', '/v1/facilities', { token: limited.tokens.viewer }))
          .statusCode,
      );
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('count junk tokens against the client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      const response = await limited.request('GET', '/v1/facilities', { token: `junk-${i}` });
      statuses.push(response.statusCode);
    }
    expect(statuses).toContain(429);
  });

  it('count each caller separately', async () => {
    const response = await limited.request('GET', '/v1/facilities', {
      token: limited.tokens.manager,
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('load shedding', () => {
  let shedding: TestApp;
  beforeAll(async () => {
    shedding = await startTestApp({
      env: { MAX_EVENT_LOOP_DELAY_MS: '50' },
      start: { roles: ['api'] },
    });
  });
  afterAll(async () => shedding?.stop());

  it('answers 503 OVERLOADED while the event loop lags', async () => {
    // The lag is sampled on a timer, so a request can slip in before a sample. A few tries
    // make the test independent of which comes first.
    const responses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      holdEventLoop(800);
      await new Promise((resolve) => setTimeout(resolve, 20));
      responses.push(
        await shedding.request('GET', '/v1/facilities', { token: shedding.tokens.viewer }),
      );
    }
    const shed = responses.find((response) => response.statusCode === 503);
    expect(shed?.json().code).toBe('OVERLOADED');
    expect(shed?.headers['retry-after']).toBe('5');
  });

  it('keeps the health probes answering', async () => {
    holdEventLoop(800);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const response = await shedding.request('GET', '/health/live');
    expect(response.statusCode).toBe(200);
  });
});

function holdEventLoop(milliseconds: number): void {
  const until = Date.now() + milliseconds;
  while (Date.now() < until) {
    // Busy-wait, as a long synchronous task would.
  }
}
