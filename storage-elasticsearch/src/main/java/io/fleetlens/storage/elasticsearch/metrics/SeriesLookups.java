package io.fleetlens.storage.elasticsearch.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.LabelMatcher;

/**
 * Series lookups made lately, kept to be made again cheaply: a dashboard asks for the same
 * selectors over the same days every refresh. An entry is what one lookup of the series index
 * found for some matchers over some days, with how many series documents the index's query
 * matched then. It is reused only while the index still counts that many (a series only ever
 * enters a lookup over fixed days: its first day never moves later, its last never earlier, and
 * its labels never change), and for at most {@code maxAgeNanos}. Held: at most {@code maxEntries}
 * lookups (the least recently used go first), none of more than {@code maxSeries} series.
 * Lookups are not scoped to a tenant here; who may see which series is filtered after
 * ({@code ScopedSeriesStore}), so an entry is never one tenant's.
 */
final class SeriesLookups {

  /** The matchers of a lookup and its days (UTC day starts, or the ends of time for "all"). */
  record Key(List<LabelMatcher> matchers, long fromDay, long toDay) {

    static Key of(List<LabelMatcher> matchers, long minTime, long maxTime) {
      return new Key(List.copyOf(matchers), minTime == Long.MIN_VALUE ? minTime : SeriesDays.day(minTime),
          maxTime == Long.MAX_VALUE ? maxTime : SeriesDays.day(maxTime));
    }
  }

  /** What a lookup found (by series id) and how many series documents its query matched. */
  record Found(Map<String, Labels> series, long documents, long madeNanos) {
  }

  private final int maxEntries;
  private final int maxSeries;
  private final long maxAgeNanos;
  private final LinkedHashMap<Key, Found> entries;

  SeriesLookups(int maxEntries, int maxSeries, long maxAgeNanos) {
    this.maxEntries = maxEntries;
    this.maxSeries = maxSeries;
    this.maxAgeNanos = maxAgeNanos;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Found> eldest) {
        return size() > SeriesLookups.this.maxEntries;
      }
    };
  }

  /** The lookup kept for {@code key} if it is young enough; still to be checked against the count. */
  synchronized Found get(Key key, long nowNanos) {
    Found found = entries.get(key);
    if (found != null && nowNanos - found.madeNanos() > maxAgeNanos) {
      entries.remove(key);
      return null;
    }
    return found;
  }

  synchronized void put(Key key, Map<String, Labels> series, long documents, long nowNanos) {
    if (series.size() <= maxSeries) {
      entries.put(key, new Found(new LinkedHashMap<>(series), documents, nowNanos));
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
