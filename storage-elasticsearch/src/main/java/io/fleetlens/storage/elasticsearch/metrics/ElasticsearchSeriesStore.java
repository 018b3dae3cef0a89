package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.core.metrics.SeriesStoreUnavailableException;
import io.fleetlens.core.metrics.TooManySeriesException;

/**
 * Reads series and samples back for the PromQL engine and the series API. Series are found in the
 * series index by their equality matchers (regex matchers are applied here, with Java's regexes,
 * since Lucene's regex dialect is not Prometheus'); their samples are read from the chunk and sample indices
 * the time range touches (see {@link MetricIndexLayout}). Label names and values of all series come
 * from aggregations over the series index, by the days series were seen; descriptions from the
 * metadata index ({@link ElasticsearchMetadataStore}).
 */
public final class ElasticsearchSeriesStore implements SeriesStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ElasticsearchSeriesStore.class);

  private static final int PAGE = 10_000;
  /** Series read in one search: Elasticsearch's cost per search, not per hit, is what fewer searches save. */
  private static final int IDS_PER_REQUEST = 1_024;
  /** Reads of one query's series run this many at a time, over every query of the process. */
  private static final int READERS = 4;
  private static final java.util.concurrent.ExecutorService READS = java.util.concurrent.Executors.newFixedThreadPool(
      READERS, Thread.ofPlatform().daemon().name("series-reads-", 0).factory());

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final int maxSeries;
  private final ElasticsearchMetadataStore descriptions;
  /** Chunks decoded lately, by version; null when none are kept. */
  private final ChunkCache chunks;
  /** Lookups of the series index made lately: 256 of up to 100,000 series, a minute at most. */
  private final SeriesLookups lookups = new SeriesLookups(256, 100_000, 60_000_000_000L);

  /**
   * A store that keeps up to {@code chunkCacheBytes} of decoded chunks between queries (16 bytes a
   * sample; see {@link ChunkCache}), none when 0.
   */
  public ElasticsearchSeriesStore(ElasticsearchClient client, MetricIndexLayout layout, int maxSeries,
      long chunkCacheBytes) {
    this.client = client;
    this.layout = layout;
    this.maxSeries = maxSeries;
    this.descriptions = new ElasticsearchMetadataStore(client, layout);
    this.chunks = chunkCacheBytes > 0 ? new ChunkCache(chunkCacheBytes) : null;
  }

  @Override
  public List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    long t0 = System.nanoTime();
    Query query = lookupQuery(matchers, minTime, maxTime);
    SeriesLookups.Key key = SeriesLookups.Key.of(matchers, minTime, maxTime);
    SeriesLookups.Found kept = lookups.get(key, t0);
    Map<String, Labels> series = null;
    Map<String, SeriesPoints> points = Map.of();
    if (kept != null) {
      // read the kept lookup's samples while the series index is asked whether it still holds
      Reads reads = startReads(new ArrayList<>(kept.series().keySet()), minTime, maxTime);
      try {
        if (seriesDocuments(query) == kept.documents()) {
          series = kept.series();
          points = reads.join();
        }
      } finally {
        reads.cancel();
      }
    }
    if (series == null) {
      series = lookUp(matchers, query, key);
      points = startReads(new ArrayList<>(series.keySet()), minTime, maxTime).join();
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("select {} over {} ms: {} series ({}), their samples, in {} ms", matchers, maxTime - minTime,
          series.size(), kept != null && series == kept.series() ? "lookup kept" : "looked up",
          (System.nanoTime() - t0) / 1_000_000);
    }
    List<StoredSeries> out = new ArrayList<>();
    for (Map.Entry<String, Labels> e : series.entrySet()) {
      SeriesPoints p = points.get(e.getKey());
      if (p == null || p.size() == 0) {
        continue;
      }
      SampleChunk.Points sorted = p.sorted();
      out.add(new StoredSeries(e.getValue(), sorted.timestamps(), sorted.values()));
    }
    return out;
  }

  /** The series seen on the range's days ({@link #seriesById}), kept if one has a sample in the range itself. */
  @Override
  public List<Labels> series(List<LabelMatcher> matchers, long minTime, long maxTime) {
    Map<String, Labels> found = seriesById(matchers, minTime, maxTime);
    if (!found.isEmpty() && (minTime != Long.MIN_VALUE || maxTime != Long.MAX_VALUE)) {
      found.keySet().retainAll(activeSeries(minTime, maxTime));
    }
    return found.values().stream().sorted().toList();
  }

  @Override
  public java.util.SortedSet<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return matchers.isEmpty() ? labelNames(minTime, maxTime) : SeriesStore.super.labelNames(matchers, minTime, maxTime);
  }

  @Override
  public java.util.SortedSet<String> labelValues(String name, List<LabelMatcher> matchers, int limit, long minTime,
      long maxTime) {
    return matchers.isEmpty() ? labelValues(name, limit > 0 ? limit : 10_000, minTime, maxTime)
        : SeriesStore.super.labelValues(name, matchers, limit, minTime, maxTime);
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata(String metric, int limit, int limitPerMetric, long minTime,
      long maxTime) {
    return descriptions.find(metric, limit, limitPerMetric);
  }

  /**
   * Every series matching all matchers that has samples on the days of {@code [minTime, maxTime]}
   * (by its {@code first_seen} and {@code last_seen} days), by series id.
   */
  public Map<String, Labels> seriesById(List<LabelMatcher> matchers, long minTime, long maxTime) {
    Query query = lookupQuery(matchers, minTime, maxTime);
    SeriesLookups.Key key = SeriesLookups.Key.of(matchers, minTime, maxTime);
    SeriesLookups.Found kept = lookups.get(key, System.nanoTime());
    if (kept != null && seriesDocuments(query) == kept.documents()) {
      return new LinkedHashMap<>(kept.series());
    }
    return lookUp(matchers, query, key);
  }

  /** The series index's query for the series documents that may match: seen on the days, equality matchers. */
  private static Query lookupQuery(List<LabelMatcher> matchers, long minTime, long maxTime) {
    List<Query> filters = new ArrayList<>();
    filters.add(seenIn(minTime, maxTime));
    List<Query> mustNot = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      String field = m.name().equals(Labels.METRIC_NAME) ? "name" : "labels." + m.name();
      switch (m.type()) {
        case EQUAL -> {
          if (m.value().isEmpty()) {
            mustNot.add(Query.of(q -> q.exists(x -> x.field(field))));
          } else {
            filters.add(Query.of(q -> q.term(t -> t.field(field).value(m.value()))));
          }
        }
        case NOT_EQUAL -> {
          if (m.value().isEmpty()) {
            filters.add(Query.of(q -> q.exists(x -> x.field(field))));
          } else {
            mustNot.add(Query.of(q -> q.term(t -> t.field(field).value(m.value()))));
          }
        }
        default -> {
          if (!m.matchesEmpty()) {
            filters.add(Query.of(q -> q.exists(x -> x.field(field))));
          }
        }
      }
    }
    return Query.of(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)));
  }

  /**
   * Reads the series documents {@code query} matches, keeps those all matchers match (in series id
   * order), and keeps the lookup. The answer is read as a stream ({@link PointInTimeScan}), every
   * label from doc values.
   */
  private Map<String, Labels> lookUp(List<LabelMatcher> matchers, Query query, SeriesLookups.Key key) {
    long lookedUp = System.nanoTime();
    java.util.TreeMap<String, Labels> found = new java.util.TreeMap<>();
    long[] documents = new long[1];
    try {
      // from doc values only: every label is a keyword, and loading stored fields costs more than the search
      PointInTimeScan.scan(client, List.of(layout.seriesIndex()), s -> s.source(src -> src.fetch(false))
          .storedFields("_none_").docvalueFields(d -> d.field("series_id")).docvalueFields(d -> d.field("name"))
          .docvalueFields(d -> d.field("labels.*")).query(query), hit -> {
            documents[0]++;
            Labels series = Labels.of(hit.labels == null ? Map.of() : hit.labels);
            if (matchers.stream().allMatch(m -> m.matches(series))) {
              found.put(hit.seriesId, series);
              if (found.size() > maxSeries) {
                throw new TooManySeriesException("the query selects more than " + maxSeries + " series");
              }
            }
          });
    } catch (IOException | ElasticsearchException e) {
      throw new SeriesStoreUnavailableException("cannot read series: " + e.getMessage(), e);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("series lookup {}: {} documents, {} series, in {} ms", matchers, documents[0], found.size(),
          (System.nanoTime() - lookedUp) / 1_000_000);
    }
    Map<String, Labels> ordered = new LinkedHashMap<>(found);
    lookups.put(key, ordered, documents[0], lookedUp);
    return ordered;
  }

  /**
   * How many series documents {@code query} matches now: a search of no hits, which Elasticsearch
   * answers from its request cache until the series index changes.
   */
  private long seriesDocuments(Query query) {
    try {
      return client.search(s -> s.index(layout.seriesIndex()).size(0).ignoreUnavailable(true).allowNoIndices(true)
          .requestCache(true).trackTotalHits(t -> t.enabled(true)).query(query), Void.class).hits().total().value();
    } catch (IOException | ElasticsearchException e) {
      throw new SeriesStoreUnavailableException("cannot count series: " + e.getMessage(), e);
    }
  }

  /**
   * The ids of the series with a sample in {@code [minTime, maxTime]} or a chunk that spans into it,
   * from a composite aggregation over the sample and chunk indices the range touches.
   */
  public java.util.Set<String> activeSeries(long minTime, long maxTime) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    List<String> indices = new ArrayList<>(layout.sampleIndices(minTime, maxTime));
    indices.addAll(layout.chunkIndices(minTime, maxTime));
    Query inRange = Query.of(q -> q.bool(b -> b.minimumShouldMatch("1")
        .should(f -> f.range(r -> r.date(d -> d.field("@timestamp").gte(Long.toString(minTime))
            .lte(Long.toString(maxTime)).format("epoch_millis"))))
        .should(f -> f.bool(c -> c
            .filter(x -> x.range(r -> r.date(d -> d.field("start").lte(Long.toString(maxTime)).format("epoch_millis"))))
            .filter(x -> x.range(r -> r.date(d -> d.field("end").gte(Long.toString(minTime)).format("epoch_millis"))))))));
    Map<String, FieldValue> after = null;
    while (true) {
      Map<String, FieldValue> cursor = after;
      SearchResponse<Void> page;
      try {
        page = client.search(s -> s.index(indices).size(0).ignoreUnavailable(true).allowNoIndices(true)
            .query(inRange)
            .aggregations("series", a -> a.composite(c -> {
              c.size(PAGE).sources(co.elastic.clients.util.NamedValue.of("id",
                  co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource
                      .of(src -> src.terms(t -> t.field("series_id")))));
              if (cursor != null) {
                c.after(cursor);
              }
              return c;
            })), Void.class);
      } catch (IOException | ElasticsearchException e) {
        throw new SeriesStoreUnavailableException("cannot read active series: " + e.getMessage(), e);
      }
      var composite = page.aggregations().get("series").composite();
      composite.buckets().array().forEach(b -> ids.add(b.key().get("id").stringValue()));
      if (composite.buckets().array().size() < PAGE || composite.afterKey() == null
          || composite.afterKey().isEmpty()) {
        return ids;
      }
      after = new java.util.HashMap<>();
      for (Map.Entry<String, FieldValue> e : composite.afterKey().entrySet()) {
        after.put(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Series with samples on the days of a range: {@code first_seen <= maxTime} and
   * {@code last_seen >= day(minTime)}; a series document without them (written by an older version)
   * counts as seen always.
   */
  private static Query seenIn(long minTime, long maxTime) {
    if (minTime == Long.MIN_VALUE && maxTime == Long.MAX_VALUE) {
      return Query.of(q -> q.matchAll(m -> m));
    }
    long fromDay = SeriesDays.day(minTime);
    return Query.of(q -> q.bool(b -> b.minimumShouldMatch("1")
        .should(s -> s.bool(x -> x
            .filter(f -> f.range(r -> r.date(d -> d.field("last_seen").gte(Long.toString(fromDay)).format("epoch_millis"))))
            .filter(f -> f.range(r -> r.date(d -> d.field("first_seen").lte(Long.toString(maxTime)).format("epoch_millis"))))))
        .should(s -> s.bool(x -> x.mustNot(n -> n.exists(e -> e.field("last_seen")))))));
  }

  /**
   * Every label name of the series with samples on the days of {@code [minTime, maxTime]},
   * {@code __name__} included: the names in the series index's mapping, each kept if a series in
   * range has it (one {@code filters} aggregation of {@code exists} queries).
   */
  public java.util.SortedSet<String> labelNames(long minTime, long maxTime) {
    java.util.SortedSet<String> all = labelNames();
    if (all.isEmpty() || minTime == Long.MIN_VALUE && maxTime == Long.MAX_VALUE) {
      return all;
    }
    Map<String, Query> exists = new LinkedHashMap<>();
    for (String name : all) {
      String field = name.equals(Labels.METRIC_NAME) ? "name" : "labels." + name;
      exists.put(name, Query.of(q -> q.exists(e -> e.field(field))));
    }
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    try {
      SearchResponse<Void> response = client.search(s -> s.index(layout.seriesIndex()).size(0)
          .query(seenIn(minTime, maxTime))
          .aggregations("names", a -> a.filters(f -> f.filters(k -> k.keyed(exists)))), Void.class);
      response.aggregations().get("names").filters().buckets().keyed().forEach((name, bucket) -> {
        if (bucket.docCount() > 0) {
          names.add(name);
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new SeriesStoreUnavailableException("cannot read label names: " + e.getMessage(), e);
    }
    return names;
  }

  /** Every label name of every series (from the series index's mapping), {@code __name__} included. */
  public java.util.SortedSet<String> labelNames() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    try {
      var mapping = client.indices().getMapping(m -> m.index(layout.seriesIndex()).ignoreUnavailable(true)
          .allowNoIndices(true));
      mapping.mappings().values().forEach(index -> {
        var labels = index.mappings().properties().get("labels");
        if (labels != null && labels.isObject()) {
          names.addAll(labels.object().properties().keySet());
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new SeriesStoreUnavailableException("cannot read label names: " + e.getMessage(), e);
    }
    if (!names.isEmpty()) {
      names.add(Labels.METRIC_NAME);
    }
    return names;
  }

  /**
   * Every value of one label across the series with samples on the days of
   * {@code [minTime, maxTime]}, up to {@code limit}, by a terms aggregation.
   */
  public java.util.SortedSet<String> labelValues(String name, int limit, long minTime, long maxTime) {
    String field = name.equals(Labels.METRIC_NAME) ? "name" : "labels." + name;
    java.util.SortedSet<String> values = new java.util.TreeSet<>();
    try {
      SearchResponse<Void> response = client.search(s -> s.index(layout.seriesIndex()).size(0)
          .ignoreUnavailable(true).allowNoIndices(true).query(seenIn(minTime, maxTime))
          .aggregations("values", a -> a.terms(t -> t.field(field).size(limit))), Void.class);
      var agg = response.aggregations().get("values");
      if (agg != null && agg.isSterms()) {
        agg.sterms().buckets().array().forEach(b -> values.add(b.key().stringValue()));
      }
    } catch (IOException | ElasticsearchException e) {
      if (e instanceof ElasticsearchException ee && "index_not_found_exception".equals(ee.error().type())) {
        return values;
      }
      throw new SeriesStoreUnavailableException("cannot read label values: " + e.getMessage(), e);
    }
    return values;
  }

  /**
   * Starts reading the samples of the series in batches of {@link #IDS_PER_REQUEST} ids, up to
   * {@link #READERS} batches at a time (so Elasticsearch searches while the last answer is decoded here).
   */
  private Reads startReads(List<String> ids, long minTime, long maxTime) {
    List<java.util.concurrent.Future<Map<String, SeriesPoints>>> reads = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_REQUEST) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQUEST));
      reads.add(READS.submit(() -> {
        Map<String, SeriesPoints> points = new HashMap<>();
        readSamples(batch, minTime, maxTime, points);
        return points;
      }));
    }
    return new Reads(reads);
  }

  /** The batches of one select's reads under way. */
  private record Reads(List<java.util.concurrent.Future<Map<String, SeriesPoints>>> batches) {

    Map<String, SeriesPoints> join() {
      Map<String, SeriesPoints> all = new HashMap<>();
      try {
        for (var read : batches) {
          all.putAll(read.get()); // the batches hold different series
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SeriesStoreUnavailableException("interrupted while reading samples", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw new SeriesStoreUnavailableException("cannot read samples: " + e.getCause(), e.getCause());
      } finally {
        cancel();
      }
      return all;
    }

    void cancel() {
      batches.forEach(read -> read.cancel(true));
    }
  }

  /**
   * Reads the samples of some series, in one search: the chunk documents that overlap the range,
   * and the sample documents of windows not compacted yet (or written after compaction).
   * A window being compacted has its samples in both for a moment; equal timestamps are kept once.
   */
  private void readSamples(List<String> ids, long minTime, long maxTime, Map<String, SeriesPoints> into) {
    long t0 = System.nanoTime();
    List<FieldValue> idValues = ids.stream().map(FieldValue::of).toList();
    Query ofSeries = Query.of(f -> f.terms(t -> t.field("series_id").terms(v -> v.value(idValues))));
    try {
      Query chunkQuery = Query.of(q -> q.bool(b -> b
          .filter(ofSeries)
          .filter(f -> f.range(r -> r.date(d -> d.field("start").lte(Long.toString(maxTime)).format("epoch_millis"))))
          .filter(f -> f.range(r -> r.date(d -> d.field("end").gte(Long.toString(minTime)).format("epoch_millis"))))));
      Query sampleQuery = Query.of(q -> q.bool(b -> b
          .filter(ofSeries)
          .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").gte(Long.toString(minTime))
              .lte(Long.toString(maxTime)).format("epoch_millis"))))));
      java.util.function.BiConsumer<String, SampleChunk.Points> eachChunk = (id, chunk) -> {
        SeriesPoints points = into.computeIfAbsent(id, k -> new SeriesPoints());
        points.addAll(chunk, minTime, maxTime);
      };
      StoredSamples.SampleVisitor eachSample = (id, t, v) -> into.computeIfAbsent(id, k -> new SeriesPoints()).add(t, v);
      if (chunks != null) {
        StoredSamples.readChunksAndSampleDocuments(client, chunks, layout.chunkIndices(minTime, maxTime), chunkQuery,
            layout.sampleIndices(minTime, maxTime), sampleQuery, eachChunk, eachSample);
      } else {
        StoredSamples.readChunksAndSampleDocuments(client, layout.chunkIndices(minTime, maxTime), chunkQuery,
            layout.sampleIndices(minTime, maxTime), sampleQuery, eachChunk, eachSample);
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("samples of {} series from {} and {} in {} ms", ids.size(), layout.chunkIndices(minTime, maxTime),
            layout.sampleIndices(minTime, maxTime), (System.nanoTime() - t0) / 1_000_000);
      }
    } catch (IOException | ElasticsearchException e) {
      throw new SeriesStoreUnavailableException("cannot read samples: " + e.getMessage(), e);
    }
  }

}
