import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ start: { roles: ['api'] } });
});
afterAll(async () => t?.stop());

const boilerRoom = {
  key: 'boiler-room',
  title: 'Boiler room walk-through',
  sections: [
    {
      id: 'access',
      title: 'Access',
      questions: [
        {
          id: 'door_clear',
          type: 'yes_no_na',
          label: 'Is the door free of obstructions?',
          required: true,
          rules: [
            {
              when: { operator: 'equals', value: 'no' },
              severity: 'high',
              message: 'Exit blocked',
            },
          ],
        },
        {
          id: 'pressure',
          type: 'number',
          label: 'Boiler pressure (bar)',
          required: false,
          min: 0,
          max: 10,
        },
      ],
    },
  ],
};

describe('templates', () => {
  it('list the seeded fire-protection template', async () => {
    const list = (await t.request('GET', '/v1/templates', { token: t.tokens.viewer })).json();
    expect(
      list.find((row: { key: string }) => row.key === 'fire-protection-inspection').questionCount,
    ).toBe(367);
  });

  it('are published with version 1, then 2', async () => {
    const first = await t.request('POST', '/v1/templates', {
      token: t.tokens.manager,
      body: boilerRoom,
    });
    const second = await t.request('POST', '/v1/templates', {
      token: t.tokens.manager,
      body: { ...boilerRoom, title: 'Boiler room v2' },
    });
    expect([first.statusCode, first.json().version, second.json().version]).toEqual([201, 1, 2]);
  });

  it('keep every version readable', async () => {
    const published = (
      await t.request('POST', '/v1/templates', {
        token: t.tokens.admin,
        body: { ...boilerRoom, key: 'plant-room' },
      })
    ).json();
    const read = await t.request('GET', `/v1/templates/${published.id}`, {
      token: t.tokens.inspector,
    });
    expect(read.json().definition.sections[0].questions[0].id).toBe('door_clear');
  });

  it('reject a definition that breaks a rule across questions with 422', async () => {
    const broken = {
      ...boilerRoom,
      sections: [
        {
          ...boilerRoom.sections[0],
          questions: [boilerRoom.sections[0]!.questions[0], boilerRoom.sections[0]!.questions[0]],
        },
      ],
    };
    const response = await t.request('POST', '/v1/templates', {
      token: t.tokens.manager,
      body: broken,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('TEMPLATE_INVALID');
    expect(response.json().details.problems[0].path).toContain('sections[0].questions[1]');
  });

  it.each([
    [{ ...boilerRoom, key: 'Boiler Room' }, 'body.key'],
    [{ ...boilerRoom, sections: [] }, 'body.sections'],
    [{ key: 'x', sections: boilerRoom.sections }, 'body.title'],
  ])('reject a malformed definition naming %s', async (body, field) => {
    const response = await t.request('POST', '/v1/templates', { token: t.tokens.manager, body });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it('cannot be published by an inspector', async () => {
    const response = await t.request('POST', '/v1/templates', {
      token: t.tokens.inspector,
      body: boilerRoom,
    });
    expect(response.statusCode).toBe(403);
  });
});
