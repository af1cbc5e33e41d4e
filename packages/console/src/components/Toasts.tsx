// Short confirmations and failures for actions ("Paused ships", "Restart failed: …"): a module
// store any page can call with toast(), one <Toaster/> in the shell, each gone after a few seconds
// (failures stay longer) or on a click. Announced to screen readers through aria-live.
import { useSyncExternalStore } from 'react';

export type ToastTone = 'ok' | 'bad';
interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}

let toasts: Toast[] = [];
let nextId = 1;
const subs = new Set<() => void>();
const publish = () => {
  for (const s of subs) s();
};

/** At most five at once: an action repeated quickly does not bury the page. */
const MAX = 5;

export function toast(text: string, tone: ToastTone = 'ok'): void {
  const id = nextId++;
  toasts = [...toasts, { id, text, tone }].slice(-MAX);
  publish();
  setTimeout(() => dismiss(id), tone === 'bad' ? 8_000 : 4_000);
}

export function dismiss(id: number): void {
  const before = toasts.length;
  toasts = toasts.filter((t) => t.id !== id);
  if (toasts.length !== before) publish();
}

const subscribe = (cb: () => void) => {
  subs.add(cb);
  return () => subs.delete(cb);
};

export function Toaster() {
  const list = useSyncExternalStore(subscribe, () => toasts);
  return (
    <div className="toasts" aria-live="polite">
      {list.map((t) => (
        <button
          type="button"
          key={t.id}
          className={`toast toast-${t.tone}`}
          onClick={() => dismiss(t.id)}
          title="Dismiss"
        >
          {t.text}
        </button>
      ))}
    </div>
  );
}
