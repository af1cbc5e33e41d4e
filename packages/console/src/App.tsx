// The app shell: sidebar navigation, live-connection indicator, theme toggle, keyboard shortcuts,
// and thin routes that pick a page from the URL.
import { useEffect, useRef, useState } from 'react';
import { Link } from './components/Link.tsx';
import { Toaster } from './components/Toasts.tsx';
import { LiveProvider, useLive } from './live/LiveContext.tsx';
import { ConnectorsPage } from './pages/ConnectorsPage.tsx';
import { GeneratorPage } from './pages/GeneratorPage.tsx';
import { GroupsPage } from './pages/GroupsPage.tsx';
import { MapPage } from './pages/MapPage.tsx';
import { MqttPage } from './pages/MqttPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { SchemasPage } from './pages/SchemasPage.tsx';
import { TopicPage } from './pages/TopicPage.tsx';
import { TopicsPage } from './pages/TopicsPage.tsx';
import { navigate, type Route, useRoute } from './router.ts';
import { useTheme } from './theme.ts';

const NAV = [
  { path: '/', key: 'o', label: 'Overview', match: '' },
  { path: '/topics', key: 't', label: 'Topics', match: 'topics' },
  { path: '/connectors', key: 'c', label: 'Connectors', match: 'connectors' },
  { path: '/schemas', key: 's', label: 'Schemas', match: 'schemas' },
  { path: '/groups', key: 'g', label: 'Consumer groups', match: 'groups' },
  { path: '/mqtt', key: 'm', label: 'MQTT', match: 'mqtt' },
  { path: '/map', key: 'v', label: 'Map', match: 'map' },
  { path: '/generator', key: 'r', label: 'Generator', match: 'generator' },
];

function Page({ route }: { route: Route }) {
  const [first, second] = route.segments;
  switch (first) {
    case undefined:
      return <OverviewPage />;
    case 'topics':
      return second === undefined ? <TopicsPage route={route} /> : <TopicPage name={second} route={route} />;
    case 'connectors':
      return <ConnectorsPage route={route} />;
    case 'schemas':
      return <SchemasPage route={route} />;
    case 'groups':
      return <GroupsPage route={route} />;
    case 'mqtt':
      return <MqttPage />;
    case 'map':
      return <MapPage route={route} />;
    case 'generator':
      return <GeneratorPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page at <code>{location.pathname}</code>. <Link href="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

function LiveIndicator() {
  const live = useLive();
  const text =
    live.status === 'open'
      ? 'live'
      : live.status === 'stale'
        ? 'no data for 5 s'
        : live.status === 'connecting'
          ? 'connecting…'
          : `disconnected${live.retryInMs !== null ? `, retry in ${Math.ceil(live.retryInMs / 1000)} s` : ''}`;
  return (
    <>
      <output className={`live live-${live.status}`} aria-live="polite" title="Live metrics over /ws">
        <span className="dot" aria-hidden="true" /> {live.paused ? `${text}, paused` : text}
      </output>
      <button
        type="button"
        className="small"
        aria-pressed={live.paused}
        title={
          live.paused
            ? 'Show the frames received meanwhile and follow again'
            : 'Hold charts and rates where they are (frames keep arriving)'
        }
        onClick={() => live.setPaused(!live.paused)}
      >
        {live.paused ? 'Resume live updates' : 'Pause live updates'}
      </button>
    </>
  );
}

/** g then a letter jumps to a page; "/" focuses the page's search box. */
function useShortcuts(setHelp: (f: (v: boolean) => boolean) => void) {
  const pendingG = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if (e.key === '?') return setHelp((v) => !v);
      if (e.key === 'Escape') return setHelp(() => false);
      if (e.key === 'g') {
        pendingG.current = Date.now();
        return;
      }
      if (Date.now() - pendingG.current < 1500) {
        const n = NAV.find((x) => x.key === e.key);
        pendingG.current = 0;
        if (n) navigate(n.path);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setHelp]);
}

export function App() {
  const route = useRoute();
  const [theme, cycleTheme] = useTheme();
  const [help, setHelp] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  useShortcuts(setHelp);
  const current = route.segments[0] ?? '';
  const detail = route.segments[1];
  useEffect(() => {
    // The tab names the page and, on a detail page, the thing shown: "position-reports · Topics · Seaway".
    const n = NAV.find((x) => x.match === current);
    const parts = [detail ?? null, n?.label ?? null, 'Seaway'].filter(Boolean);
    document.title = parts.join(' · ');
    setMenuOpen(false);
  }, [current, detail]);
  return (
    <LiveProvider>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <div className={`shell ${menuOpen ? 'menu-open' : ''}`}>
        <header className="topbar">
          <button
            type="button"
            className="menu-btn"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            ☰<span className="sr-only"> Menu</span>
          </button>
          <Link href="/" className="brand">
            <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
              <path d="M1 10c2-2 4-2 7 0s5 2 7 0v5H1z" fill="currentColor" />
            </svg>
            Seaway
          </Link>
          <LiveIndicator />
          <span className="spacer" />
          <button type="button" className="ghost" onClick={() => setHelp((v) => !v)} aria-label="Keyboard shortcuts">
            ?
          </button>
          <button
            type="button"
            className="ghost"
            onClick={cycleTheme}
            aria-label={`Theme: ${theme}. Change theme`}
            title={`Theme: ${theme}`}
          >
            {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} <span className="theme-name">{theme}</span>
          </button>
        </header>
        <nav id="sidebar" className="sidebar" aria-label="Pages">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <Link href={n.path} aria-current={current === n.match ? 'page' : undefined}>
                  {n.label}
                  <kbd>g {n.key}</kbd>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <Page route={route} />
        </main>
      </div>
      {help && (
        <div className="dialog-backdrop">
          <dialog open className="dialog" aria-label="Keyboard shortcuts">
            <h2>Keyboard shortcuts</h2>
            <dl className="kv">
              {NAV.map((n) => (
                <div key={n.key}>
                  <dt>
                    <kbd>g</kbd> <kbd>{n.key}</kbd>
                  </dt>
                  <dd>{n.label}</dd>
                </div>
              ))}
              <div>
                <dt>
                  <kbd>/</kbd>
                </dt>
                <dd>Search on this page</dd>
              </div>
              <div>
                <dt>
                  <kbd>?</kbd>
                </dt>
                <dd>This help (Esc closes)</dd>
              </div>
            </dl>
            <button type="button" onClick={() => setHelp(false)}>
              Close
            </button>
          </dialog>
        </div>
      )}
      <Toaster />
    </LiveProvider>
  );
}
