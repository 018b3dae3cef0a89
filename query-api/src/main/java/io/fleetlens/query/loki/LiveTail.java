package io.fleetlens.query.loki;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.logql.eval.LogSource.Direction;
import io.fleetlens.logql.eval.LogqlEngine;
import io.fleetlens.logql.parse.Expr;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Loki's live tail: each client of {@code /loki/api/v1/tail} gets the lines of its query as they
 * become searchable, in Loki's message shape ({@code streams}, and {@code dropped_entries} for
 * what a slow client missed). Clients asking the same query as the same tenants share one feed:
 * one poll of the store a second, whatever their number. Each poll reads a few seconds back, for
 * lines that became searchable late, and sends only what a feed has not sent before.
 */
final class LiveTail implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);
  private static final long OVERLAP_NANOS = 10_000_000_000L;
  private static final int MAX_LINES_PER_POLL = 5_000;
  /** How long a feed waits out a log store that does not answer before it closes its sockets. */
  private static final long STORE_PATIENCE_MILLIS = 30_000;

  /** One client: its socket and what it could not take. */
  private static final class Client {
    final ServerWebSocket socket;
    final JsonArray dropped = new JsonArray();

    Client(ServerWebSocket socket) {
      this.socket = socket;
    }
  }

  /** The lines of one query for one scope, polled once for all its clients. */
  private final class Feed {
    final Expr.LogQuery query;
    final Scope scope;
    final long delayNanos;
    final Set<Client> clients = new CopyOnWriteArraySet<>();
    final Map<String, Long> sent = new HashMap<>();
    long cursor;

    Feed(Expr.LogQuery query, Scope scope, long delayNanos, long cursor) {
      this.query = query;
      this.scope = scope;
      this.delayNanos = delayNanos;
      this.cursor = cursor;
    }

    long failingSinceMillis;

    void poll() {
      long to = now() - delayNanos;
      long from = Math.min(cursor, to) - OVERLAP_NANOS;
      LogqlEngine.Streams streams = engine(scope).logs(query, from, to, MAX_LINES_PER_POLL, Direction.FORWARD);
      JsonArray fresh = new JsonArray();
      int read = 0;
      long newest = Long.MIN_VALUE;
      for (LogqlEngine.Stream s : streams.streams()) {
        List<LogqlEngine.Entry> unsent = new ArrayList<>();
        for (LogqlEngine.Entry e : s.entries()) {
          read++;
          newest = Math.max(newest, e.timestampNanos());
          if (sent.putIfAbsent(key(s, e), e.timestampNanos()) == null) {
            unsent.add(e);
          }
        }
        if (!unsent.isEmpty()) {
          fresh.add(LokiApi.stream(s.labels(), unsent));
        }
      }
      sent.values().removeIf(t -> t < from);
      // a poll that hit its line limit goes on next time from its newest line, not from its end
      cursor = read >= MAX_LINES_PER_POLL ? newest : to;
      if (!fresh.isEmpty()) {
        clients.forEach(c -> send(c, fresh));
      }
    }
  }

  private final Function<Scope, LogStore> stores;
  private final LogqlEngine.Options options;
  private final Clock clock;
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "loki-live-tail");
    thread.setDaemon(true);
    return thread;
  });

  LiveTail(Function<Scope, LogStore> stores, LogqlEngine.Options options, Clock clock, long pollMillis) {
    this.stores = stores;
    this.options = options;
    this.clock = clock;
    poller.scheduleWithFixedDelay(this::pollAll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  private LogqlEngine engine(Scope scope) {
    return new LogqlEngine(new StoreLogSource(stores.apply(scope)), options);
  }

  private long now() {
    return clock.millis() * 1_000_000L;
  }

  /**
   * Adds a client: first the newest {@code limit} lines since {@code startNanos} (oldest first), then
   * every new line of its query until it goes away.
   */
  void subscribe(ServerWebSocket socket, Expr.LogQuery query, String queryText, Scope scope, int limit,
      long startNanos, long delayNanos) {
    Client client = new Client(socket);
    long to = now() - delayNanos;
    poller.execute(() -> {
      try {
        LogqlEngine.Streams backfill = engine(scope).logs(query, startNanos, to, limit, Direction.BACKWARD);
        JsonArray streams = new JsonArray();
        for (LogqlEngine.Stream s : backfill.streams()) {
          List<LogqlEngine.Entry> oldestFirst = new ArrayList<>(s.entries());
          java.util.Collections.reverse(oldestFirst);
          streams.add(LokiApi.stream(s.labels(), oldestFirst));
        }
        String key = scope + "\u0000" + delayNanos + "\u0000" + queryText;
        Feed feed = feeds.computeIfAbsent(key, k -> new Feed(query, scope, delayNanos, to));
        // what the backfill sent, the feed does not send again
        for (LogqlEngine.Stream s : backfill.streams()) {
          for (LogqlEngine.Entry e : s.entries()) {
            feed.sent.putIfAbsent(key(s, e), e.timestampNanos());
          }
        }
        if (!streams.isEmpty()) {
          send(client, streams);
        }
        feed.clients.add(client);
        socket.closeHandler(closed -> leave(key, client));
      } catch (RuntimeException e) {
        LOG.warn("live tail of {} failed: {}", queryText, e.getMessage());
        socket.close((short) 1011, reason(e.getMessage()));
      }
    });
  }

  private void leave(String key, Client client) {
    Feed feed = feeds.get(key);
    if (feed != null) {
      feed.clients.remove(client);
      feeds.computeIfPresent(key, (k, f) -> f.clients.isEmpty() ? null : f);
    }
  }

  private void pollAll() {
    for (Iterator<Feed> it = feeds.values().iterator(); it.hasNext();) {
      Feed feed = it.next();
      try {
        feed.poll();
        feed.failingSinceMillis = 0;
      } catch (StoreLogSource.LogStoreUnavailableException e) {
        // a store that does not answer for a while (a new index's shards starting, a node restarting) is waited
        // out: the next poll reads from the same cursor, so no line is missed
        long now = clock.millis();
        if (feed.failingSinceMillis == 0) {
          feed.failingSinceMillis = now;
          LOG.warn("live tail poll failed, retrying: {}", e.getMessage());
        } else if (now - feed.failingSinceMillis > STORE_PATIENCE_MILLIS) {
          LOG.warn("live tail gives up after {} ms without the store: {}", now - feed.failingSinceMillis,
              e.getMessage());
          feed.clients.forEach(c -> c.socket.close((short) 1011, reason("log store unavailable")));
          it.remove();
        }
      } catch (RuntimeException e) {
        LOG.warn("live tail poll failed: {}", e.getMessage());
        feed.clients.forEach(c -> c.socket.close((short) 1011, reason(e.getMessage())));
        it.remove();
      }
    }
  }

  /** What tells one sent line from another: its time, stream and text. */
  private static String key(LogqlEngine.Stream stream, LogqlEngine.Entry entry) {
    return entry.timestampNanos() + "\u0000" + stream.labels() + "\u0000" + entry.line();
  }

  /** Sends a batch, or counts it as dropped while the client cannot keep up. */
  private static void send(Client client, JsonArray streams) {
    if (client.socket.isClosed()) {
      return;
    }
    if (client.socket.writeQueueFull()) {
      for (Object o : streams) {
        JsonObject stream = (JsonObject) o;
        for (Object v : stream.getJsonArray("values")) {
          client.dropped.add(new JsonObject().put("labels", stream.getJsonObject("stream"))
              .put("timestamp", ((JsonArray) v).getString(0)));
        }
      }
      return;
    }
    JsonObject message = new JsonObject().put("streams", streams);
    if (!client.dropped.isEmpty()) {
      message.put("dropped_entries", client.dropped.copy());
      client.dropped.clear();
    }
    client.socket.writeTextMessage(message.encode());
  }

  /** A close frame's reason may hold 123 bytes. */
  static String reason(String message) {
    String m = message == null ? "error" : message;
    byte[] bytes = m.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return bytes.length <= 123 ? m : new String(bytes, 0, 120, java.nio.charset.StandardCharsets.UTF_8) + "...";
  }

  @Override
  public void close() {
    poller.shutdownNow();
    feeds.values().forEach(f -> f.clients.forEach(c -> c.socket.close()));
    feeds.clear();
  }
}
