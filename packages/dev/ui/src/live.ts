/**
 * Live updates: one EventSource on /api/events; every `ingest` event bumps a counter that views
 * use as a refetch dependency (at most one refetch per second per view).
 */
import { useEffect, useRef, useState } from 'preact/hooks';

type Listener = (counts: { spans: number; logs: number; metricPoints: number }) => void;
const listeners = new Set<Listener>();
let connected = false;
const connectionListeners = new Set<(c: boolean) => void>();

export function startLive(): void {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => setConnected(true));
  source.addEventListener('error', () => setConnected(false));
  source.addEventListener('ingest', (e) => {
    const counts = JSON.parse((e as MessageEvent<string>).data) as Parameters<Listener>[0];
    for (const l of listeners) l(counts);
  });
}

function setConnected(c: boolean): void {
  connected = c;
  for (const l of connectionListeners) l(c);
}

export function useConnected(): boolean {
  const [c, setC] = useState(connected);
  useEffect(() => {
    connectionListeners.add(setC);
    return () => connectionListeners.delete(setC);
  }, []);
  return c;
}

/** A number that changes (throttled to 1/s) whenever data of the given kinds arrives, unless paused. */
export function useLiveTick(kinds: ReadonlyArray<'spans' | 'logs' | 'metricPoints'>, paused = false): number {
  const [tick, setTick] = useState(0);
  const last = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (paused) return undefined;
    const l: Listener = (counts) => {
      if (!kinds.some((k) => counts[k] > 0) || timer.current !== undefined) return;
      const wait = Math.max(0, 1000 - (Date.now() - last.current));
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        last.current = Date.now();
        setTick((t) => t + 1);
      }, wait);
    };
    listeners.add(l);
    return () => {
      listeners.delete(l);
      if (timer.current !== undefined) clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [paused, kinds.join()]);
  return tick;
}
