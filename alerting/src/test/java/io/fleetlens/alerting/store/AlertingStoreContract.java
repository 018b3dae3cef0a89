package io.fleetlens.alerting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fleetlens.core.access.Scope;
import io.fleetlens.alerting.evaluation.ActiveAlert;
import io.fleetlens.alerting.evaluation.AlertState;
import io.fleetlens.alerting.evaluation.GroupState;
import io.fleetlens.alerting.evaluation.RuleHealth;
import io.fleetlens.alerting.notify.AggregationGroup;
import io.fleetlens.alerting.notify.Dispatcher;
import io.fleetlens.alerting.notify.Notification;
import io.fleetlens.alerting.notify.Receiver;
import io.fleetlens.alerting.notify.Route;

/** What every database under alerting must do; H2 and PostgreSQL each run it. */
abstract class AlertingStoreContract {

  private AlertingStore store;

  /** A JDBC URL, user and password of a new, empty database. */
  abstract String[] newDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    String[] db = newDatabase();
    store = AlertingStore.open(db[0], db[1], db[2]);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void groupsAreCreatedReplacedAndDeletedWithTheirState() {
    Scope teamA = new Scope(List.of(new Scope.Part("a-.*", "shop|pay")));
    assertThat(store.saveGroup("api", "name: api\n", teamA, 1)).isFalse();
    assertThat(store.saveGroup("api", "name: api\ninterval: 1m\n", Scope.ALL, 2)).isTrue();
    assertThat(store.group("api")).hasValueSatisfying(g -> {
      assertThat(g.source()).isEqualTo("name: api\ninterval: 1m\n");
      assertThat(g.updatedAtMs()).isEqualTo(2);
      assertThat(g.owner()).as("replacing keeps the owner").isEqualTo(teamA);
    });
    ActiveAlert alert = new ActiveAlert(Map.of("alertname", "A"), Map.of("summary", "s"), AlertState.FIRING, 2.5, 10,
        20, 0, 0);
    GroupState state = new GroupState(30, Map.of("A{}", List.of(alert)),
        Map.of("A{}", new RuleHealth("ok", "", 30, 0.01)));
    store.saveState("api", state);
    store.saveState("api", state);
    assertThat(store.state("api")).isEqualTo(state);
    assertThat(store.deleteGroup("api")).isTrue();
    assertThat(store.deleteGroup("api")).isFalse();
    assertThat(store.states()).isEmpty();
  }

  @Test
  void receiversAndRoutesRoundTrip() {
    Receiver r = new Receiver("ops", Receiver.Kind.WEBHOOK, "http://hook", "s3cret", Map.of("X-Team", "ops"), 5000,
        new Scope(List.of(new Scope.Part("b-.*", ".*"))));
    assertThat(store.saveReceiver(r)).isFalse();
    assertThat(store.receiver("ops")).contains(r);
    Route second = store.saveRoute(new Route(null, 2, "ops", List.of("team=\"b\""), List.of("alertname"), 1, 2, 3,
        true, false, new Scope(List.of(new Scope.Part("b-.*", ".*")))));
    Route first = store.saveRoute(new Route(null, 1, "ops", List.of(), List.of("..."), 1, 2, 3, false, true, Scope.ALL));
    assertThat(store.routes()).containsExactly(first, second);
    assertThat(store.deleteRoute(first.id())).isTrue();
    assertThat(store.routes()).containsExactly(second);
    assertThat(store.deleteReceiver("ops")).isTrue();
  }

