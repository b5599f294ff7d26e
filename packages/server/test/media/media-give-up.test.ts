import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../src/platform/bus/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createSurvey } from './media.helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

describe('media worker', () => {
  it('fails a photo whose every attempt errs, and reports it', async () => {
    const surveyId = await createSurvey(t);
    const mediaId = newId();
    await t.running.platform.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('media')
        .values({
          id: mediaId,
          org_id: t.demo.orgId,
          survey_id: surveyId,
          question_id: null,
          uploaded_by: t.demo.users.inspector.id,
          file_name: 'lost.jpg',
          declared_type: 'image/jpeg',
          max_bytes: 1000,
          byte_size: 1000,
          status: 'uploaded',
          failure_code: null,
          failure_reason: null,
          // No blob was ever stored under this key, so every attempt fails to read it.
          blob_key: `originals/${t.demo.orgId}/${surveyId}/${mediaId}`,
          detected_format: null,
          metadata: null,
          derivatives: null,
          blurhash: null,
          perceptual_hash: null,
          quality: null,
          uploaded_at: new Date(),
          processed_at: null,
        })
        .execute();
      await appendEvent(trx, {
        topic: 'media.uploaded',
        orgId: t.demo.orgId,
        payload: { mediaId, surveyId },
      });
    });
    t.running.platform.notifyCommitted();
    await t.drainBus();

    const media = (
      await t.request('GET', `/v1/media/${mediaId}`, { token: t.tokens.inspector })
    ).json();
    expect(media.status).toBe('failed');
    expect(media.failureCode).toBe('processing_failed');
    const letters = await t.running.platform.db
      .selectFrom('bus_dead_letters')
      .select('event_id')
      .execute();
    expect(letters).toHaveLength(0);
  });
});
