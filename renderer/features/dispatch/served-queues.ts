import { useSyncExternalStore } from 'react';

/**
 * The dispatch queues this desk serves (keys as queueKey gives them, `DMO/SMN`), or null for every queue: a desk
 * set to its areas is alerted for their untaken incidents only. Kept by the browser for the workstation, as the
 * alert sound's setting is, so every window of the desk agrees and it survives a restart; held for the window alone
 * where the browser keeps nothing (site data blocked by policy).
 */
const SETTING = 'cordon.servedQueues';
const listeners = new Set<() => void>();
let unkept: string | null | undefined;
let cachedRaw: string | null | undefined;
let cached: ReadonlySet<string> | null = null;

function readRaw(): string | null {
  if (unkept !== undefined) return unkept;
  try {
    return localStorage.getItem(SETTING);
  } catch {
    return null;
  }
}

/** The queues served here now (null: every queue). */
export function servedQueues(): ReadonlySet<string> | null {
  const raw = readRaw();
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cached = parse(raw);
  }
  return cached;
}

function parse(raw: string | null): ReadonlySet<string> | null {
  if (raw === null) return null;
  try {
    const keys: unknown = JSON.parse(raw);
    return Array.isArray(keys) ? new Set(keys.filter((k): k is string => typeof k === 'string')) : null;
  } catch {
    return null;
  }
}

/** Sets the queues this desk serves (null: every queue); false when the browser would not keep the choice. */
export function setServedQueues(keys: readonly string[] | null): boolean {
  const raw = keys === null ? null : JSON.stringify([...keys].sort());
  let kept = true;
  try {
    if (raw === null) localStorage.removeItem(SETTING);
    else localStorage.setItem(SETTING, raw);
    unkept = undefined;
  } catch {
    unkept = raw;
    kept = false;
  }
  for (const listener of listeners) listener();
  return kept;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another window of the desk changed it.
  const onStorage = (event: StorageEvent) => {
    if (event.key === SETTING || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The queues this desk serves, following changes made in any of its windows. */
export function useServedQueues(): ReadonlySet<string> | null {
  return useSyncExternalStore(subscribe, servedQueues);
}
