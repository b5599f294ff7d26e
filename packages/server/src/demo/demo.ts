import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SurveyView, TemplateView } from '@avior/contract';
import { loadConfig } from '../config.ts';
import { startAvior, type RunningAvior } from '../runtime.ts';
import { DEMO_ORG_SLUG, DEMO_PASSWORD } from '../seed/demo-seed.ts';
import { buildDemoAnswers } from './demo.answers.ts';
import { ApiError, AviorClient, type Notification } from './demo.client.ts';
import {
  BUNDLED_PHOTOS_DIR,
  PHOTO_EXTENSIONS,
  UNKNOWN_TYPE,
  listPhotos,
  type DemoPhoto,
} from './demo.photos.ts';
import { useInvocationDirectory } from '../platform/working-directory.ts';

const HELP = `Usage: npm run demo -- [--photos DIR] [--url URL] [--out DIR]

Drives a complete inspection through the public API: the manager assigns the fire-protection
template, the inspector uploads photos, answers every question and submits, and the PDF report
arrives over the WebSocket.

  --photos DIR   folder of photos to upload (default: the bundled real photos)
  --url URL      use a running Avior server instead of starting an embedded one
  --out DIR      where the PDF report is saved (default: ./out)
  --timeout S    seconds to wait for processing and the report (default: 120)`;

interface Media {
  readonly id: string;
  readonly fileName: string;
  readonly status: string;
  readonly failureReason: string | null;
}

interface Stage {
  readonly name: string;
  readonly ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      photos: { type: 'string' },
      url: { type: 'string' },
      out: { type: 'string', default: 'out' },
      timeout: { type: 'string', default: '120' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(HELP);

  const photosDir = values.photos ? resolve(values.photos) : fileURLToPath(BUNDLED_PHOTOS_DIR);
  if (!existsSync(photosDir)) throw new Error(`The photo folder ${photosDir} does not exist`);
  const photos = listPhotos(photosDir);
  if (photos.length === 0) throw new Error(`The photo folder ${photosDir} contains no files`);

  const stages: Stage[] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    stages.push({ name, ms: performance.now() - started });
    return result;
  };

  const server = values.url ? undefined : await timed('start embedded server', startEmbedded);
  const baseUrl = values.url ?? server?.url ?? '';
  try {
    await runInspection({
      baseUrl,
      photos,
      outDir: resolve(values.out),
      timeoutMs: Number(values.timeout) * 1000,
      timed,
      stages,
    });
  } finally {
    await server?.stop();
  }
}

interface InspectionOptions {
  readonly baseUrl: string;
  readonly photos: readonly DemoPhoto[];
  readonly outDir: string;
  readonly timeoutMs: number;
  readonly timed: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  readonly stages: Stage[];
}

async function runInspection(options: InspectionOptions): Promise<void> {
  const { baseUrl, timed } = options;
  const manager = new AviorClient(baseUrl);
  const inspector = new AviorClient(baseUrl);
  const inspectorUser = await timed('sign in', async () => {
    await manager.login(`manager@${DEMO_ORG_SLUG}.example`, DEMO_PASSWORD);
    return inspector.login(`inspector@${DEMO_ORG_SLUG}.example`, DEMO_PASSWORD);
  });

  const notifications: Notification[] = [];
  const socket = await inspector.connect((notification) => notifications.push(notification));
  try {
    const { survey, template } = await timed('assign survey', () =>
      assignSurvey(manager, inspectorUser.id),
    );
    console.log(
      `Survey ${survey.id}: ${template.definition.title} at ${survey.facility.name}, ${template.questionCount} questions`,
    );

    const uploads = await timed('upload photos', () =>
      uploadPhotos(inspector, survey.id, template, options.photos),
    );
    const processing = waitForProcessing(
      inspector,
      survey.id,
      uploads.uploaded.length,
      options.timeoutMs,
      options.stages,
    );

    const answered = await timed('answer questions', () =>
      answerAll(inspector, survey.id, template, uploads.byQuestion),
    );
    const submitted = await timed('submit', () =>
      inspector.post<{ score: number; riskLevel: string; flagCount: number }>(
        `/v1/surveys/${survey.id}/submit`,
      ),
    );
    const media = await processing;

    await timed('report over WebSocket', () =>
      waitFor(
        () => notifications.find((n) => n.kind === 'report.ready' && n.data.surveyId === survey.id),
        options.timeoutMs,
        'the report.ready notification',
      ),
    );
    const pdfPath = await timed('download report', () =>
      downloadReport(inspector, survey.id, options.outDir),
    );

    const final = await inspector.get<SurveyView>(`/v1/surveys/${survey.id}`);
    printSummary({
      survey: final,
      answered,
      submitted,
      media,
      skipped: uploads.skipped,
      pdfPath,
      notifications,
      stages: options.stages,
    });
  } finally {
    socket.close();
  }
}

