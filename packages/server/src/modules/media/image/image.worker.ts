import { parentPort } from 'node:worker_threads';

import { processImage } from './image.processor.ts';
import { serializeError } from './image.worker-protocol.ts';
import type { WorkerJobMessage, WorkerReplyMessage } from './image.worker-protocol.ts';

// Entry point of the threads that createImageProcessorPool starts. The pool sends each thread
// one job at a time.
const port = parentPort;
if (port === null) {
  throw new Error(
    'image.worker.ts must run in a worker thread started by createImageProcessorPool',
  );
}

async function handleJob(job: WorkerJobMessage): Promise<WorkerReplyMessage> {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  try {
    const result = await processImage(bytes, job.limits);
    return { type: 'done', id: job.id, result };
  } catch (error) {
    return { type: 'failed', id: job.id, error: serializeError(error) };
  }
}

port.on('message', (job: WorkerJobMessage) => {
  void handleJob(job).then((reply) => port.postMessage(reply));
});
port.postMessage({ type: 'ready' } satisfies WorkerReplyMessage);
