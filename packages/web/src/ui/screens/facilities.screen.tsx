import { useVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { db, type LocalFacility } from '../../data/index.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { useRefreshState } from '../hooks/use-refresh.ts';

const SEARCH_DELAY_MS = 150;
// Rows have a fixed height so the virtualizer never measures, which keeps scrolling smooth.
const ROW_HEIGHT_PX = 76;
const OVERSCAN_ROWS = 8;

/** Keeps facilities whose search text contains every word of the query. */
function filterFacilities(facilities: readonly LocalFacility[], query: string): LocalFacility[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return facilities.slice();
  }

  return facilities.filter((facility) => words.every((word) => facility.searchText.includes(word)));
}

/** Renders the facilities on the device in a searchable, virtualized list. */
export function FacilitiesScreen() {
  const refresh = useRefreshState();
  const facilities = useLiveQuery(() => db.facilities.orderBy('name').toArray(), []);
  const [query, setQuery] = useState('');
  const settledQuery = useDebouncedValue(query, SEARCH_DELAY_MS);
  const matches = useMemo(
    () => (facilities ? filterFacilities(facilities, settledQuery) : []),
    [facilities, settledQuery],
  );
  const loading = !facilities || (facilities.length === 0 && refresh.running);

  return (
    <section className="screen screen--fill" aria-labelledby="facilities-title">
      <div className="screen__head">
        <h1 id="facilities-title">Facilities</h1>
        {facilities ? (
          <span className="muted" aria-live="polite" data-testid="facility-count">
            {settledQuery ? `${matches.length} of ${facilities.length}` : facilities.length}
          </span>
        ) : null}
      </div>
      <label className="field">
        <span className="field__label">Search by name, kind or address</span>
        <input
          className="input"
          type="search"
          data-testid="facility-search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="e.g. school north"
          autoComplete="off"
        />
      </label>
      {loading ? <Skeleton rows={6} label="Loading facilities" /> : null}
      {!loading && matches.length === 0 ? (
        <EmptyState title={settledQuery ? 'No facility matches' : 'No facilities on this device'}>
          {settledQuery ? 'Try fewer or shorter words.' : 'Facilities appear after the next sync.'}
        </EmptyState>
      ) : null}
      {!loading && matches.length > 0 ? (
        <FacilityList facilities={matches} query={settledQuery} />
      ) : null}
    </section>
  );
}

interface FacilityListProps {
  facilities: readonly LocalFacility[];
  /** The search the list shows; a new one scrolls back to the top. */
  query: string;
}

function FacilityList({ facilities, query }: FacilityListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: facilities.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => facilities[index]?.id ?? index,
  });

  // A new search starts at the top of its results.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query]);

  return (
    <div
      className="facility-list"
      data-testid="facility-list"
      ref={scrollRef}
      role="list"
      aria-label="Facilities"
      tabIndex={0}
    >
      <div
        className="facility-list__space"
        role="presentation"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const facility = facilities[item.index];
          return facility ? (
            <FacilityRow key={item.key} facility={facility} offset={item.start} />
          ) : null;
        })}
      </div>
    </div>
  );
}

function FacilityRow({ facility, offset }: { facility: LocalFacility; offset: number }) {
  return (
    <div
      className="facility-row"
      data-testid="facility-row"
      data-facility-id={facility.id}
      role="listitem"
      style={{ transform: `translateY(${offset}px)`, height: ROW_HEIGHT_PX }}
    >
      <span className="facility-row__name">{facility.name}</span>
      <span className="facility-row__meta">
        <span className="facility-row__kind">{facility.kind}</span>
        {facility.address ? (
          <span className="facility-row__address">{facility.address}</span>
        ) : null}
      </span>
    </div>
  );
}
