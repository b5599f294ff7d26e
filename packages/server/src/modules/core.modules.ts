import type { Platform } from '../platform/platform.ts';
import { signAccessToken } from '../gateway/auth.ts';
import { AccountsRepository } from './accounts/accounts.repository.ts';
import { registerAccountsRoutes } from './accounts/accounts.routes.ts';
import { AccountsService } from './accounts/accounts.service.ts';
import { FacilitiesRepository } from './facilities/facilities.repository.ts';
import { registerFacilitiesRoutes } from './facilities/facilities.routes.ts';
import type { AviorModule } from './module.ts';
import { SurveysRepository } from './surveys/surveys.repository.ts';
import { registerSurveysRoutes } from './surveys/surveys.routes.ts';
import { SurveysService } from './surveys/surveys.service.ts';
import { TemplatesRepository } from './templates/templates.repository.ts';
import { registerTemplatesRoutes } from './templates/templates.routes.ts';

export function createAccountsModule(platform: Platform): AviorModule {
  const { config } = platform;
  return {
    name: 'accounts',
    routes: (app) => {
      const service = new AccountsService(new AccountsRepository(platform.db), {
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
        signAccessToken: (principal) => signAccessToken(app, principal),
      });
      registerAccountsRoutes(app, service);
    },
  };
}

export function createFacilitiesModule(platform: Platform): AviorModule {
  return {
    name: 'facilities',
    routes: (app) => registerFacilitiesRoutes(app, new FacilitiesRepository(platform.db)),
  };
}

export function createTemplatesModule(platform: Platform): AviorModule {
  return {
    name: 'templates',
    routes: (app) => registerTemplatesRoutes(app, new TemplatesRepository(platform.db)),
  };
}

export function createSurveysModule(platform: Platform): AviorModule {
  const service = new SurveysService(new SurveysRepository(platform.db), platform.notifyCommitted);
  return { name: 'surveys', routes: (app) => registerSurveysRoutes(app, service) };
}
