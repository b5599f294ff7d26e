import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A small client-side router on the History API. Paths are matched against patterns such as
// `/surveys/:id`, where `:name` captures one path segment.

export type RouteParams = Readonly<Record<string, string>>;

const listeners = new Set<() => void>();

function notifyListeners(): void {
  for (const listener of listeners) {
    listener();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function readPath(): string {
  return window.location.pathname;
}

/** Moves to `path`. A new entry scrolls to the top; `replace` swaps the current entry. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    window.history.replaceState(null, '', path);
  } else if (path !== readPath()) {
    window.history.pushState(null, '', path);
    window.scrollTo(0, 0);
  }

  notifyListeners();
}

/** React hook: the current path, re-rendering on every navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, readPath, () => '/');
}

/**
 * Matches a path against a pattern and returns the captured segments, or null.
 *
 * @example
 * matchPath('/surveys/:id', '/surveys/42'); // { id: '42' }
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) {
    return null;
  }

  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const segment = pathParts[index] ?? '';
    if (part.startsWith(':')) {
      params[part.slice(1)] = decodeURIComponent(segment);
    } else if (part !== segment) {
      return null;
    }
  }

  return params;
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** Renders an anchor that navigates inside the app. Modified clicks keep the browser's behaviour. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || !isPlainLeftClick(event)) {
      return;
    }

    event.preventDefault();
    navigate(to);
  };

  return <a href={to} onClick={handleClick} {...rest} />;
}
