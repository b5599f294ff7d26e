import type { Platform } from '../../platform/platform.ts';
import type { AviorModule } from '../module.ts';
import { createNotificationConsumers } from './notifications.consumers.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { registerNotificationsRoutes } from './notifications.routes.ts';
import { NotificationsService } from './notifications.service.ts';

/**
 * Wires the notifications module: its routes (list, mark read, the WebSocket) and its consumer
 * groups (deliver notifications.send, announce assigned surveys and ready reports).
 */
export function createNotificationsModule(platform: Platform): AviorModule {
  const repository = new NotificationsRepository(platform.db);
  const service = new NotificationsService(repository, platform.realtime);

  return {
    name: 'notifications',
    routes: (app) => registerNotificationsRoutes(app, service, platform.realtime),
    consumers: createNotificationConsumers({ db: platform.db, repository, service }),
  };
}
