import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../state/use-api';
import { playDeploymentAlarm } from './deployment-alarm-sound';

/**
 * Sounds each of these alerts once at this workstation, whichever of its windows shows it first (the core's
 * `alarms.sound` says which may play), and keeps it asked once here; an alert whose asking failed is asked again.
 * `keys`: one per alert and stage (an untaken handoff's alertKey). Returns the keys that sounded in this window.
 */
export function useSoundOnce(keys: readonly string[]): ReadonlySet<string> {
  const api = useApi();
  const asked = useRef(new Set<string>());
  const [soundedHere, setSoundedHere] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    for (const key of keys) {
      if (asked.current.has(key)) continue;
      asked.current.add(key);
      api.call('alarms.sound', { key }).then(
        ({ play }) => {
          if (!play) return;
          playDeploymentAlarm();
          setSoundedHere((sounded) => new Set(sounded).add(key));
        },
        () => asked.current.delete(key),
      );
    }
  }, [keys, api]);
  return soundedHere;
}
