import { useEffect } from 'react';

/** The page's h1 (focusable, so navigation can move focus to it) and the document title. */
export function PageTitle({ children }: { children: string }) {
  useEffect(() => {
    document.title = `${children} · Switchyard`;
  }, [children]);
  return <h1 tabIndex={-1}>{children}</h1>;
}
