import { Link } from '../router.tsx';

/** Renders the page for an address the app does not know. */
export function NotFoundScreen({ homePath }: { homePath: string }) {
  return (
    <section className="screen">
      <h1>Page not found</h1>
      <p className="muted">This address does not lead to a screen of Avior.</p>
      <Link to={homePath} className="button button--primary">
        Go to the start screen
      </Link>
    </section>
  );
}
