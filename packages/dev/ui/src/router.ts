/** Hash routes (#/traces, #/traces/<id>, #/logs?traceId=…, #/services): bookmarkable, back-button friendly. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  readonly view: 'traces' | 'trace' | 'logs' | 'services';
  readonly id?: string;
  readonly params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'traces' && parts[1]) return { view: 'trace', id: parts[1], params };
  if (parts[0] === 'logs') return { view: 'logs', params };
  if (parts[0] === 'services') return { view: 'services', params };
  return { view: 'traces', params };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Replaces the query of the current view without adding a history entry per keystroke. */
export function setParams(view: string, params: Record<string, string>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  history.replaceState(null, '', `#/${view}${qs ? `?${qs}` : ''}`);
  dispatchEvent(new HashChangeEvent('hashchange'));
}
