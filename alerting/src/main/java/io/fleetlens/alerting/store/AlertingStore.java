package io.fleetlens.alerting.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;

import io.fleetlens.alerting.evaluation.GroupState;
import io.fleetlens.core.access.Scope;
import io.fleetlens.database.Database;
import io.fleetlens.database.JsonColumns;
import io.fleetlens.alerting.notify.AggregationGroup;
import io.fleetlens.alerting.notify.Dispatcher;
import io.fleetlens.alerting.notify.Notification;
import io.fleetlens.alerting.notify.Receiver;
import io.fleetlens.alerting.notify.Route;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.transaction.TransactionOperations;

/**
 * Alerting's relational state, over Micronaut Data on PostgreSQL (H2 in PostgreSQL mode for a
 * single process): rule groups, their evaluation state, receivers and routes, the aggregation
 * groups with what each receiver was last told, the notification outbox and the evaluator's lease.
 * A dispatcher's decision (groups and notifications) is written in one transaction, so a crash
 * leaves either both or neither. Its Flyway history is its own table, beside pricing's.
 */
public final class AlertingStore implements AutoCloseable {

  /** Refused: the group of that name belongs to tenants the caller does not cover. */
  public static final class NotOwnerException extends RuntimeException {
    public NotOwnerException(String group) {
      super("the rule group name \"" + group + "\" is taken; choose another");
    }
  }

  /** A stored group: its name, source YAML, when it last changed and whose it is. */
  public record StoredGroup(String name, String source, long updatedAtMs, Scope owner) {
  }

  private final ApplicationContext context;
  private final TransactionOperations<Connection> tx;
  private final RuleGroupRepository groups;
  private final GroupStateRepository states;
  private final ReceiverRepository receivers;
  private final RouteRepository routes;
  private final NotificationGroupRepository notificationGroups;
  private final OutboxRepository outbox;
  private final LeaseRepository leases;
  private final LeaseSql leaseSql;

  @SuppressWarnings("unchecked")
  private AlertingStore(ApplicationContext context) {
    this.context = context;
    this.tx = context.getBean(TransactionOperations.class);
    this.groups = context.getBean(RuleGroupRepository.class);
    this.states = context.getBean(GroupStateRepository.class);
    this.receivers = context.getBean(ReceiverRepository.class);
    this.routes = context.getBean(RouteRepository.class);
    this.notificationGroups = context.getBean(NotificationGroupRepository.class);
    this.outbox = context.getBean(OutboxRepository.class);
    this.leases = context.getBean(LeaseRepository.class);
    this.leaseSql = context.getBean(LeaseSql.class);
  }

  public static AlertingStore open(String jdbcUrl, String user, String password) {
    ApplicationContext context = Database.open(jdbcUrl, user, password, "db/alerting", "flyway_alerting_history");
    return new AlertingStore(context);
  }

  // Rule groups

  public List<StoredGroup> groups() {
    List<StoredGroup> out = new ArrayList<>();
    groups.findAll().forEach(r -> out.add(groupOf(r)));
    out.sort(java.util.Comparator.comparing(StoredGroup::name));
    return out;
  }

  public Optional<StoredGroup> group(String name) {
    return groups.findById(name).map(AlertingStore::groupOf);
  }

  /**
   * Creates a group owned by {@code owner}, or replaces one's rules; a replaced group keeps its
   * owner, so an admin mending a team's group does not take it from the team. True when it
   * replaced one; NotOwnerException, checked in the same transaction, when {@code owner} does not
   * cover the existing group's owner.
   */
  public boolean saveGroup(String name, String source, Scope owner, long now) {
    return tx.executeWrite(status -> {
      Optional<RuleGroupRow> existing = groups.findById(name);
      if (existing.isPresent() && !owner.covers(JsonColumns.read(existing.get().owner(), Scope.class))) {
        throw new NotOwnerException(name);
      }
      if (existing.isPresent()) {
        groups.update(new RuleGroupRow(name, source, now, existing.get().owner()));
        return true;
      }
      groups.save(new RuleGroupRow(name, source, now, JsonColumns.write(owner)));
      return false;
    });
  }

