// A labelled read-only value with a copy button (falls back to selecting the text).
import { useRef, useState } from 'react';

export function CopyField({ label, value, note }: { label: string; value: string | null; note?: string }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const copy = async () => {
    if (!value) return;
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      ref.current?.select();
    }
  };
  return (
    <div className="copy-field">
      <span className="copy-label">{label}</span>
      {value ? (
        <>
          <input ref={ref} readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </>
      ) : (
        <span className="muted">{note ?? 'disabled in this lab'}</span>
      )}
    </div>
  );
}
