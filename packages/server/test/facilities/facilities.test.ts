import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ start: { roles: ['api'] } });
});
afterAll(async () => t?.stop());

const depot = {
  name: 'Eastgate Bus Depot',
  kind: 'site',
  address: '3 Eastgate, York',
  latitude: 53.96,
  longitude: -1.08,
};

describe('facilities', () => {
  it('are created by a manager', async () => {
    const response = await t.request('POST', '/v1/facilities', {
      token: t.tokens.manager,
      body: depot,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject(depot);
  });

  it('are found by name or address', async () => {
    const byName = (
      await t.request('GET', '/v1/facilities?q=clinic', { token: t.tokens.viewer })
    ).json();
    const byAddress = (
      await t.request('GET', '/v1/facilities?q=Kingsway', { token: t.tokens.viewer })
    ).json();
    expect(byName.map((f: { name: string }) => f.name)).toEqual(['Riverside Medical Clinic']);
    expect(byAddress.map((f: { name: string }) => f.name)).toEqual(['Northwind Head Office']);
  });

  it('treat search wildcards as text', async () => {
    const response = await t.request('GET', '/v1/facilities?q=%25', { token: t.tokens.viewer });
    expect(response.json()).toEqual([]);
  });

  it('are paged', async () => {
    const page = (
      await t.request('GET', '/v1/facilities?limit=2&offset=1', { token: t.tokens.viewer })
    ).json();
    expect(page).toHaveLength(2);
  });

  it('are replaced by a manager', async () => {
    const created = (
      await t.request('POST', '/v1/facilities', { token: t.tokens.manager, body: depot })
    ).json();
    const response = await t.request('PUT', `/v1/facilities/${created.id}`, {
      token: t.tokens.manager,
      body: { ...depot, name: 'Eastgate Depot (renamed)' },
    });
    expect(response.json().name).toBe('Eastgate Depot (renamed)');
  });

  it('cannot be created by an inspector', async () => {
    const response = await t.request('POST', '/v1/facilities', {
      token: t.tokens.inspector,
      body: depot,
    });
    expect(response.statusCode).toBe(403);
  });

  it('answer 404 for an unknown id', async () => {
    const response = await t.request('GET', '/v1/facilities/0190a4c2-0000-7000-8000-000000000000', {
      token: t.tokens.viewer,
    });
    expect(response.statusCode).toBe(404);
  });

  it.each([
    [{ ...depot, name: '' }, 'body.name'],
    [{ ...depot, latitude: 91 }, 'body.latitude'],
    [{ ...depot, longitude: 'west' }, 'body.longitude'],
    [{ kind: 'site' }, 'body.name'],
    [{ ...depot, owner: 'me' }, 'body.owner'],
  ])('reject %j naming %s', async (body, field) => {
    const response = await t.request('POST', '/v1/facilities', { token: t.tokens.manager, body });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it('reject a limit above 500', async () => {
    const response = await t.request('GET', '/v1/facilities?limit=501', { token: t.tokens.viewer });
    expect(response.statusCode).toBe(400);
  });
});