  @Test
  void aDecisionIsStoredWholeAndEachNotificationOnce() {
    AggregationGroup g = new AggregationGroup("g1", "ops", "{}:{}", Map.of("a", "b"), 1, 2, true, 2, 1, Set.of("f1"),
        Set.of());
    store.record(new Dispatcher.Decision(List.of(g), List.of(), List.of(new Notification("ops", "g1", "{}:{}", 1,
        "{}"))), 5);
    assertThat(store.aggregationGroups()).containsEntry("g1", g);
    assertThat(store.pending()).singleElement().satisfies(e -> {
      assertThat(e.sequence()).isEqualTo(1);
      assertThat(e.status()).isEqualTo(OutboxEntry.PENDING);
    });
    AggregationGroup later = new AggregationGroup("g1", "ops", "{}:{}", Map.of("a", "b"), 1, 9, true, 9, 1,
        Set.of("f1"), Set.of());
    try {
      store.record(new Dispatcher.Decision(List.of(later), List.of(), List.of(new Notification("ops", "g1", "{}:{}", 1,
          "{}"))), 9);
    } catch (RuntimeException expected) {
      // the same group and sequence twice: refused, and the group change with it
    }
    assertThat(store.pending()).hasSize(1);
    assertThat(store.aggregationGroups().get("g1").nextFlushAtMs()).isEqualTo(2);

    OutboxEntry e = store.pending().getFirst();
    store.retryLater(e, 1, 100, 503, "HTTP 503: busy");
    assertThat(store.pending().getFirst().nextAttemptAt()).isEqualTo(100);
    store.failed(store.pending().getFirst(), 2, 200, 400, "HTTP 400: bad");
    assertThat(store.pending()).isEmpty();
    assertThat(store.recentNotifications(10)).singleElement().satisfies(f -> {
      assertThat(f.status()).isEqualTo(OutboxEntry.FAILED);
      assertThat(f.lastStatus()).isEqualTo(400);
      assertThat(f.lastError()).isEqualTo("HTTP 400: bad");
      assertThat(f.attempts()).isEqualTo(2);
    });
    store.record(new Dispatcher.Decision(List.of(), List.of("g1"), List.of()), 10);
    assertThat(store.aggregationGroups()).isEmpty();
  }

  @Test
  void theLeaseHasOneHolderUntilItExpires() {
    assertThat(store.takeLease("eval", "a", 1000, 0)).isTrue();
    assertThat(store.takeLease("eval", "b", 1000, 500)).isFalse();
    assertThat(store.takeLease("eval", "a", 1000, 900)).as("renewed").isTrue();
    assertThat(store.takeLease("eval", "b", 1000, 1500)).isFalse();
    assertThat(store.takeLease("eval", "b", 1000, 1901)).as("expired").isTrue();
    store.releaseLease("eval", "b");
    assertThat(store.takeLease("eval", "a", 1000, 1902)).isTrue();
  }

  @Test
  void anotherTeamCannotReplaceAGroupAndADeletedGroupsStateStaysDeleted() {
    Scope teamA = new Scope(List.of(new Scope.Part("a-.*", ".*")));
    Scope teamB = new Scope(List.of(new Scope.Part("b-.*", ".*")));
    store.saveGroup("x", "name: x\n", teamA, 1);
    assertThatThrownBy(() -> store.saveGroup("x", "name: x\ninterval: 5m\n", teamB, 2))
        .isInstanceOf(AlertingStore.NotOwnerException.class);
    assertThat(store.group("x").orElseThrow().source()).isEqualTo("name: x\n");
    store.deleteGroup("x");
    store.saveState("x", new GroupState(30, Map.of(), Map.of())); // an evaluation that was running
    assertThat(store.states()).as("no orphan state for a later group x").isEmpty();
  }

  @Test
  void aDeletedReceiverTakesItsNotificationsAlong() {
    store.saveReceiver(new Receiver("oncall", Receiver.Kind.WEBHOOK, "http://a", null, Map.of(), 5000, Scope.ALL));
    store.record(new Dispatcher.Decision(List.of(new AggregationGroup("g1", "oncall", "{}:{}", Map.of(), 1, 2, true,
        2, 1, Set.of(), Set.of())), List.of(), List.of(new Notification("oncall", "g1", "{}:{}", 1, "{}"))), 5);
    assertThat(store.deleteReceiver("oncall")).isTrue();
    assertThat(store.pending()).isEmpty();
    assertThat(store.recentNotifications(10)).isEmpty();
    assertThat(store.aggregationGroups()).isEmpty();
  }
}
