import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createSurvey, readPhoto, setSurveyStatus } from './media.helpers.ts';
import {
  createUpload,
  encodeMetadata,
  headUpload,
  patchInParts,
  patchUpload,
  photoMetadata,
  sendTus,
  startUpload,
  type HttpResult,
} from './tus.helpers.ts';

let t: TestApp;
let surveyId: string;
let otherOrgSurveyId: string;
let token: string;
let photo: Buffer;

beforeAll(async () => {
  t = await startTestApp();
  surveyId = await createSurvey(t);
  otherOrgSurveyId = await createSurvey(t, 'other');
  token = t.tokens.inspector;
  photo = await readPhoto('crack_church_masonry_sample.jpg');
});
afterAll(async () => {
  await t?.drainBus();
  await t?.stop();
});

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: {
    readonly problems?: readonly { field: string; problem: string }[];
    readonly field?: string;
    readonly [key: string]: unknown;
  };
}

function errorOf(response: HttpResult): ErrorBody {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(response.body) as ErrorBody;
}

function fieldsOf(response: HttpResult): string[] {
  const body = errorOf(response);
  return body.details.problems?.map((problem) => problem.field) ?? [body.details.field ?? ''];
}

/** Uploads the whole photo through tus and returns the mediaId. */
async function uploadPhoto(survey = surveyId, uploader = token): Promise<string> {
  const metadata = photoMetadata(survey);
  const path = await startUpload(t, uploader, metadata, photo.length);
  await patchInParts(t, path, uploader, photo, 1);
  return metadata.mediaId!;
}

describe('POST /v1/uploads rejects bad metadata', () => {
  const cases: readonly {
    name: string;
    metadata: (survey: string) => Record<string, string>;
    field: string;
  }[] = [
    {
      name: 'a missing mediaId',
      metadata: (survey) => ({ surveyId: survey, filename: 'a.jpg', filetype: 'image/jpeg' }),
      field: 'metadata.mediaId',
    },
    {
      name: 'a mediaId that is not a UUID',
      metadata: (survey) => photoMetadata(survey, { mediaId: 'photo-1' }),
      field: 'metadata.mediaId',
    },
    {
      name: 'a missing surveyId',
      metadata: () => ({ mediaId: crypto.randomUUID(), filename: 'a.jpg', filetype: 'image/jpeg' }),
      field: 'metadata.surveyId',
    },
    {
      name: 'a missing filename',
      metadata: (survey) => ({
        mediaId: crypto.randomUUID(),
        surveyId: survey,
        filetype: 'image/jpeg',
      }),
      field: 'metadata.filename',
    },
    {
      name: 'a capturedAt without an offset',
      metadata: (survey) => photoMetadata(survey, { capturedAt: '2026-03-01T10:15:00' }),
      field: 'metadata.capturedAt',
    },
    {
      name: 'a capturedAt on 30 February',
      metadata: (survey) => photoMetadata(survey, { capturedAt: '2026-02-30T10:15:00Z' }),
      field: 'metadata.capturedAt',
    },
    {
      name: 'a latitude without a longitude',
      metadata: (survey) => photoMetadata(survey, { latitude: '51.5' }),
      field: 'metadata.longitude',
    },
    {
      name: 'a latitude out of range',
      metadata: (survey) => photoMetadata(survey, { latitude: '91', longitude: '0' }),
      field: 'metadata.latitude',
    },
    {
      name: 'a questionId that is not an id',
      metadata: (survey) => photoMetadata(survey, { questionId: '1 photo' }),
      field: 'metadata.questionId',
    },
  ];

  it.each(cases)('answers 400 naming the field for $name', async ({ metadata, field }) => {
    const response = await createUpload(t, { token, length: 100, metadata: metadata(surveyId) });

    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(response)).toEqual([field]);
  });

  it('answers 400 for a malformed Upload-Metadata header', async () => {
    const response = await createUpload(t, {
      token,
      length: 100,
      headers: { 'upload-metadata': 'mediaId not-base64!' },
    });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-metadata']);
  });

  it('answers 400 without an Upload-Metadata header', async () => {
    const response = await createUpload(t, { token, length: 100 });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-metadata']);
  });

  it('answers 415 for a filetype that is not an accepted image type', async () => {
    const metadata = photoMetadata(surveyId, { filetype: 'image/gif' });
    const response = await createUpload(t, { token, length: 100, metadata });

    expect(response.status).toBe(415);
    expect(errorOf(response).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(errorOf(response).details.field).toBe('metadata.filetype');
  });

  it('answers 422 for a question that takes no photo', async () => {
    const metadata = photoMetadata(surveyId, { questionId: 'general_in_service' });
    const response = await createUpload(t, { token, length: 100, metadata });

    expect(response.status).toBe(422);
    expect(errorOf(response).code).toBe('ANSWER_INVALID');
  });
});

