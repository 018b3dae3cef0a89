package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldSortNumericType;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.util.NamedValue;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.LogContext;
import io.fleetlens.core.logs.LogFilters;
import io.fleetlens.core.logs.LogHistogram;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogPage;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogSelection;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.StreamLabels;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;

/** Log search over the daily indices: filters as term queries, text as simple_query_string. */
public final class ElasticsearchLogStore implements LogStore {

  private final ElasticsearchClient client;
  private final LogIndexLayout layout;
  private final ContainsPrefilter prefilter;

  public ElasticsearchLogStore(ElasticsearchClient client, LogIndexLayout layout) {
    this.client = client;
    this.layout = layout;
    this.prefilter = new ContainsPrefilter(client);
  }

  public boolean isAvailable() {
    return ElasticsearchHealth.answers(client);
  }

  @Override
  public LogPage search(LogQuery query) throws StoreUnavailableException {
    SearchResponse<LogDocument> response = send(request(query));
    List<Hit<LogDocument>> hits = response.hits().hits();
    int shown = Math.min(hits.size(), query.limit());
    List<LogHit> page = new ArrayList<>(shown);
    for (Hit<LogDocument> hit : hits.subList(0, shown)) {
      page.add(new LogHit(hit.id(), hit.source().toRecord()));
    }
    String next = hits.size() > query.limit() ? SearchCursor.of(hits.get(shown - 1).sort()).encode() : null;
    return new LogPage(page, next);
  }

  @Override
  public long count(LogQuery query) throws StoreUnavailableException {
    try {
      return client.count(c -> c.index(layout.indicesFor(query.start(), query.end()))
          .ignoreUnavailable(true)
          .allowNoIndices(true)
          .query(q -> q.bool(b -> b.filter(filters(query)).must(text(query))))).count();
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("count failed: " + e.getMessage(), e);
    }
  }

  /** At most 10,000 hits a request; larger selections page with search_after. */
  private static final int PAGE = 10_000;

