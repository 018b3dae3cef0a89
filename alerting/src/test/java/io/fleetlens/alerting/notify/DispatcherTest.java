package io.fleetlens.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.alerting.evaluation.ActiveAlert;
import io.fleetlens.core.access.Scope;
import io.fleetlens.alerting.evaluation.AlertState;

/** Alertmanager's grouping and pacing, with group_wait 30s, group_interval 5m and repeat_interval 4h. */
class DispatcherTest {

  private static final long S = 1000;
  private static final long MIN = 60 * S;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dispatcher dispatcher = new Dispatcher(new Payloads("http://fleetlens:8080", Map.of("fleet", "prod")));
  private final Map<String, Receiver> receivers = Map.of("ops",
      new Receiver("ops", Receiver.Kind.WEBHOOK, "http://hook", null, Map.of(), 5000, Scope.ALL));
  private final Route route = new Route(1L, 0, "ops", List.of("severity=\"page\""), List.of("alertname", "cluster"),
      30 * S, 5 * MIN, 240 * MIN, true, false, Scope.ALL);
  private Map<String, AggregationGroup> groups = new HashMap<>();
  private final List<Notification> sent = new ArrayList<>();

  private static Notifiable alert(String cluster, AlertState state, long firedAt, long resolvedAt) {
    return new Notifiable(new ActiveAlert(Map.of("alertname", "Down", "cluster", cluster, "severity", "page"),
        Map.of("summary", cluster + " is down"), state, 1, firedAt, firedAt, resolvedAt, 0), "http://gen", Scope.ALL);
  }

  private List<Notification> at(long now, Notifiable... alerts) {
    Dispatcher.Decision d = dispatcher.decide(now, List.of(alerts), List.of(route), receivers, groups);
    Map<String, AggregationGroup> next = new HashMap<>();
    d.groups().forEach(g -> next.put(g.id(), g));
    groups = next;
    sent.addAll(d.notifications());
    return d.notifications();
  }