describe('POST /v1/uploads rejects bad lengths', () => {
  it('answers 400 naming the empty file for Upload-Length 0', async () => {
    const response = await createUpload(t, { token, length: 0, metadata: photoMetadata(surveyId) });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-length']);
    expect(errorOf(response).message).toMatch(/file is empty/);
  });

  it('answers 413 for an Upload-Length above MAX_UPLOAD_BYTES', async () => {
    const length = t.config.maxUploadBytes + 1;
    const response = await createUpload(t, { token, length, metadata: photoMetadata(surveyId) });

    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('PAYLOAD_TOO_LARGE');
    expect(errorOf(response).details.limit).toBe(t.config.maxUploadBytes);
  });

  it('answers 400 for a deferred length', async () => {
    const response = await sendTus(t, {
      method: 'POST',
      path: '/v1/uploads',
      token,
      headers: {
        'upload-defer-length': '1',
        'upload-metadata': encodeMetadata(photoMetadata(surveyId)),
      },
    });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-defer-length']);
  });

  it('answers 400 for an Upload-Length that is not a number', async () => {
    const response = await createUpload(t, {
      token,
      length: 'ten',
      metadata: photoMetadata(surveyId),
    });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-length']);
  });
});

describe('POST /v1/uploads checks the caller and the survey', () => {
  it('answers 401 without an access token', async () => {
    const response = await createUpload(t, {
      token: '',
      length: 100,
      metadata: photoMetadata(surveyId),
    });

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHENTICATED');
  });

  it('answers 412 without Tus-Resumable', async () => {
    const response = await sendTus(t, {
      method: 'POST',
      path: '/v1/uploads',
      token,
      withoutTusVersion: true,
      headers: {
        'upload-length': '100',
        'upload-metadata': encodeMetadata(photoMetadata(surveyId)),
      },
    });

    expect(response.status).toBe(412);
    expect(errorOf(response).code).toBe('TUS_VERSION_UNSUPPORTED');
    expect(response.headers['tus-version']).toBe('1.0.0');
  });

  it('answers 404 for an unknown survey', async () => {
    const metadata = photoMetadata(crypto.randomUUID());
    const response = await createUpload(t, { token, length: 100, metadata });

    expect(response.status).toBe(404);
    expect(errorOf(response).details).toMatchObject({ entity: 'Survey' });
  });

  it("answers 404 for another organisation's survey", async () => {
    const metadata = photoMetadata(otherOrgSurveyId);
    const response = await createUpload(t, { token, length: 100, metadata });

    expect(response.status).toBe(404);
    expect(errorOf(response).details).toMatchObject({ entity: 'Survey', id: otherOrgSurveyId });
  });

  it('answers 403 for a viewer', async () => {
    const metadata = photoMetadata(surveyId);
    const response = await createUpload(t, { token: t.tokens.viewer, length: 100, metadata });

    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('FORBIDDEN');
  });

  it('answers 409 for a submitted survey', async () => {
    const submitted = await createSurvey(t);
    await setSurveyStatus(t, submitted, 'submitted');
    const response = await createUpload(t, {
      token,
      length: 100,
      metadata: photoMetadata(submitted),
    });

    expect(response.status).toBe(409);
    expect(errorOf(response).details).toMatchObject({ entity: 'Survey', state: 'submitted' });
  });
});

describe('POST /v1/uploads with a mediaId in use', () => {
  it('answers MEDIA_ALREADY_UPLOADED for a photo already sent', async () => {
    const mediaId = await uploadPhoto();
    const metadata = photoMetadata(surveyId, { mediaId });

    const response = await createUpload(t, { token, length: photo.length, metadata });

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('MEDIA_ALREADY_UPLOADED');
    expect(errorOf(response).details.mediaId).toBe(mediaId);
  });

  it('answers MEDIA_ALREADY_UPLOADED once the survey is submitted', async () => {
    const survey = await createSurvey(t);
    const mediaId = await uploadPhoto(survey);
    await setSurveyStatus(t, survey, 'submitted');

    const response = await createUpload(t, {
      token,
      length: photo.length,
      metadata: photoMetadata(survey, { mediaId }),
    });

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('MEDIA_ALREADY_UPLOADED');
  });

  it("answers MEDIA_ID_CONFLICT for another user's photo", async () => {
    const mediaId = await uploadPhoto();
    const metadata = photoMetadata(surveyId, { mediaId });

    const response = await createUpload(t, {
      token: t.tokens.manager,
      length: photo.length,
      metadata,
    });

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('MEDIA_ID_CONFLICT');
  });

  it('answers MEDIA_ID_CONFLICT for a photo of another survey', async () => {
    const mediaId = await uploadPhoto();
    const otherSurvey = await createSurvey(t);

    const response = await createUpload(t, {
      token,
      length: photo.length,
      metadata: photoMetadata(otherSurvey, { mediaId }),
    });

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('MEDIA_ID_CONFLICT');
  });

  it('answers MEDIA_ID_CONFLICT for a mediaId of another organisation', async () => {
    const mediaId = await uploadPhoto();

    const response = await createUpload(t, {
      token: t.otherTokens.inspector,
      length: photo.length,
      metadata: photoMetadata(otherOrgSurveyId, { mediaId }),
    });

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('MEDIA_ID_CONFLICT');
  });
});