  /** Deletes a group and its state; false when there was none. */
  public boolean deleteGroup(String name) {
    return tx.executeWrite(status -> {
      if (!groups.existsById(name)) {
        return false;
      }
      groups.deleteById(name);
      states.deleteById(name);
      return true;
    });
  }

  // Evaluation state

  public Map<String, GroupState> states() {
    Map<String, GroupState> out = new LinkedHashMap<>();
    states.findAll().forEach(r -> out.put(r.groupName(), JsonColumns.read(r.state(), GroupState.class)));
    return out;
  }

  public GroupState state(String group) {
    return states.findById(group).map(r -> JsonColumns.read(r.state(), GroupState.class)).orElse(GroupState.NEW);
  }

  /** Stores a group's state, unless the group was deleted meanwhile (its state must not come back under a new owner). */
  public void saveState(String group, GroupState state) {
    GroupStateRow row = new GroupStateRow(group, JsonColumns.write(state), state.evaluatedAtMs());
    tx.executeWrite(status -> {
      if (!groups.existsById(group)) {
        return null;
      }
      return states.existsById(group) ? states.update(row) : states.save(row);
    });
  }

  // Receivers and routes

  public List<Receiver> receivers() {
    List<Receiver> out = new ArrayList<>();
    receivers.findAll().forEach(r -> out.add(receiverOf(r)));
    out.sort(java.util.Comparator.comparing(Receiver::name));
    return out;
  }

  public Optional<Receiver> receiver(String name) {
    return receivers.findById(name).map(AlertingStore::receiverOf);
  }

  public boolean saveReceiver(Receiver r) {
    ReceiverRow row = new ReceiverRow(r.name(), r.kind().wire(), r.url(), r.secret(), JsonColumns.write(r.headers()),
        r.timeoutMs(), JsonColumns.write(r.owner()));
    return tx.executeWrite(status -> {
      if (receivers.existsById(r.name())) {
        receivers.update(row);
        return true;
      }
      receivers.save(row);
      return false;
    });
  }

  /**
   * Deletes a receiver with its notifications and what it was told: a receiver made later under the
   * same name, by anyone, starts with nothing of this one's.
   */
  public boolean deleteReceiver(String name) {
    return tx.executeWrite(status -> {
      if (!receivers.existsById(name)) {
        return false;
      }
      receivers.deleteById(name);
      outbox.deleteByReceiverName(name);
      notificationGroups.deleteByReceiverName(name);
      return true;
    });
  }

  public List<Route> routes() {
    List<Route> out = new ArrayList<>();
    routes.findAll(Sort.of(Sort.Order.asc("position"), Sort.Order.asc("id"))).forEach(r -> out.add(routeOf(r)));
    return out;
  }

  public Optional<Route> route(long id) {
    return routes.findById(id).map(AlertingStore::routeOf);
  }

  public Route saveRoute(Route route) {
    RouteRow row = new RouteRow(route.id(), route.position(), route.receiver(), JsonColumns.write(route.matchers()),
        JsonColumns.write(route.groupBy()), route.groupWaitMs(), route.groupIntervalMs(), route.repeatIntervalMs(),
        route.sendResolved(), route.continueMatching(), JsonColumns.write(route.owner()));
    return routeOf(route.id() == null ? routes.save(row) : routes.update(row));
  }

  public boolean deleteRoute(long id) {
    return tx.executeWrite(status -> {
      if (!routes.existsById(id)) {
        return false;
      }
      routes.deleteById(id);
      return true;
    });
  }

  // Dispatching

  public Map<String, AggregationGroup> aggregationGroups() {
    Map<String, AggregationGroup> out = new LinkedHashMap<>();
    notificationGroups.findAll().forEach(r -> out.put(r.id(), new AggregationGroup(r.id(), r.receiver(), r.groupKey(),
        JsonColumns.read(r.groupLabels(), new TypeReference<Map<String, String>>() { }), r.createdAt(), r.nextFlushAt(),
        r.notified(), r.lastNotifiedAt(), r.sequence(), JsonColumns.read(r.firingSent(), new TypeReference<Set<String>>() { }),
        JsonColumns.read(r.resolvedSent(), new TypeReference<Set<String>>() { }))));
    return out;
  }

