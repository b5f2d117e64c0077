import type { Reply } from '../../shared/contract/errors';
import type { RequestMeta } from '../../shared/contract/request-meta';

/**
 * The raw link to the console core: Electron's preload bridge or the browser host's WebSocket. Both behave alike:
 * a request carries its id and deadline (RequestMeta), and is answered by the deadline at the latest, with
 * NOT_SENT or NO_ANSWER if the core's answer has not come; a request given up on is never sent afterwards.
 */
export interface Transport {
  request(channel: string, request: unknown, meta: RequestMeta): Promise<Reply>;
  /** Every event the core pushes, unvalidated. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Whether the core can be reached; false while the link is being re-established. */
  onLinkChange(listener: (up: boolean) => void): () => void;
}

/** What the Electron preload exposes on window.cordon (and nothing more). */
export interface PreloadBridge {
  invoke(channel: string, request: unknown, meta?: RequestMeta): Promise<Reply>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    cordon?: PreloadBridge;
  }
}