  @Test
  void firstNotificationAfterGroupWaitThenChangesAtGroupIntervalThenResolution() throws Exception {
    Notifiable firing = alert("east", AlertState.FIRING, 0, 0);
    assertThat(at(0, firing)).isEmpty();
    assertThat(at(29 * S, firing)).as("group_wait").isEmpty();
    List<Notification> first = at(30 * S, firing);
    assertThat(first).hasSize(1);
    JsonNode body = JSON.readTree(first.getFirst().payload());
    assertThat(body.get("version").asText()).isEqualTo("4");
    assertThat(body.get("status").asText()).isEqualTo("firing");
    assertThat(body.get("receiver").asText()).isEqualTo("ops");
    assertThat(body.get("groupKey").asText()).isEqualTo("{}/{severity=\"page\"}:{alertname=\"Down\", cluster=\"east\"}");
    assertThat(body.get("groupLabels").toString()).isEqualTo("{\"alertname\":\"Down\",\"cluster\":\"east\"}");
    assertThat(body.get("commonLabels").get("fleet").asText()).as("external labels").isEqualTo("prod");
    assertThat(body.get("truncatedAlerts").asInt()).isZero();
    JsonNode a = body.get("alerts").get(0);
    assertThat(a.get("status").asText()).isEqualTo("firing");
    assertThat(a.get("startsAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(a.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(a.get("fingerprint").asText()).hasSize(16);
    assertThat(a.get("generatorURL").asText()).isEqualTo("http://gen");
    assertThat(first.getFirst().sequence()).isEqualTo(1);

    assertThat(at(60 * S, firing)).as("nothing new").isEmpty();
    Notifiable resolved = alert("east", AlertState.INACTIVE, 0, 2 * MIN);
    assertThat(at(2 * MIN, resolved)).as("waits for group_interval").isEmpty();
    List<Notification> resolution = at(30 * S + 5 * MIN, resolved);
    assertThat(resolution).hasSize(1);
    JsonNode r = JSON.readTree(resolution.getFirst().payload());
    assertThat(r.get("status").asText()).isEqualTo("resolved");
    assertThat(r.get("alerts").get(0).get("endsAt").asText()).isEqualTo("1970-01-01T00:02:00Z");
    assertThat(resolution.getFirst().sequence()).isEqualTo(2);
    assertThat(at(30 * S + 10 * MIN, resolved)).as("told once").isEmpty();
  }

  @Test
  void alertsWithOtherGroupLabelsGoInOtherGroups() {
    at(0, alert("east", AlertState.FIRING, 0, 0), alert("west", AlertState.FIRING, 0, 0));
    assertThat(at(30 * S, alert("east", AlertState.FIRING, 0, 0), alert("west", AlertState.FIRING, 0, 0)))
        .hasSize(2).extracting(Notification::groupKey).allMatch(k -> k.startsWith("{}/{severity=\"page\"}:"));
  }

  @Test
  void unchangedGroupsAreRepeatedAfterRepeatInterval() {
    Notifiable firing = alert("east", AlertState.FIRING, 0, 0);
    at(0, firing);
    at(30 * S, firing);
    for (long t = 30 * S + 5 * MIN; t < 30 * S + 240 * MIN; t += 5 * MIN) {
      assertThat(at(t, firing)).isEmpty();
    }
    assertThat(at(30 * S + 240 * MIN, firing)).hasSize(1);
  }

  @Test
  void pendingAlertsAreNeverSentAndUnmatchedAlertsGoNowhere() {
    Notifiable pending = alert("east", AlertState.PENDING, 0, 0);
    Notifiable other = new Notifiable(new ActiveAlert(Map.of("alertname", "X", "severity", "info"), Map.of(),
        AlertState.FIRING, 1, 0, 0, 0, 0), "", Scope.ALL);
    at(0, pending, other);
    assertThat(at(MIN, pending, other)).isEmpty();
    assertThat(groups).isEmpty();
  }

  @Test
  void withoutSendResolvedAnAllResolvedGroupSendsNothingButForgetsTheFiring() {
    Route quiet = new Route(1L, 0, "ops", List.of(), List.of("alertname"), 0, MIN, 240 * MIN, false, false, Scope.ALL);
    Notifiable firing = alert("east", AlertState.FIRING, 0, 0);
    Notifiable resolved = alert("east", AlertState.INACTIVE, 0, MIN);
    assertThat(dispatch(quiet, 0, firing)).hasSize(1);
    assertThat(dispatch(quiet, MIN, resolved)).isEmpty();
    assertThat(dispatch(quiet, 2 * MIN, firing)).as("firing again is news").hasSize(1);
  }

  private List<Notification> dispatch(Route r, long now, Notifiable... alerts) {
    Dispatcher.Decision d = dispatcher.decide(now, List.of(alerts), List.of(r), receivers, groups);
    groups = new HashMap<>();
    d.groups().forEach(g -> groups.put(g.id(), g));
    return d.notifications();
  }

  @Test
  void anAlertmanagerGetsFiringAlertsEveryMinuteAndResolvedOnce() throws Exception {
    Map<String, Receiver> am = Map.of("am", new Receiver("am", Receiver.Kind.ALERTMANAGER, "http://am:9093", null,
        Map.of(), 5000, Scope.ALL));
    Route toAm = new Route(2L, 0, "am", List.of(), List.of(), 0, 0, 0, true, false, Scope.ALL);
    Notifiable firing = alert("east", AlertState.FIRING, 0, 0);
    List<Notification> n = new ArrayList<>();
    for (long t = 0; t <= 2 * MIN; t += 15 * S) {
      Dispatcher.Decision d = dispatcher.decide(t, List.of(firing), List.of(toAm), am, groups);
      groups = new HashMap<>();
      d.groups().forEach(g -> groups.put(g.id(), g));
      n.addAll(d.notifications());
    }
    assertThat(n).hasSize(3);
    JsonNode first = JSON.readTree(n.getFirst().payload());
    assertThat(first.isArray()).isTrue();
    assertThat(first.get(0).get("labels").get("alertname").asText()).isEqualTo("Down");
    assertThat(first.get(0).get("endsAt").asText()).isEqualTo("1970-01-01T00:04:00Z");
  }

  @Test
  void aTeamsRouteTakesOnlyAlertsOfGroupsTheTeamOwns() {
    Scope teamA = new Scope(List.of(new Scope.Part("a-.*", ".*")));
    Scope teamB = new Scope(List.of(new Scope.Part("b-.*", ".*")));
    Map<String, Receiver> both = Map.of(
        "a-pager", new Receiver("a-pager", Receiver.Kind.WEBHOOK, "http://a", null, Map.of(), 5000, teamA),
        "b-pager", new Receiver("b-pager", Receiver.Kind.WEBHOOK, "http://b", null, Map.of(), 5000, teamB));
    Route bTakesEverything = new Route(1L, 0, "b-pager", List.of(), List.of("alertname"), 0, MIN, MIN, true, true,
        teamB);
    Route aTakesEverything = new Route(2L, 1, "a-pager", List.of(), List.of("alertname"), 0, MIN, MIN, true, true,
        teamA);
    Notifiable ofTeamA = new Notifiable(new ActiveAlert(Map.of("alertname", "Down", "cluster", "a-prod"), Map.of(),
        AlertState.FIRING, 1, 0, 0, 0, 0), "", teamA);
    Dispatcher.Decision d = dispatcher.decide(0, List.of(ofTeamA), List.of(bTakesEverything, aTakesEverything), both,
        Map.of());
    assertThat(d.notifications()).extracting(Notification::receiver).containsExactly("a-pager");
    Route adminRoute = new Route(3L, 2, "b-pager", List.of(), List.of("alertname"), 0, MIN, MIN, true, true,
        Scope.ALL);
    assertThat(dispatcher.decide(0, List.of(ofTeamA), List.of(adminRoute), both, Map.of()).notifications())
        .as("an admin's route cannot send team A's alert to team B's receiver either").isEmpty();
  }
}
