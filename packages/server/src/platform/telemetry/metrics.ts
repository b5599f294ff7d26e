import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Metric names in one place, so dashboards and alert rules have one list to follow. */
export const METRIC_NAMES = {
  httpDuration: 'avior_http_request_duration_seconds',
  busLag: 'avior_bus_consumer_lag',
  busOldest: 'avior_bus_consumer_oldest_pending_seconds',
  jobDuration: 'avior_worker_job_duration_seconds',
  uploadFailures: 'avior_upload_failures_total',
  uploadBytesReceived: 'avior_upload_bytes_received_total',
  shedRequests: 'avior_http_shed_requests_total',
} as const;

export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly busLag: Gauge<'topic' | 'group'>;
  readonly busOldest: Gauge<'topic' | 'group'>;
  readonly jobDuration: Histogram<'topic' | 'group' | 'outcome'>;
  readonly uploadFailures: Counter<'reason'>;
  readonly uploadBytesReceived: Counter;
  readonly shedRequests: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'avior_' });
  const registers = [registry];

  return {
    registry,
    httpDuration: new Histogram({
      name: METRIC_NAMES.httpDuration,
      help: 'HTTP request latency by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    busLag: new Gauge({
      name: METRIC_NAMES.busLag,
      help: 'Events waiting for a consumer group, by topic and group',
      labelNames: ['topic', 'group'],
      registers,
    }),
    busOldest: new Gauge({
      name: METRIC_NAMES.busOldest,
      help: 'Age of the oldest event waiting for a consumer group',
      labelNames: ['topic', 'group'],
      registers,
    }),
    jobDuration: new Histogram({
      name: METRIC_NAMES.jobDuration,
      help: 'Time a worker spent on one event, by topic, group and outcome',
      labelNames: ['topic', 'group', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    uploadFailures: new Counter({
      name: METRIC_NAMES.uploadFailures,
      help: 'Uploads that failed, by reason',
      labelNames: ['reason'],
      registers,
    }),
    uploadBytesReceived: new Counter({
      name: METRIC_NAMES.uploadBytesReceived,
      help: 'Bytes of resumable uploads written to the upload folder; a resumed upload counts each byte once',
      registers,
    }),
    shedRequests: new Counter({
      name: METRIC_NAMES.shedRequests,
      help: 'Requests answered 503 because the event loop lagged',
      registers,
    }),
  };
}
