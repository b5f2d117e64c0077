import type { Reply } from '../../shared/contract/errors';

/** The raw link to the console core: Electron's preload bridge or the browser host's WebSocket. */
export interface Transport {
  request(channel: string, request: unknown): Promise<Reply>;
  /** Every event the core pushes, unvalidated. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Whether the core can be reached; false while the link is being re-established. */
  onLinkChange(listener: (up: boolean) => void): () => void;
}

/** What the Electron preload exposes on window.cordon (and nothing more). */
export interface PreloadBridge {
  invoke(channel: string, request: unknown): Promise<Reply>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    cordon?: PreloadBridge;
  }
}
