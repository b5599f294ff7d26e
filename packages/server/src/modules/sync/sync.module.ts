import type { Platform } from '../../platform/platform.ts';
import type { AviorModule } from '../module.ts';
import { SurveysRepository } from '../surveys/surveys.repository.ts';
import { DEFAULT_MAX_DRIFT_MS, HybridLogicalClock } from '@avior/contract';
import { SYNC_MAX_CLOCK_LEAD_MS } from './sync.clock.ts';
import { SyncRepository } from './sync.repository.ts';
import { registerSyncRoutes } from './sync.routes.ts';
import { SyncService } from './sync.service.ts';

export interface SyncModuleOptions {
  /**
   * Maximum lead of a pushed HLC stamp over the server clock, in milliseconds (default
   * SYNC_MAX_CLOCK_LEAD_MS, 10 minutes). A push with a stamp further ahead is rejected with 400.
   */
  readonly maxClockLeadMs?: number;
}

/**
 * Creates the offline sync module: push, pull and conflict routes.
 *
 * @example
 * const sync = createSyncModule(platform, { maxClockLeadMs: 5 * 60 * 1000 });
 */
export function createSyncModule(platform: Platform, options: SyncModuleOptions = {}): AviorModule {
  const maxClockLeadMs = options.maxClockLeadMs ?? SYNC_MAX_CLOCK_LEAD_MS;
  // Stored stamps merge into this clock when a conflict is resolved. Some were accepted under
  // the contract's 24 h bound, so the clock keeps at least that bound and does not reject them.
  const clock = new HybridLogicalClock('server', {
    maxDriftMs: Math.max(maxClockLeadMs, DEFAULT_MAX_DRIFT_MS),
  });
  const service = new SyncService(
    new SyncRepository(platform.db),
    new SurveysRepository(platform.db),
    clock,
    platform.logger,
    maxClockLeadMs,
  );
  return { name: 'sync', routes: (app) => registerSyncRoutes(app, service) };
}