describe('upload URLs', () => {
  it("answer 404 to another user's requests", async () => {
    const path = await startUpload(t, token, photoMetadata(surveyId), photo.length);

    const strangers = [t.tokens.manager, t.otherTokens.inspector];
    for (const stranger of strangers) {
      const head = await headUpload(t, path, stranger);
      const patch = await patchUpload(t, path, stranger, 0, photo);
      const deleted = await sendTus(t, { method: 'DELETE', path, token: stranger });

      expect(head.status).toBe(404);
      expect(patch.status).toBe(404);
      expect(errorOf(patch).details).toMatchObject({ entity: 'Upload' });
      expect(deleted.status).toBe(404);
    }
    expect((await headUpload(t, path, token)).headers['upload-offset']).toBe('0');
  });

  it('ignore owner keys a client sends', async () => {
    const metadata = photoMetadata(surveyId, {
      'owner.orgId': t.demo.orgId,
      'owner.userId': t.demo.users.manager.id,
    });
    const path = await startUpload(t, token, metadata, photo.length);

    const asManager = await headUpload(t, path, t.tokens.manager);
    const asCreator = await headUpload(t, path, token);

    expect(asManager.status).toBe(404);
    expect(asCreator.status).toBe(200);
    expect(asCreator.headers['upload-metadata']).not.toMatch(/owner\./);
    expect(asCreator.headers['upload-metadata']).toMatch(/mediaId /);
  });

  it('answer 404 for an unknown upload', async () => {
    const response = await patchUpload(t, `/v1/uploads/${'0'.repeat(32)}`, token, 0, photo);

    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('NOT_FOUND');
  });

  it('answer 409 UPLOAD_OFFSET_MISMATCH for a wrong offset', async () => {
    const path = await startUpload(t, token, photoMetadata(surveyId), photo.length);
    await patchUpload(t, path, token, 0, photo.subarray(0, 1000));

    const response = await patchUpload(t, path, token, 500, photo.subarray(500));

    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('UPLOAD_OFFSET_MISMATCH');
    expect(errorOf(response).details).toMatchObject({ offset: 1000, received: '500' });
    expect((await headUpload(t, path, token)).headers['upload-offset']).toBe('1000');
  });

  it('answer 415 to a PATCH of another content type', async () => {
    const path = await startUpload(t, token, photoMetadata(surveyId), photo.length);

    const response = await patchUpload(t, path, token, 0, photo, { 'content-type': 'image/jpeg' });

    expect(response.status).toBe(415);
    expect(errorOf(response).details.field).toBe('headers.content-type');
  });

  it('answer 400 to a PATCH without Upload-Offset', async () => {
    const path = await startUpload(t, token, photoMetadata(surveyId), photo.length);

    const response = await sendTus(t, {
      method: 'PATCH',
      path,
      token,
      headers: { 'content-type': 'application/offset+octet-stream' },
      body: photo,
    });

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['headers.upload-offset']);
  });

  it('answer 413 to a PATCH past Upload-Length', async () => {
    const path = await startUpload(t, token, photoMetadata(surveyId), 1000);

    const response = await patchUpload(t, path, token, 0, photo.subarray(0, 1001));

    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answer 409 when the survey was submitted during the upload', async () => {
    const survey = await createSurvey(t);
    const path = await startUpload(t, token, photoMetadata(survey), photo.length);
    await setSurveyStatus(t, survey, 'submitted');

    const response = await patchUpload(t, path, token, 0, photo);

    expect(response.status).toBe(409);
    expect(errorOf(response).details).toMatchObject({ entity: 'Survey', state: 'submitted' });
    expect((await headUpload(t, path, token)).status).toBe(404);
  });
});
