import type { SyncOrganisation } from './sync.fixture.ts';
import { sendJson, type SendBatch, type SentRequest } from './sync.load.ts';
import type { DeviceWorkload } from './sync.workload.ts';

/**
 * Returns the workload that repeats, through the answers route, exactly the requests the
 * offline pushes sent: the same devices in the same order, each cut after its last batch sent,
 * with the repeated batch only when its repeat was sent.
 */
export function replayOfSent(
  devices: readonly DeviceWorkload[],
  sent: readonly SentRequest[],
): DeviceWorkload[] {
  const batchesSent = new Map<number, number>();
  const repeated = new Set<number>();
  for (const request of sent) {
    batchesSent.set(
      request.device,
      Math.max(batchesSent.get(request.device) ?? 0, request.batch + 1),
    );
    if (request.copy === 1) repeated.add(request.device);
  }

  return devices.flatMap((device, index) => {
    const count = batchesSent.get(index);
    if (count === undefined) return [];

    const retry = repeated.has(index) ? device.retry : undefined;
    return [{ ...device, batches: device.batches.slice(0, count), retry }];
  });
}

/**
 * Saves a batch with PUT /v1/surveys/:id/answers in the answers organisation, as the same
 * inspector number. The route has no clock: the last request saved wins.
 */
export function saveThroughAnswersRoute(
  baseUrl: string,
  organisation: SyncOrganisation,
  timeoutMs: number,
): SendBatch {
  return (device, batch) => {
    const surveyId = organisation.surveyIds[batch.survey] ?? '';
    const answers = batch.edits.map((edit) => ({
      questionId: edit.questionId,
      value: edit.value,
      ...(edit.note === undefined ? {} : { note: edit.note }),
    }));
    return sendJson(`${baseUrl}/v1/surveys/${surveyId}/answers`, {
      method: 'PUT',
      token: organisation.inspectors[device.inspector]?.token ?? '',
      body: { answers },
      timeoutMs,
    });
  };
}