  @Override
  public List<LogHit> select(LogSelection selection) throws StoreUnavailableException {
    List<Query> filters = selectionFilters(selection);
    for (String text : selection.contains()) {
      prefilter.of(text).ifPresent(filters::add);
    }
    List<Query> mustNot = selectionExclusions(selection);
    SortOrder order = selection.newestFirst() ? SortOrder.Desc : SortOrder.Asc;
    List<LogHit> out = new ArrayList<>();
    List<FieldValue> after = null;
    // the index's answer to contains is a superset and each hit is checked: a page that held lines
    // which failed the check is followed by one twice as large
    int size = Math.min(PAGE, selection.limit());
    while (out.size() < selection.limit()) {
      SearchRequest.Builder search = new SearchRequest.Builder()
          .index(layout.indicesFor(selection.start(), selection.end()))
          .ignoreUnavailable(true)
          .allowNoIndices(true)
          .trackTotalHits(t -> t.enabled(false))
          .size(size)
          .query(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)))
          .sort(x -> x.field(f -> f.field("@timestamp").order(order).numericType(FieldSortNumericType.DateNanos)))
          .sort(x -> x.field(f -> f.field("event_id").order(order)));
      if (after != null) {
        search.searchAfter(after);
      }
      List<Hit<LogDocument>> hits = send(search.build()).hits().hits();
      boolean failedCheck = false;
      for (Hit<LogDocument> hit : hits) {
        LogRecord record = hit.source().toRecord();
        if (selection.contains().stream().allMatch(record.message()::contains)) {
          if (out.size() < selection.limit()) {
            out.add(new LogHit(hit.id(), record));
          }
        } else {
          failedCheck = true;
        }
      }
      if (hits.size() < size) {
        break;
      }
      after = hits.get(hits.size() - 1).sort();
      int remaining = selection.limit() - out.size();
      size = Math.min(PAGE, failedCheck ? Math.max(2 * size, remaining) : remaining);
    }
    return out;
  }

  @Override
  public SortedSet<String> labelNames(LogSelection selection) throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    Map<String, Query> exists = new LinkedHashMap<>();
    for (String name : StreamLabels.FIXED) {
      exists.put(name, Query.of(q -> q.exists(e -> e.field(StreamLabelFields.field(name)))));
    }
    for (String key : podLabelKeys(indices)) {
      exists.put("labels." + key, Query.of(q -> q.exists(e -> e.field("labels." + key))));
    }
    SortedSet<String> names = new TreeSet<>();
    try {
      var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
          .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
          .aggregations("names", a -> a.filters(f -> f.filters(k -> k.keyed(exists)))), Void.class);
      if (response.aggregations().get("names") == null) {
        return names;
      }
      response.aggregations().get("names").filters().buckets().keyed().forEach((name, bucket) -> {
        if (bucket.docCount() > 0) {
          names.add(name.startsWith("labels.") ? StreamLabels.name(name.substring("labels.".length())) : name);
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("label names failed: " + e.getMessage(), e);
    }
    return names;
  }

  @Override
  public SortedSet<String> labelValues(String name, LogSelection selection)
      throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> fields = new ArrayList<>();
    if (StreamLabels.FIXED.contains(name)) {
      fields.add(StreamLabelFields.field(name));
    } else {
      podLabelKeys(indices).stream().filter(k -> StreamLabels.name(k).equals(name)).forEach(k -> fields.add(
          "labels." + k));
    }
    SortedSet<String> values = new TreeSet<>();
    for (String field : fields) {
      try {
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("values", a -> a.terms(t -> t.field(field).size(selection.limit()))), Void.class);
        var agg = response.aggregations().get("values");
        if (agg != null && agg.isSterms()) {
          agg.sterms().buckets().array().forEach(b -> values.add(b.key().stringValue()));
        }
      } catch (IOException | ElasticsearchException e) {
        throw new StoreUnavailableException("label values failed: " + e.getMessage(), e);
      }
    }
    while (values.size() > selection.limit()) {
      values.remove(values.last());
    }
    return values;
  }

  @Override
  public List<Labels> streams(LogSelection selection) throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> names = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (String name : new TreeSet<>(StreamLabels.FIXED)) {
      names.add(name);
      fields.add(StreamLabelFields.field(name));
    }
    for (String key : podLabelKeys(indices)) {
      names.add(StreamLabels.name(key));
      fields.add("labels." + key);
    }
    List<NamedValue<CompositeAggregationSource>> sources = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String field = fields.get(i);
      sources.add(NamedValue.of("f" + i, CompositeAggregationSource.of(c -> c.terms(t -> t.field(field).missingBucket(true)))));
    }
    List<Labels> out = new ArrayList<>();
    Map<String, FieldValue> after = null;
    try {
      while (out.size() < selection.limit()) {
        Map<String, FieldValue> cursor = after;
        int size = Math.min(1_000, selection.limit() - out.size());
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("streams", a -> a.composite(c -> {
              c.size(size).sources(sources);
              if (cursor != null) {
                c.after(cursor);
              }
              return c;
            })), Void.class);
        var agg = response.aggregations().get("streams");
        if (agg == null) {
          break;
        }
        var composite = agg.composite();
        for (var bucket : composite.buckets().array()) {
          Map<String, String> labels = new TreeMap<>();
          for (int i = 0; i < names.size(); i++) {
            var value = bucket.key().get("f" + i);
            if (value != null && !value.isNull()) {
              labels.put(names.get(i), value.stringValue());
            }
          }
          out.add(Labels.of(labels));
        }
        if (composite.buckets().array().size() < size || composite.afterKey() == null || composite.afterKey().isEmpty()) {
          break;
        }
        after = new HashMap<>(composite.afterKey());
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("streams failed: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * One search for one window (paged only where a composite aggregation must page); for more, a
   * {@code date_histogram} in buckets of the greatest common divisor of the windows' step and
   * width, under a {@code terms} aggregation for one label or a composite aggregation over several,
   * with a sum of {@code bytes} in each when asked; each window adds up the buckets it spans. The
   * histogram counts whole milliseconds, {@code [k, k + g)}, so it is exact for windows whose edges
   * are whole milliseconds save for the lines exactly on an edge, which belong to the window that
   * ends there: a second search finds which edges have such lines ({@link #linesOnEdges}), which
   * are then read (there are seldom any) and moved ({@link #correctEdges}). The first search also
   * counts the lines with a stored field of one of {@code unlessFields} ({@link #storedFields}).
   */
  @Override
  public Optional<List<LogVolume>> volume(LogSelection selection, List<String> labels, LogWindows windows,
      Set<String> unlessFields, boolean bytes) throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> podKeys = labels.stream().allMatch(StreamLabels.FIXED::contains) ? List.of()
        : podLabelKeys(indices);
    List<String> names = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (String name : labels) {
      String field = StreamLabels.FIXED.contains(name) ? StreamLabelFields.field(name)
          : podKeys.stream().filter(k -> StreamLabels.name(k).equals(name)).findFirst()
              .map(k -> "labels." + k).orElse(null);
      if (field != null) {
        names.add(name);
        fields.add(field);
      }
    }
    long first = windows.start(0);
    long last = windows.end(windows.count() - 1);
    List<Query> filters = new ArrayList<>(selectionFilters(selection));
    filters.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp").gt(nanos(first)).lte(nanos(last))
        .format("strict_date_optional_time_nanos")))));
    List<Query> mustNot = selectionExclusions(selection);
    Volumes volumes = new Volumes(windows, bytes);
    Map<String, Aggregation> besides = new HashMap<>(); // asked once, beside the counts' first page
    Query stored = storedFields(indices, unlessFields);
    if (stored != null) {
      besides.put(STORED, Aggregation.of(a -> a.filter(stored)));
    }
    try {
      if (windows.count() == 1) {
        if (names.isEmpty()) {
          var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
              .trackTotalHits(t -> t.enabled(true)).query(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)))
              .aggregations(volumes.withBytes(besides)), Void.class);
          volumes.answered(response.aggregations());
          long lines = response.hits().total() == null ? 0 : response.hits().total().value();
          volumes.addToWindow(Labels.EMPTY, 0, lines, volumes.bytesOf(response.aggregations()));
        } else {
          composite(indices, filters, mustNot, names, fields, null, selection.limit(), volumes, besides);
        }
        return volumes.storedFieldsFound() ? Optional.empty() : Optional.of(volumes.list());
      }
      if (first % 1_000_000 != 0 || windows.stepNanos() % 1_000_000 != 0 || windows.widthNanos() % 1_000_000 != 0) {
        throw new IllegalArgumentException("windows over more than one step need edges on whole milliseconds");
      }
      long bucketMillis = gcd(windows.stepNanos(), windows.widthNanos()) / 1_000_000;
      long offset = Math.floorMod(first / 1_000_000, bucketMillis);
      Aggregation histogram = Aggregation.of(a -> a.dateHistogram(d -> d.field("@timestamp")
          .fixedInterval(t -> t.time(bucketMillis + "ms")).offset(t -> t.time(offset + "ms")).minDocCount(1))
          .aggregations(volumes.withBytes(Map.of())));
      NamedValue<CompositeAggregationSource> pagedHistogram = NamedValue.of("t", CompositeAggregationSource.of(
          c -> c.dateHistogram(d -> d.field("@timestamp").fixedInterval(t -> t.time(bucketMillis + "ms"))
              .offset(t -> t.time(offset + "ms")))));
      volumes.inBuckets(bucketMillis);
      // the edges in a search of their own beside the first: as its only aggregation, Elasticsearch
      // runs the filter as a query, and the two searches run side by side
      volumes.alongside = Map.of(EDGES, linesOnEdges(bucketMillis, offset));
      if (names.size() > 1) {
        composite(indices, filters, mustNot, names, fields, pagedHistogram, selection.limit(), volumes, besides);
      } else {
        try {
          histogram(indices, filters, mustNot, names, fields, histogram, selection.limit(), volumes, besides);
        } catch (ElasticsearchException e) {
          if (!tooManyBuckets(e.error())) {
            throw e;
          }
          // more label values times buckets than one answer may hold: page through them instead
          volumes.clear();
          composite(indices, filters, mustNot, names, fields, pagedHistogram, selection.limit(), volumes, besides);
        }
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("log volume failed: " + e.getMessage(), e);
    }
    if (volumes.storedFieldsFound()) {
      return Optional.empty();
    }
    if (!volumes.linesOnEdges.isEmpty()) {
      correctEdges(filters, mustNot, selection, names, volumes);
    }
    return Optional.of(volumes.list());
  }

  /** The aggregations beside a volume's counts: lines with stored fields, lines on the windows' edges; bytes. */
  private static final String STORED = "stored";
  private static final String EDGES = "edges";
  private static final String BYTES = "bytes";

  /** A date histogram, under a {@code terms} aggregation of the one label (when there is one). */
  private void histogram(List<String> indices, List<Query> filters, List<Query> mustNot, List<String> names,
      List<String> fields, Aggregation histogram, int limit, Volumes volumes, Map<String, Aggregation> besides)
      throws IOException {
    Map<String, Aggregation> aggregations = new HashMap<>(besides);
    aggregations.put("volume", names.isEmpty() ? histogram : Aggregation.of(a -> a.terms(t -> t
        .field(fields.get(0)).size(limit + 1).missing("")).aggregations("t", histogram)));
    Map<String, Aggregate> answer = firstPage(indices, filters, mustNot, aggregations, volumes);
    if (volumes.storedFieldsFound()) {
      return;
    }
    var agg = answer.get("volume");
    if (names.isEmpty()) {
      for (var bucket : agg.dateHistogram().buckets().array()) {
        volumes.add(Labels.EMPTY, bucket.key(), bucket.docCount(), volumes.bytesOf(bucket.aggregations()));
      }
      return;
    }
    for (var term : agg.sterms().buckets().array()) {
      String value = term.key().stringValue();
      Labels key = value.isEmpty() ? Labels.EMPTY : Labels.of(names.get(0), value);
      for (var bucket : term.aggregations().get("t").dateHistogram().buckets().array()) {
        volumes.add(key, bucket.key(), bucket.docCount(), volumes.bytesOf(bucket.aggregations()));
      }
    }
  }

  /** Whether a search failed for asking more buckets than one answer may hold (search.max_buckets). */
  private static boolean tooManyBuckets(co.elastic.clients.elasticsearch._types.ErrorCause error) {
    if (error == null) {
      return false;
    }
    if ("too_many_buckets_exception".equals(error.type()) || tooManyBuckets(error.causedBy())) {
      return true;
    }
    return error.rootCause().stream().anyMatch(ElasticsearchLogStore::tooManyBuckets);
  }

  /**
   * A volume's first search, with its {@code aggregations}, and beside it in the same
   * {@code _msearch} the volume's search {@code alongside} (when it has one); gives both answers to
   * {@code volumes} and returns the first's aggregations.
   */
  private Map<String, Aggregate> firstPage(List<String> indices, List<Query> filters, List<Query> mustNot,
      Map<String, Aggregation> aggregations, Volumes volumes) throws IOException {
    List<Map<String, Aggregation>> searches = volumes.alongside.isEmpty() ? List.of(aggregations)
        : List.of(aggregations, volumes.alongside);
    Query query = Query.of(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)));
    List<Map<String, Aggregate>> answers = new ArrayList<>();
    if (searches.size() == 1) {
      answers.add(client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
          .query(query).aggregations(aggregations), Void.class).aggregations());
    } else {
      var response = client.msearch(m -> {
        for (Map<String, Aggregation> search : searches) {
          m.searches(s -> s.header(h -> h.index(indices).ignoreUnavailable(true).allowNoIndices(true))
              .body(b -> b.size(0).query(query).aggregations(search)));
        }
        return m;
      }, Void.class);
      for (var item : response.responses()) {
        if (item.isFailure()) {
          throw new ElasticsearchException("msearch", item.failure());
        }
        answers.add(item.result().aggregations());
      }
    }
    for (Map<String, Aggregate> answer : answers) {
      volumes.answered(answer);
    }
    return answers.get(0);
  }

  /**
   * The counts a volume gathers: per label set and window, lines and bytes; the edges to correct;
   * and whether lines with stored fields of the names asked about turned up.
   */
  private static final class Volumes {
    final LogWindows windows;
    final boolean bytes;
    final Map<Labels, long[][]> counts = new LinkedHashMap<>();
    final TreeSet<Long> edges = new TreeSet<>();
    final TreeSet<Long> linesOnEdges = new TreeSet<>(); // edges whose bucket starts with a line exactly on them
    long bucketMillis;
    Map<String, Aggregation> alongside = Map.of(); // a search sent beside the first page of counts
    boolean storedFields;

    Volumes(LogWindows windows, boolean bytes) {
      this.windows = windows;
      this.bytes = bytes;
      for (int i = 0; i < windows.count(); i++) {
        edges.add(windows.start(i));
        edges.add(windows.end(i));
      }
    }

    Volumes inBuckets(long millis) {
      bucketMillis = millis;
      return this;
    }

    /** {@code aggregations} and, when bytes are counted, their sum. */
    Map<String, Aggregation> withBytes(Map<String, Aggregation> aggregations) {
      if (!bytes) {
        return aggregations;
      }
      Map<String, Aggregation> out = new HashMap<>(aggregations);
      out.put(BYTES, Aggregation.of(a -> a.sum(m -> m.field("bytes"))));
      return out;
    }

    /** The sum of bytes among a bucket's aggregations (0 when not counted, or over no documents). */
    long bytesOf(Map<String, Aggregate> aggregations) {
      Aggregate sum = aggregations.get(BYTES);
      return sum == null || sum.sum().value() == null ? 0 : sum.sum().value().longValue();
    }

    /** Reads what was asked beside the counts, from the first answer that holds it. */
    void answered(Map<String, Aggregate> aggregations) {
      Aggregate stored = aggregations.get(STORED);
      if (stored != null && stored.filter().docCount() > 0) {
        storedFields = true;
      }
      Aggregate onEdges = aggregations.get(EDGES);
      if (onEdges == null) {
        return;
      }
      for (var bucket : onEdges.filter().aggregations().get("t").dateHistogram().buckets().array()) {
        Double firstLine = bucket.aggregations().get("first").min().value();
        long from = bucket.key() * 1_000_000;
        if (firstLine != null && Math.round(firstLine) == bucket.key() && edges.contains(from)) {
          linesOnEdges.add(from);
        }
      }
    }

    boolean storedFieldsFound() {
      return storedFields;
    }

    int labelSets() {
      return counts.size();
    }

    void clear() {
      counts.clear();
      linesOnEdges.clear();
    }

    void addToWindow(Labels key, int window, long lines, long bytes) {
      long[] c = counts.computeIfAbsent(key, k -> new long[windows.count()][2])[window];
      c[0] += lines;
      c[1] += bytes;
    }

    /** One histogram bucket, from {@code fromMillis}: into every window that spans it. */
    void add(Labels key, long fromMillis, long lines, long bytes) {
      long[][] perWindow = counts.computeIfAbsent(key, k -> new long[windows.count()][2]);
      long from = fromMillis * 1_000_000;
      long to = from + bucketMillis * 1_000_000;
      // the windows i with start(i) <= from and to <= end(i), where end(i) = firstEnd + i * step
      long step = windows.stepNanos();
      long firstWindow = Math.max(0, -Math.floorDiv(windows.firstEndNanos() - to, step));
      long lastWindow = Math.min(windows.count() - 1,
          Math.floorDiv(from + windows.widthNanos() - windows.firstEndNanos(), step));
      for (long i = firstWindow; i <= lastWindow; i++) {
        perWindow[(int) i][0] += lines;
        perWindow[(int) i][1] += bytes;
      }
    }

    List<LogVolume> list() {
      return LogVolume.of(counts);
    }
  }

  /**
   * A composite aggregation over the labels' fields (and {@code histogram}, when given), paged until
   * done or past {@code limit} label sets, {@code besides} asked with the first page.
   */
  private void composite(List<String> indices, List<Query> filters, List<Query> mustNot, List<String> names,
      List<String> fields, NamedValue<CompositeAggregationSource> histogram, int limit, Volumes volumes,
      Map<String, Aggregation> besides) throws IOException {
    List<NamedValue<CompositeAggregationSource>> sources = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String field = fields.get(i);
      sources.add(NamedValue.of("f" + i, CompositeAggregationSource.of(c -> c.terms(t -> t.field(field)
          .missingBucket(true)))));
    }
    if (histogram != null) {
      sources.add(histogram);
    }
    Map<String, FieldValue> after = null;
    while (volumes.labelSets() <= limit) {
      Map<String, FieldValue> cursor = after;
      Map<String, Aggregation> aggregations = new HashMap<>(after == null ? besides : Map.of());
      aggregations.put("volume", Aggregation.of(a -> a.composite(c -> {
        c.size(VOLUME_PAGE).sources(sources);
        if (cursor != null) {
          c.after(cursor);
        }
        return c;
      }).aggregations(volumes.withBytes(Map.of()))));
      Map<String, Aggregate> answer = after == null ? firstPage(indices, filters, mustNot, aggregations, volumes)
          : client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
              .query(q -> q.bool(b -> b.filter(filters).mustNot(mustNot))).aggregations(aggregations), Void.class)
              .aggregations();
      var agg = answer.get("volume");
      if (agg == null || volumes.storedFieldsFound()) {
        return;
      }
      var composite = agg.composite();
      for (var bucket : composite.buckets().array()) {
        Map<String, String> key = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
          var value = bucket.key().get("f" + i);
          if (value != null && !value.isNull() && !value.stringValue().isEmpty()) {
            key.put(names.get(i), value.stringValue());
          }
        }
        long bytes = volumes.bytesOf(bucket.aggregations());
        if (histogram == null) {
          volumes.addToWindow(Labels.of(key), 0, bucket.docCount(), bytes);
        } else {
          volumes.add(Labels.of(key), bucket.key().get("t").longValue(), bucket.docCount(), bytes);
        }
      }
      if (composite.buckets().array().size() < VOLUME_PAGE || composite.afterKey() == null
          || composite.afterKey().isEmpty()) {
        return;
      }
      after = new HashMap<>(composite.afterKey());
    }
  }

  /** Composite buckets a page. */
  private static final int VOLUME_PAGE = 10_000;

  /**
   * Which edges a line lies exactly on: only a line written on a whole millisecond ({@code sub_ms}
   * 0, or a document from before that field) can, and aggregations read times to the millisecond,
   * so a histogram of those lines alone, in the buckets of the volume, with the first time in each,
   * says which buckets start with one. There are seldom any but in data written on whole
   * milliseconds.
   */
  private static Aggregation linesOnEdges(long bucketMillis, long offsetMillis) {
    Query wholeMillis = Query.of(q -> q.bool(b -> b.should(Query.of(t -> t.term(x -> x.field("sub_ms").value(0))))
        .should(Query.of(n -> n.bool(none -> none.mustNot(Query.of(e -> e.exists(x -> x.field("sub_ms")))))))
        .minimumShouldMatch("1")));
    return Aggregation.of(a -> a.filter(wholeMillis).aggregations("t", t -> t.dateHistogram(d -> d
        .field("@timestamp").minDocCount(1).fixedInterval(i -> i.time(bucketMillis + "ms"))
        .offset(o -> o.time(offsetMillis + "ms"))).aggregations("first", m -> m.min(f -> f.field("@timestamp")))));
  }

  /**
   * The histogram put a line exactly on an edge {@code x} in the buckets from {@code x} on; it
   * belongs to the window that ends at {@code x} and not to one that starts there. Reads the lines
   * on the edges whose buckets start with one (seldom, save in data written on whole milliseconds)
   * and moves their counts.
   */
  private void correctEdges(List<Query> filters, List<Query> mustNot, LogSelection selection, List<String> names,
      Volumes volumes) throws StoreUnavailableException {
    LogWindows windows = volumes.windows;
    List<Long> all = new ArrayList<>(volumes.linesOnEdges);
    for (int from = 0; from < all.size(); from += 1_000) {
      List<Query> onEdges = new ArrayList<>();
      for (long edge : all.subList(from, Math.min(all.size(), from + 1_000))) {
        onEdges.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp").gte(nanos(edge)).lte(nanos(edge))
            .format("strict_date_optional_time_nanos")))));
      }
      List<Query> edgeFilters = new ArrayList<>(filters);
      edgeFilters.add(Query.of(q -> q.bool(b -> b.should(onEdges).minimumShouldMatch("1"))));
      for (LogHit hit : hits(selection, edgeFilters, mustNot)) {
        Instant at = hit.record().timestamp();
        long t = at.getEpochSecond() * 1_000_000_000L + at.getNano();
        long bytes = volumes.bytes ? LogDocument.utf8Length(hit.record().message()) : 0;
        long[][] perWindow = volumes.counts.computeIfAbsent(StreamLabels.of(hit.record()).keep(names),
            k -> new long[windows.count()][2]);
        for (int i = 0; i < windows.count(); i++) {
          boolean counted = windows.start(i) <= t && t < windows.end(i);
          boolean belongs = windows.start(i) < t && t <= windows.end(i);
          if (counted != belongs) {
            perWindow[i][0] += belongs ? 1 : -1;
            perWindow[i][1] += belongs ? bytes : -bytes;
          }
        }
      }
    }
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Every line of the selection's indices that the filters pick, oldest first, page by page. */
  private List<LogHit> hits(LogSelection selection, List<Query> filters, List<Query> mustNot)
      throws StoreUnavailableException {
    List<LogHit> out = new ArrayList<>();
    List<FieldValue> after = null;
    while (true) {
      SearchRequest.Builder search = new SearchRequest.Builder()
          .index(layout.indicesFor(selection.start(), selection.end()))
          .ignoreUnavailable(true)
          .allowNoIndices(true)
          .trackTotalHits(t -> t.enabled(false))
          .size(PAGE)
          .query(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)))
          .sort(x -> x.field(f -> f.field("@timestamp").order(SortOrder.Asc).numericType(FieldSortNumericType.DateNanos)))
          .sort(x -> x.field(f -> f.field("event_id").order(SortOrder.Asc)));
      if (after != null) {
        search.searchAfter(after);
      }
      List<Hit<LogDocument>> page = send(search.build()).hits().hits();
      for (Hit<LogDocument> hit : page) {
        out.add(new LogHit(hit.id(), hit.source().toRecord()));
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).sort();
    }
  }

  private static String nanos(long unixNanos) {
    return Instant.ofEpochSecond(0, unixNanos).toString();
  }

  /** The most buckets a histogram asks for. */
  private static final int MAX_HISTOGRAM_BUCKETS = 10_000;
  /** The most values of the split field a bucket counts (the rest are left out). */
  private static final int MAX_HISTOGRAM_VALUES = 50;

  @Override
  public LogHistogram histogram(LogQuery query, String by, long intervalMillis) throws StoreUnavailableException {
    String field = by == null || by.isEmpty() ? null : splitField(by);
    long range = query.end().toEpochMilli() - query.start().toEpochMilli();
    if (intervalMillis < 1 || range / intervalMillis > MAX_HISTOGRAM_BUCKETS) {
      throw new io.fleetlens.core.logs.InvalidQueryException("interval", "gives more than "
          + MAX_HISTOGRAM_BUCKETS + " buckets over the range; choose a longer interval");
    }
    try {
      var response = client.search(x -> x.index(layout.indicesFor(query.start(), query.end()))
          .ignoreUnavailable(true).allowNoIndices(true).size(0)
          .query(q -> q.bool(b -> b.filter(filters(query)).must(text(query))))
          .aggregations("t", a -> {
            var histogram = a.dateHistogram(d -> d.field("@timestamp").fixedInterval(t -> t.time(intervalMillis + "ms"))
                .minDocCount(1));
            return field == null ? histogram : histogram.aggregations("by", t -> t.terms(terms -> terms.field(field)
                .size(MAX_HISTOGRAM_VALUES).missing("")));
          }), Void.class);
      List<LogHistogram.Bucket> buckets = new ArrayList<>();
      var agg = response.aggregations().get("t");
      if (agg != null) {
        for (var bucket : agg.dateHistogram().buckets().array()) {
          Map<String, Long> counts = new TreeMap<>();
          if (field != null) {
            var terms = bucket.aggregations().get("by");
            if (terms.isSterms()) {
              terms.sterms().buckets().array().forEach(t -> counts.put(t.key().stringValue(), t.docCount()));
            } else if (terms.isLterms()) {
              terms.lterms().buckets().array().forEach(t -> counts.put(Long.toString(t.key()), t.docCount()));
            }
          }
          buckets.add(new LogHistogram.Bucket(Instant.ofEpochMilli(bucket.key()), bucket.docCount(), counts));
        }
      }
      return new LogHistogram(by, intervalMillis, buckets);
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("histogram failed: " + e.getMessage(), e);
    }
  }

  /** The field a histogram splits by: a stream label's, {@code label.<key>} or {@code field.<key>}. */
  private static String splitField(String by) {
    if (StreamLabels.FIXED.contains(by)) {
      return StreamLabelFields.field(by);
    }
    if (by.startsWith("label.") && by.length() > "label.".length()) {
      return "labels." + by.substring("label.".length());
    }
    if (by.startsWith("field.") && by.length() > "field.".length()) {
      return "fields." + by.substring("field.".length());
    }
    throw new io.fleetlens.core.logs.InvalidQueryException("by", "must be one of " + new TreeSet<>(StreamLabels.FIXED)
        + ", label.<key> or field.<key>");
  }

  @Override
  public java.util.Optional<LogContext> context(String id, int before, int after, Scope scope)
      throws StoreUnavailableException {
    List<Query> visible = new ArrayList<>();
    scope(visible, scope);
    List<Hit<LogDocument>> found = send(new SearchRequest.Builder().index(layout.indexPattern())
        .ignoreUnavailable(true).allowNoIndices(true).size(1)
        .query(q -> q.bool(b -> b.filter(Query.of(i -> i.ids(ids -> ids.values(id)))).filter(visible)))
        .sort(x -> x.field(f -> f.field("@timestamp").order(SortOrder.Desc).numericType(FieldSortNumericType.DateNanos)))
        .sort(x -> x.field(f -> f.field("event_id").order(SortOrder.Desc))).build()).hits().hits();
    if (found.isEmpty()) {
      return java.util.Optional.empty();
    }
    Hit<LogDocument> hit = found.get(0);
    LogRecord r = hit.source().toRecord();
    List<Query> sameStream = new ArrayList<>(visible);
    term(sameStream, "cluster", r.cluster());
    term(sameStream, "namespace", r.container().namespace());
    term(sameStream, "pod", r.container().pod());
    term(sameStream, "container", r.container().name());
    term(sameStream, "stream", r.stream().wireName());
    List<LogHit> older = around(sameStream, hit.sort(), SortOrder.Desc, before);
    java.util.Collections.reverse(older);
    return java.util.Optional.of(new LogContext(older, new LogHit(hit.id(), r),
        around(sameStream, hit.sort(), SortOrder.Asc, after)));
  }

  /** Up to {@code n} records of a stream from a position on, in {@code order}. */
  private List<LogHit> around(List<Query> stream, List<FieldValue> position, SortOrder order, int n)
      throws StoreUnavailableException {
    if (n == 0) {
      return new ArrayList<>();
    }
    List<LogHit> out = new ArrayList<>();
    for (Hit<LogDocument> h : send(new SearchRequest.Builder().index(layout.indexPattern()).ignoreUnavailable(true)
        .allowNoIndices(true).size(n).trackTotalHits(t -> t.enabled(false))
        .query(q -> q.bool(b -> b.filter(stream)))
        .sort(x -> x.field(f -> f.field("@timestamp").order(order).numericType(FieldSortNumericType.DateNanos)))
        .sort(x -> x.field(f -> f.field("event_id").order(order)))
        .searchAfter(position).build()).hits().hits()) {
      out.add(new LogHit(h.id(), h.source().toRecord()));
    }
    return out;
  }

  /**
   * The lines with a stored field whose label name is one of {@code labelNames} and no stream
   * label of that name (which would win over the field), or null when there are no names. A name
   * without {@code _} is only its own field's; one with {@code _} may be a field's whose key had
   * other characters there ({@link StreamLabels#name}), so the fields are matched with a wildcard
   * in their place: a superset, which at worst sends a query to read lines it could have counted.
   */
  private Query storedFields(List<String> indices, Set<String> labelNames) throws StoreUnavailableException {
    List<Query> any = new ArrayList<>();
    List<String> podKeys = null;
    for (String name : labelNames) {
      List<Query> streamLabel = new ArrayList<>();
      if (StreamLabels.FIXED.contains(name)) {
        streamLabel.add(exists(StreamLabelFields.field(name)));
      } else if (name.indexOf('_') < 0) {
        streamLabel.add(exists("labels." + name));
      } else {
        podKeys = podKeys == null ? podLabelKeys(indices) : podKeys;
        podKeys.stream().filter(k -> StreamLabels.name(k).equals(name))
            .forEach(k -> streamLabel.add(exists("labels." + k)));
      }
      Query field = exists("fields." + name.replace('_', '*'));
      any.add(Query.of(q -> q.bool(b -> b.filter(field).mustNot(streamLabel))));
    }
    return any.isEmpty() ? null : Query.of(q -> q.bool(b -> b.should(any).minimumShouldMatch("1")));
  }

  private static Query exists(String field) {
    return Query.of(q -> q.exists(e -> e.field(field)));
  }

  /** The pod label keys the indices' mappings hold. */
  private List<String> podLabelKeys(List<String> indices) throws StoreUnavailableException {
    return objectKeys(indices, "labels");
  }

  /** The keys under an object field ({@code labels}, {@code fields}) the indices' mappings hold. */
  private List<String> objectKeys(List<String> indices, String object) throws StoreUnavailableException {
    SortedSet<String> keys = new TreeSet<>();
    try {
      var mapping = client.indices().getMapping(m -> m.index(indices).ignoreUnavailable(true).allowNoIndices(true));
      mapping.mappings().values().forEach(index -> {
        var labels = index.mappings().properties().get(object);
        if (labels != null && labels.isObject()) {
          keys.addAll(labels.object().properties().keySet());
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("index mapping failed: " + e.getMessage(), e);
    }
    return new ArrayList<>(keys);
  }

  private static List<Query> selectionFilters(LogSelection selection) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp")
        .gte(selection.start().toString()).lt(selection.end().toString()).format("strict_date_optional_time_nanos")))));
    List<Query> ignored = new ArrayList<>();
    for (LabelMatcher m : selection.matchers()) {
      StreamLabelFields.filter(m, filters, ignored);
    }
    scope(filters, selection.scope());
    return filters;
  }

  private static List<Query> selectionExclusions(LogSelection selection) {
    List<Query> ignored = new ArrayList<>();
    List<Query> mustNot = new ArrayList<>();
    for (LabelMatcher m : selection.matchers()) {
      StreamLabelFields.filter(m, ignored, mustNot);
    }
    return mustNot;
  }

  private SearchRequest request(LogQuery query) {
    SearchRequest.Builder search = new SearchRequest.Builder()
        .index(layout.indicesFor(query.start(), query.end()))
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(false))
        .size(query.limit() + 1)
        .query(q -> q.bool(b -> b.filter(filters(query)).must(text(query))))
        .sort(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Desc).numericType(FieldSortNumericType.DateNanos)))
        .sort(s -> s.field(f -> f.field("event_id").order(SortOrder.Desc)));
    if (query.cursor() != null) {
      search.searchAfter(SearchCursor.decode(query.cursor()).searchAfter());
    }
    return search.build();
  }

  private static List<Query> filters(LogQuery query) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp")
        .gte(query.start().toString()).lt(query.end().toString()).format("strict_date_optional_time_nanos")))));
    LogFilters f = query.filters();
    term(filters, "cluster", f.cluster());
    term(filters, "namespace", f.namespace());
    term(filters, "pod", f.pod());
    term(filters, "container", f.container());
    term(filters, "stream", f.stream() == null ? null : f.stream().wireName());
    term(filters, "level", f.level() == null ? null : f.level().wireName());
    term(filters, "workload.name", f.workload());
    f.labels().forEach((key, value) -> term(filters, "labels." + key, value));
    f.fields().forEach((key, value) -> term(filters, "fields." + key, value));
    scope(filters, query.scope());
    return filters;
  }

  /** Only the clusters and namespaces the scope may see. */
  private static void scope(List<Query> filters, Scope scope) {
    if (scope.isAll()) {
      return;
    }
    List<Query> parts = new ArrayList<>();
    for (Scope.Part part : scope.parts()) {
      parts.add(Query.of(q -> q.bool(b -> b
          .filter(Query.of(r -> r.regexp(x -> x.field("cluster").value(part.clusters()))))
          .filter(Query.of(r -> r.regexp(x -> x.field("namespace").value(part.namespaces())))))));
    }
    filters.add(Query.of(q -> q.bool(b -> b.should(parts).minimumShouldMatch("1"))));
  }

  private static void term(List<Query> filters, String field, String value) {
    if (value != null) {
      filters.add(Query.of(q -> q.term(t -> t.field(field).value(value))));
    }
  }

  private static List<Query> text(LogQuery query) {
    if (query.text() == null || query.text().isBlank()) {
      return List.of();
    }
    return List.of(Query.of(q -> q.simpleQueryString(s -> s.query(query.text()).fields("message")
        .defaultOperator(Operator.And))));
  }

  private SearchResponse<LogDocument> send(SearchRequest request) throws StoreUnavailableException {
    try {
      return client.search(request, LogDocument.class);
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("search failed: " + e.getMessage(), e);
    }
  }
}