async function assignSurvey(manager: AviorClient, inspectorId: string) {
  const templates =
    await manager.get<{ id: string; key: string; version: number }[]>('/v1/templates');
  const summary = templates.find((t) => t.key === 'fire-protection-inspection');
  if (!summary)
    throw new Error('The fire-protection template is missing: was the server seeded (SEED_DEMO)?');

  const facilities = await manager.get<{ id: string }[]>('/v1/facilities?limit=1');
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const survey = await manager.post<SurveyView>('/v1/surveys', {
    facilityId: facilities[0]?.id,
    templateId: summary.id,
    inspectorId,
    dueDate: due,
  });
  const template = await manager.get<TemplateView>(`/v1/templates/${summary.id}`);
  return { survey, template };
}

/**
 * Uploads every photo, alternating the signed-link and multipart routes, and spreads them over
 * the template's photo questions. A file the server refuses is reported and skipped.
 */
async function uploadPhotos(
  client: AviorClient,
  surveyId: string,
  template: TemplateView,
  photos: readonly DemoPhoto[],
) {
  const photoQuestions = template.definition.sections
    .flatMap((s) => s.questions)
    .filter((q) => q.type === 'photo');
  const byQuestion = new Map<string, string[]>();
  const uploaded: string[] = [];
  const skipped: { name: string; reason: string }[] = [];

  for (const [index, photo] of photos.entries()) {
    const questionId = photoQuestions[index % photoQuestions.length]?.id ?? '';
    const rejection = rejectBeforeUpload(photo);
    if (rejection) {
      skipped.push({ name: photo.name, reason: rejection });
      continue;
    }
    try {
      const file = { ...photo, questionId };
      const mediaId =
        index % 2 === 0
          ? await client.uploadSigned(surveyId, file)
          : await client.uploadMultipart(surveyId, file);
      uploaded.push(mediaId);
      byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), mediaId]);
    } catch (error) {
      skipped.push({
        name: photo.name,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  console.log(`Uploaded ${uploaded.length} of ${photos.length} files`);
  return { byQuestion, uploaded, skipped };
}

// A phone's picker offers only photos and never sends an empty file, so the demo does not
// either. Every other file is uploaded, and the server judges it from its bytes.
function rejectBeforeUpload(photo: DemoPhoto): string | undefined {
  if (photo.size === 0) return 'the file is empty';
  if (photo.contentType === UNKNOWN_TYPE) {
    return `${extname(photo.name) || 'no extension'} is not a photo type; accepted: ${PHOTO_EXTENSIONS.join(', ')}`;
  }
  return undefined;
}

async function answerAll(
  client: AviorClient,
  surveyId: string,
  template: TemplateView,
  photos: ReadonlyMap<string, readonly string[]>,
) {
  const today = new Date().toISOString().slice(0, 10);
  let count = 0;
  for (const batch of buildDemoAnswers(template.definition, photos, today)) {
    if (batch.length === 0) continue;
    await client.put(`/v1/surveys/${surveyId}/answers`, { answers: batch });
    count += batch.length;
  }
  return count;
}

async function waitForProcessing(
  client: AviorClient,
  surveyId: string,
  expected: number,
  timeoutMs: number,
  stages: Stage[],
): Promise<Media[]> {
  const started = performance.now();
  const media = await waitFor(
    async () => {
      const list = await client.get<Media[]>(`/v1/surveys/${surveyId}/media`);
      const settled = list.filter((m) => m.status === 'processed' || m.status === 'failed');
      return settled.length >= expected ? list : undefined;
    },
    timeoutMs,
    'photo processing',
  );
  stages.push({ name: 'photo processing (from upload end)', ms: performance.now() - started });
  return media;
}

async function downloadReport(
  client: AviorClient,
  surveyId: string,
  outDir: string,
): Promise<string> {
  const report = await client.get<{ id: string; download: { url: string } | null }>(
    `/v1/surveys/${surveyId}/report`,
  );
  if (!report.download) throw new Error(`Report ${report.id} has no download link yet`);

  const pdf = await client.download(report.download.url);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `inspection-${surveyId}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

interface SummaryInput {
  readonly survey: SurveyView;
  readonly answered: number;
  readonly submitted: { score: number; riskLevel: string; flagCount: number };
  readonly media: readonly Media[];
  readonly skipped: readonly { name: string; reason: string }[];
  readonly pdfPath: string;
  readonly notifications: readonly Notification[];
  readonly stages: readonly Stage[];
}

function printSummary(input: SummaryInput): void {
  const flags = input.survey.findings.filter((f) => f.source === 'survey_rules');
  const photoIssues = input.survey.findings.filter((f) => f.source === 'photo_quality');
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const lines = [
    '',
    `Inspection of ${input.survey.facility.name} complete`,
    `  answers saved      ${input.answered}`,
    `  score              ${input.submitted.score} / 100`,
    `  risk level         ${input.submitted.riskLevel} (the higher of the worst flag's severity and the score's band)`,
    `  flagged items      ${flags.length}`,
    ...order.flatMap((severity) =>
      flags
        .filter((f) => f.severity === severity)
        .map(
          (f) =>
            `    [${severity}] ${String((f.evidence as { questionLabel?: string }).questionLabel ?? f.questionId)} — ${f.message}`,
        ),
    ),
    `  photos             ${input.media.filter((m) => m.status === 'processed').length} processed, ${input.media.filter((m) => m.status === 'failed').length} failed, ${input.skipped.length} refused at upload`,
    ...input.media
      .filter((m) => m.status === 'failed')
      .map((m) => `    failed ${m.fileName}: ${m.failureReason ?? 'unknown reason'}`),
    ...input.skipped.map((s) => `    refused ${s.name}: ${s.reason}`),
    `  photo issues       ${photoIssues.length}`,
    ...photoIssues.map(
      (f) =>
        `    [${f.code}] ${input.media.find((m) => m.id === f.mediaId)?.fileName ?? f.mediaId}: ${f.message}`,
    ),
    `  notifications      ${input.notifications.length} received over the WebSocket (${[...new Set(input.notifications.map((n) => n.kind))].join(', ')})`,
    `  report             ${input.pdfPath}`,
    '  time per stage',
    ...input.stages.map(
      (stage) => `    ${stage.name.padEnd(36)} ${(stage.ms / 1000).toFixed(2)} s`,
    ),
  ];
  console.log(lines.join('\n'));
}

async function startEmbedded(): Promise<RunningAvior> {
  const port = await findFreePort();
  const config = loadConfig({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    AVIOR_DATA_DIR: process.env.AVIOR_DATA_DIR ?? resolve('data', 'demo'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  console.log(`Starting an embedded Avior (data in ${config.dataDir})...`);
  return startAvior(config);
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

useInvocationDirectory();
main().catch((error: unknown) => {
  const message =
    error instanceof ApiError
      ? `${error.message} (HTTP ${error.status}, ${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`Demo failed: ${message}`);
  process.exitCode = 1;
});
