import type { Platform } from '../platform/platform.ts';
import {
  createAccountsModule,
  createFacilitiesModule,
  createSurveysModule,
  createTemplatesModule,
} from './core.modules.ts';
import { createMediaModule } from './media/media.module.ts';
import type { AviorModule } from './module.ts';
import { createNotificationsModule } from './notifications/notifications.module.ts';
import { createReportsModule } from './reports/reports.module.ts';
import { createSyncModule } from './sync/sync.module.ts';

/** Creates every module of the platform, in the order their routes register. */
export function createAllModules(platform: Platform): AviorModule[] {
  return [
    createAccountsModule(platform),
    createFacilitiesModule(platform),
    createTemplatesModule(platform),
    createSurveysModule(platform),
    createMediaModule(platform),
    createNotificationsModule(platform),
    createReportsModule(platform),
    createSyncModule(platform),
  ];
}
