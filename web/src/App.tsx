import { lazy, Suspense, useEffect, useRef } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { useSession } from './session';
import { SignIn } from './pages/SignIn';

// Each page is its own chunk, so the first load carries only the shell and the page opened.
const OverviewPage = lazy(() => import('./pages/Overview').then((module) => ({ default: module.OverviewPage })));
const RequestsPage = lazy(() => import('./pages/Requests').then((module) => ({ default: module.RequestsPage })));
const RequestDetailPage = lazy(() => import('./pages/RequestDetail').then((module) => ({ default: module.RequestDetailPage })));
const MoneyPage = lazy(() => import('./pages/Money').then((module) => ({ default: module.MoneyPage })));
const KeysPage = lazy(() => import('./pages/Keys').then((module) => ({ default: module.KeysPage })));
const ProvidersPage = lazy(() => import('./pages/Providers').then((module) => ({ default: module.ProvidersPage })));
const QualityPage = lazy(() => import('./pages/Quality').then((module) => ({ default: module.QualityPage })));
const PlaygroundPage = lazy(() => import('./pages/Playground').then((module) => ({ default: module.PlaygroundPage })));

const pages = [
  { path: '/overview', label: 'Overview' },
  { path: '/requests', label: 'Requests' },
  { path: '/money', label: 'Money' },
  { path: '/keys', label: 'Keys and budgets' },
  { path: '/providers', label: 'Providers and routes' },
  { path: '/quality', label: 'Quality' },
  { path: '/playground', label: 'Playground' },
];

/** Moves focus to the page heading after navigation, so keyboard and screen-reader users start at the new page. */
function useFocusOnNavigate() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector('h1')?.focus();
  }, [location.pathname]);
  return main;
}

/** Just signed in: on to the page that asked for sign-in, or the overview. */
function AfterSignIn() {
  const from = (useLocation().state as { from?: string } | null)?.from;
  return <Navigate to={from && from !== '/' && from !== '/sign-in' ? from : '/overview'} replace />;
}

export function App() {
  const { who, signOut } = useSession();
  const main = useFocusOnNavigate();
  const location = useLocation();
  if (!who) {
    if (location.pathname !== '/sign-in') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
    return <SignIn />;
  }
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Switchyard</span>
        <nav aria-label="Pages">
          <ul>
            {pages.map((page) => (
              <li key={page.path}>
                <NavLink to={page.path}>{page.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">
            {who.name ?? 'key'} · <strong>{who.role}</strong>
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
        <Routes>
          <Route path="/" element={<Navigate to="/overview" replace />} />
          <Route path="/sign-in" element={<AfterSignIn />} />
          <Route path="/overview" element={<OverviewPage />} />
          <Route path="/requests" element={<RequestsPage />} />
          <Route path="/requests/:id" element={<RequestDetailPage />} />
          <Route path="/money" element={<MoneyPage />} />
          <Route path="/keys" element={<KeysPage />} />
          <Route path="/providers" element={<ProvidersPage />} />
          <Route path="/quality" element={<QualityPage />} />
          <Route path="/playground" element={<PlaygroundPage />} />
          <Route path="*" element={<p>No such page.</p>} />
        </Routes>
        </Suspense>
      </main>
    </div>
  );
}
