import type { Platform } from '../../platform/platform.ts';
import type { AviorModule } from '../module.ts';
import { SurveysRepository } from '../surveys/surveys.repository.ts';
import { DEFAULT_MAX_DRIFT_MS, HybridLogicalClock } from '@avior/contract';
import { SyncRepository } from './sync.repository.ts';
import { registerSyncRoutes } from './sync.routes.ts';
import { SyncService } from './sync.service.ts';

export interface SyncModuleOptions {
  /** How far ahead of the server clock a pushed HLC may be, in milliseconds (default 24 h). */
  readonly maxDriftMs?: number;
}

/**
 * Creates the offline sync module: push, pull and conflict routes.
 *
 * @example
 * const sync = createSyncModule(platform, { maxDriftMs: 60 * 60 * 1000 });
 */
export function createSyncModule(platform: Platform, options: SyncModuleOptions = {}): AviorModule {
  const clock = new HybridLogicalClock('server', {
    maxDriftMs: options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS,
  });
  const service = new SyncService(
    new SyncRepository(platform.db),
    new SurveysRepository(platform.db),
    clock,
    platform.logger,
  );
  return { name: 'sync', routes: (app) => registerSyncRoutes(app, service) };
}
