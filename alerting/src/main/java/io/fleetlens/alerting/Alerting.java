package io.fleetlens.alerting;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.alerting.evaluation.GroupEvaluator;
import io.fleetlens.alerting.evaluation.GroupState;
import io.fleetlens.alerting.notify.Delivery;
import io.fleetlens.alerting.notify.Dispatcher;
import io.fleetlens.alerting.notify.Notifiable;
import io.fleetlens.alerting.notify.Payloads;
import io.fleetlens.alerting.notify.Receiver;
import io.fleetlens.alerting.notify.RetryPolicy;
import io.fleetlens.alerting.rules.AlertingRule;
import io.fleetlens.alerting.rules.LogAlertRule;
import io.fleetlens.alerting.rules.Rule;
import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.alerting.rules.RuleGroupParser;
import io.fleetlens.alerting.store.AlertingStore;
import io.fleetlens.alerting.store.OutboxEntry;
import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.SampleSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs alerting: on every tick, the replica holding the lease evaluates the groups that are due,
 * writes their series, stores their state, decides the notifications and stores them, then sends
 * what the outbox holds. Each step reads its input from the database, so a restart or another
 * replica taking the lease carries on where the last one stopped: alerts keep their state, and a
 * notification decided before a crash is sent after it, once.
 */
public final class Alerting implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Alerting.class);
  private static final String LEASE = "rule-evaluator";

  /** How alerting runs; see query-api/README.md for the configuration keys. */
  public record Settings(
      long tickMs,
      long leaseMs,
      String instance,
      long resolvedRetentionMs,
      boolean deliveryPaused,
      RetryPolicy retry,
      Map<String, String> externalLabels,
      String externalUrl) {
  }

  private final AlertingStore store;
  private final RuleGroupParser parser;
  private final GroupEvaluator evaluator;
  private final SampleSink output;
  private final Dispatcher dispatcher;
  private final Payloads payloads;
  private final Delivery delivery = new Delivery();
  private final Settings settings;
  private final Clock clock;
  private final Map<String, RuleGroup> parsed = new ConcurrentHashMap<>();
  private final Counter evaluated;
  private final Counter evaluationFailures;
  private final MeterRegistry registry;
  private volatile boolean leader;
  private ScheduledExecutorService ticker;

  public Alerting(AlertingStore store, RuleGroupParser parser, GroupEvaluator evaluator, SampleSink output,
      Settings settings, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.parser = parser;
    this.evaluator = evaluator;
    this.output = output;
    this.settings = settings;
    this.clock = clock;
    this.registry = registry;
    this.payloads = new Payloads(settings.externalUrl(), settings.externalLabels());
    this.dispatcher = new Dispatcher(payloads);
    this.evaluated = Counter.builder("fleetlens_alerting_rule_group_evaluations_total").tag("result", "ok")
        .register(registry);
    this.evaluationFailures = Counter.builder("fleetlens_alerting_rule_group_evaluations_total").tag("result", "failed")
        .register(registry);
    registry.gauge("fleetlens_alerting_leader", this, a -> a.leader ? 1 : 0);
  }

  /** Starts ticking on a thread of its own. */
  public void start() {
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fleetlens-alerting");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::tickSafely, 0, settings.tickMs(), TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("alerting tick failed, trying again in {} ms: {}", settings.tickMs(), e.toString());
    }
  }

  /** One round: take or renew the lease; if held, evaluate what is due, dispatch, deliver. */
  public void tick() {
    long now = clock.millis();
    leader = store.takeLease(LEASE, settings.instance(), settings.leaseMs(), now);
    if (!leader) {
      return;
    }
    Map<String, GroupState> states = store.states();
    for (AlertingStore.StoredGroup stored : store.groups()) {
      RuleGroup group = group(stored);
      if (group == null) {
        continue;
      }
      GroupState state = states.getOrDefault(group.name(), GroupState.NEW);
      if (now - state.evaluatedAtMs() >= group.intervalMs()) {
        evaluate(group, stored.owner(), state, now);
      }
    }
    dispatch(now);
    if (!settings.deliveryPaused()) {
      deliver(now);
    }
  }

  public boolean isLeader() {
    return leader;
  }

  /** The group as stored, parsed (and cached by its text); null when it no longer parses. */
  public RuleGroup group(AlertingStore.StoredGroup stored) {
    try {
      return parsed.computeIfAbsent(stored.source(), parser::parseGroup);
    } catch (RuntimeException e) {
      LOG.error("stored rule group {} no longer loads: {}", stored.name(), e.getMessage());
      return null;
    }
  }

  /** Evaluates one group at {@code t}, writes its series and stores its state. */
  public GroupState evaluate(RuleGroup group, Scope owner, GroupState previous, long t) {
    GroupEvaluator.Outcome outcome = evaluator.evaluate(group, owner, previous, t, output);
    boolean failed = outcome.state().health().values().stream().anyMatch(h -> h.health().equals("err"));
    (failed ? evaluationFailures : evaluated).increment();
    store.saveState(group.name(), outcome.state());
    return outcome.state();
  }

  /** Evaluates the stored group {@code name} at {@code t}, whether due or not (tests step time with it). */
  public GroupState evaluate(String name, long t) {
    AlertingStore.StoredGroup stored = store.group(name).orElseThrow();
    return evaluate(group(stored), stored.owner(), store.state(name), t);
  }

  /** Decides the notifications due at {@code now} and stores them with the groups' new state. */
  public Dispatcher.Decision dispatch(long now) {
    List<Notifiable> alerts = new ArrayList<>();
    Map<String, GroupState> states = store.states();
    for (AlertingStore.StoredGroup stored : store.groups()) {
      RuleGroup group = group(stored);
      GroupState state = states.get(stored.name());
      if (group == null || state == null) {
        continue;
      }
      for (Rule rule : group.rules()) {
        String link = generatorUrl(rule);
        state.alertsOf(rule).forEach(a -> alerts.add(new Notifiable(a, link, stored.owner())));
      }
    }
    Map<String, Receiver> receivers = new HashMap<>();
    store.receivers().forEach(r -> receivers.put(r.name(), r));
    Dispatcher.Decision decision = dispatcher.decide(now, alerts, store.routes(), receivers,
        store.aggregationGroups());
    store.record(decision, now);
    return decision;
  }

  private String generatorUrl(Rule rule) {
    return switch (rule) {
      case AlertingRule a -> payloads.generatorUrl(a.expr());
      case LogAlertRule l -> settings.externalUrl() + "/api/v1/logs?" + l.query();
      default -> "";
    };
  }

  /**
   * Sends the pending notifications that are due, each group's in sequence order: a later
   * notification of a group waits until the earlier one is delivered or has failed for good.
   */
  public void deliver(long now) {
    Map<String, Receiver> receivers = new HashMap<>();
    store.receivers().forEach(r -> receivers.put(r.name(), r));
    java.util.Set<String> blocked = new java.util.HashSet<>();
    for (OutboxEntry e : store.pending()) {
      if (!blocked.add(e.groupId()) || e.nextAttemptAt() > now) {
        continue;
      }
      Receiver receiver = receivers.get(e.receiver());
      int attempts = e.attempts() + 1;
      if (receiver == null) {
        store.failed(e, attempts, now, null, "receiver " + e.receiver() + " no longer exists");
        continue;
      }
      Delivery.Result result = delivery.send(receiver, e.groupId() + "-" + e.sequence(), e.payload());
      long at = now;
      Counter.builder("fleetlens_alerting_notifications_total").tag("receiver", e.receiver())
          .tag("result", result.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
      switch (result.outcome()) {
        case DELIVERED -> store.delivered(e, attempts, at, result.status());
        case REFUSED -> {
          LOG.warn("receiver {} refused notification {} of {}: {}", e.receiver(), e.sequence(), e.groupKey(),
              result.error());
          store.failed(e, attempts, at, result.status() == 0 ? null : result.status(), result.error());
        }
        case RETRY -> {
          if (attempts >= settings.retry().maxAttempts()) {
            store.failed(e, attempts, at, result.status() == 0 ? null : result.status(),
                "gave up after " + attempts + " attempts: " + result.error());
          } else {
            store.retryLater(e, attempts, at + settings.retry().delayAfter(attempts),
                result.status() == 0 ? null : result.status(), result.error());
          }
        }
      }
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (leader) {
      try {
        store.releaseLease(LEASE, settings.instance());
      } catch (RuntimeException e) {
        LOG.debug("could not release the lease", e);
      }
    }
  }
}
