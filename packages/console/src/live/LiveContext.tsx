// Shares the one /ws connection with every page.
import { createContext, type ReactNode, useContext } from 'react';
import { type LiveState, useLiveMetrics } from './useLiveMetrics.ts';

const Ctx = createContext<LiveState>({
  frames: [],
  status: 'connecting',
  retryInMs: null,
  rejected: 0,
  subscribeTail: () => () => {},
  paused: false,
  setPaused: () => {},
});

export function LiveProvider({ children }: { children: ReactNode }) {
  const live = useLiveMetrics();
  return <Ctx.Provider value={live}>{children}</Ctx.Provider>;
}

export const useLive = (): LiveState => useContext(Ctx);
