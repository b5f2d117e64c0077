import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { GazetteerResult } from '../../../shared/gazetteer/entry';
import { describeFound, kindLabel, resultSummary, whereLabel } from './describe-result';
import { useMap } from './map-store';

export const LOCATION_SEARCH_ID = 'location-search';

/** The map's location search: the gazetteer combobox, centring the map on what is chosen. */
export function LocationSearch() {
  const search = useMap((s) => s.search);
  const choose = useMap((s) => s.choose);
  return <GazetteerCombobox id={LOCATION_SEARCH_ID} label="Find a location" search={search} onChoose={choose} />;
}

export interface GazetteerComboboxProps {
  id: string;
  label: string;
  search(query: string): Promise<GazetteerResult[]>;
  onChoose(result: GazetteerResult): void;
  /** Told of every change of the typed text (the call form keeps it as the unverified location). */
  onType?(text: string): void;
  /** Text to start with (a draft coming back). */
  initial?: string;
}
/** Searches start after a pause in typing this long, so a fast typist does not send one per key. */
const TYPING_PAUSE_MS = 90;
const MIN_QUERY = 2;

/**
 * A combobox over the gazetteer (searched in the core). Type a street, postcode, place or landmark; arrow keys move
 * through the results, Enter chooses one, Esc closes the list (and, with the list closed, goes back to the known
 * place like everywhere else).
 */
export function GazetteerCombobox({ id: inputId, label, search, onChoose, onType, initial }: GazetteerComboboxProps) {
  const [query, setQuery] = useState(initial ?? '');
  const [results, setResults] = useState<GazetteerResult[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const latest = useRef(0);
  /** The text put in the box when a result is chosen: not a new search. */
  const chosenText = useRef<string | null>(null);
  const id = useId();
  const listId = `${id}-results`;

  useEffect(() => {
    const text = query.trim();
    if (query === chosenText.current || text.length < MIN_QUERY) return;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      search(text)
        .then((found) => {
          if (ticket !== latest.current) return; // an answer to an older query
          setResults(found);
          setActive(found.length ? 0 : -1);
          setStatus(describeFound(text, found));
        })
        .catch((error: unknown) => {
          if (ticket === latest.current) setStatus((error as Error).message);
        });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  const pick = (result: GazetteerResult | undefined) => {
    if (!result) return;
    onChoose(result);
    latest.current++;
    chosenText.current = resultSummary(result);
    setQuery(chosenText.current);
    setOpen(false);
    setResults([]);
    setStatus('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const move = (to: number) => {
      event.preventDefault();
      setOpen(true);
      if (results.length) setActive(Math.max(0, Math.min(results.length - 1, to)));
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'Enter') {
      event.preventDefault();
      pick(results[active] ?? results[0]);
    } else if (event.key === 'Escape' && open && results.length) {
      // First Esc closes the list; the next one is the console's (back to the incident list).
      event.preventDefault();
      event.nativeEvent.stopImmediatePropagation();
      setOpen(false);
    }
  };

  const expanded = open && results.length > 0;
  return (
    <div className="location-search">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder="Street, postcode, place or landmark"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        value={query}
        maxLength={200}
        onChange={(event) => {
          const text = event.target.value;
          setQuery(text);
          onType?.(text);
          setOpen(true);
          if (text.trim().length < MIN_QUERY) {
            latest.current++; // any search still on its way is for text no longer there
            setResults([]);
            setStatus('');
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <ul id={listId} role="listbox" aria-label={`${label}: results`} hidden={!expanded}>
        {results.map((result, i) => (
          <li
            key={result.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(result)}
          >
            <span className="result-name">{result.name}</span>{' '}
            <span className="result-kind">
              {kindLabel(result)}
              {result.readAs ? ` · did you mean ${result.readAs}?` : result.match === 'fuzzy' ? ' · similar spelling' : ''}
            </span>{' '}
            <span className="result-where">{whereLabel(result)}</span>
          </li>
        ))}
      </ul>
      <p role="status" className="search-status" aria-label={`${label}: status`}>
        {status}
      </p>
    </div>
  );
}
