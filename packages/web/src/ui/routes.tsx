import type { Role } from '@avior/contract';
import { useEffect, type ReactNode } from 'react';
import { homePathFor, usesManagerScreens } from './format.ts';
import { matchPath, navigate, type RouteParams } from './router.tsx';
import { FacilitiesScreen } from './screens/facilities.screen.tsx';
import { ManageSurveysScreen } from './screens/manage-surveys.screen.tsx';
import { NotFoundScreen } from './screens/not-found.screen.tsx';
import { NotificationsScreen } from './screens/notifications.screen.tsx';
import { SurveyDetailScreen } from './screens/survey-detail.screen.tsx';
import { SurveyListScreen } from './screens/survey-list.screen.tsx';
import { SurveyRunnerScreen } from './screens/survey-runner.screen.tsx';
import { SyncScreen } from './screens/sync.screen.tsx';

interface Route {
  pattern: string;
  /** Limits the route to the roles of the manager screens. */
  managersOnly?: boolean;
  render: (params: RouteParams, role: Role) => ReactNode;
}

const ROUTES: readonly Route[] = [
  { pattern: '/', render: (_params, role) => <Redirect to={homePathFor(role)} /> },
  { pattern: '/surveys', render: () => <SurveyListScreen /> },
  {
    pattern: '/surveys/:id',
    render: ({ id = '' }, role) =>
      usesManagerScreens(role) ? (
        <Redirect to={`/manage/surveys/${encodeURIComponent(id)}`} />
      ) : (
        <SurveyRunnerScreen key={id} surveyId={id} />
      ),
  },
  { pattern: '/facilities', render: () => <FacilitiesScreen /> },
  { pattern: '/sync', render: () => <SyncScreen /> },
  { pattern: '/notifications', render: () => <NotificationsScreen /> },
  { pattern: '/manage', managersOnly: true, render: () => <ManageSurveysScreen /> },
  {
    pattern: '/manage/surveys/:id',
    managersOnly: true,
    render: ({ id = '' }) => <SurveyDetailScreen key={id} surveyId={id} />,
  },
];

/** Replaces the current address with `to`. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Renders the screen for a path and role. Manager paths send inspectors to their surveys. */
export function renderRoute(path: string, role: Role): ReactNode {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) {
      continue;
    }

    if (route.managersOnly && !usesManagerScreens(role)) {
      return <Redirect to={homePathFor(role)} />;
    }

    return route.render(params, role);
  }

  return <NotFoundScreen homePath={homePathFor(role)} />;
}