  /** Stores a dispatcher's decision: the groups as they now are, and the notifications it decided, together. */
  public void record(Dispatcher.Decision decision, long now) {
    tx.executeWrite(status -> {
      for (AggregationGroup g : decision.groups()) {
        NotificationGroupRow row = new NotificationGroupRow(g.id(), g.receiver(), g.groupKey(), JsonColumns.write(g.groupLabels()),
            g.createdAtMs(), g.nextFlushAtMs(), g.notified(), g.lastNotifiedAtMs(), g.sequence(),
            JsonColumns.write(g.firingSent()), JsonColumns.write(g.resolvedSent()));
        if (notificationGroups.existsById(g.id())) {
          notificationGroups.update(row);
        } else {
          notificationGroups.save(row);
        }
      }
      decision.forgotten().forEach(notificationGroups::deleteById);
      for (Notification n : decision.notifications()) {
        outbox.save(new OutboxEntry(null, n.receiver(), n.groupKey(), n.groupId(), n.sequence(), n.payload(),
            OutboxEntry.PENDING, 0, now, now, null, null, null));
      }
      return null;
    });
  }

  // The outbox

  public List<OutboxEntry> pending() {
    return outbox.findByStatusOrderByIdAsc(OutboxEntry.PENDING);
  }

  public List<OutboxEntry> recentNotifications(int limit) {
    return outbox.newestFirst(Pageable.from(0, limit));
  }

  public void delivered(OutboxEntry e, int attempts, long at, int status) {
    outbox.update(e.finished(OutboxEntry.DELIVERED, attempts, at, status, null));
  }

  public void failed(OutboxEntry e, int attempts, long at, Integer status, String error) {
    outbox.update(e.finished(OutboxEntry.FAILED, attempts, at, status, error));
  }

  public void retryLater(OutboxEntry e, int attempts, long at, Integer status, String error) {
    outbox.update(e.retryAt(attempts, at, status, error));
  }

  /** Removes delivered and failed notifications finished before {@code before}; pending ones stay. */
  public int pruneNotifications(long before) {
    return outbox.deleteFinishedBefore(before);
  }

  // The evaluator's lease

  /** Takes or renews the lease {@code name} for {@code holder} until {@code now + ttlMs}; false when another holds it. */
  public boolean takeLease(String name, String holder, long ttlMs, long now) {
    if (leaseSql.take(name, holder, now + ttlMs, now) == 1) {
      return true;
    }
    if (leases.existsById(name)) {
      return false;
    }
    try {
      leases.save(new LeaseRow(name, holder, now + ttlMs));
      return true;
    } catch (RuntimeException raced) {
      return false;
    }
  }

  /** Gives the lease up, so another replica takes over at once instead of after its expiry. */
  public void releaseLease(String name, String holder) {
    leases.findById(name).filter(l -> l.holder().equals(holder)).ifPresent(l -> leases.delete(l));
  }

  private static Receiver receiverOf(ReceiverRow r) {
    return new Receiver(r.name(), Receiver.Kind.valueOf(r.kind().toUpperCase(java.util.Locale.ROOT)), r.url(),
        r.secret(), JsonColumns.read(r.headers(), new TypeReference<Map<String, String>>() { }), r.timeoutMs(),
        JsonColumns.read(r.owner(), Scope.class));
  }

  private static StoredGroup groupOf(RuleGroupRow r) {
    return new StoredGroup(r.name(), r.source(), r.updatedAt(), JsonColumns.read(r.owner(), Scope.class));
  }

  private static Route routeOf(RouteRow r) {
    return new Route(r.id(), r.position(), r.receiver(), JsonColumns.read(r.matchers(), new TypeReference<List<String>>() { }),
        JsonColumns.read(r.groupBy(), new TypeReference<List<String>>() { }), r.groupWaitMs(), r.groupIntervalMs(),
        r.repeatIntervalMs(), r.sendResolved(), r.continueMatching(), JsonColumns.read(r.owner(), Scope.class));
  }

  @Override
  public void close() {
    context.close();
  }
}
