package io.fleetlens.alerting.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.fleetlens.alerting.evaluation.AlertState;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.Parser;

/**
 * Decides which notifications are due, as Alertmanager's dispatcher and deduplication do: each
 * firing or resolved alert goes to its routes' aggregation groups; a group is flushed
 * {@code groupWait} after it appeared and then every {@code groupInterval}; a flush notifies when a
 * firing alert is new to the receiver, when every alert it was told of has resolved, when (with
 * {@code sendResolved}) an alert it was told of has resolved, or when {@code repeatInterval} has
 * passed. An alert goes only to routes and receivers whose owners cover its rule group's owner.
 * Pure: the caller stores the groups and the notifications in one transaction, before any
 * is sent.
 */
public final class Dispatcher {

  /** What one pass decided: groups to store, groups to forget, notifications to send. */
  public record Decision(List<AggregationGroup> groups, List<String> forgotten, List<Notification> notifications) {
  }

  /** Prometheus' resend delay: an Alertmanager is told of a firing alert again after this long. */
  public static final long ALERTMANAGER_RESEND_MS = 60_000;

  private final Payloads payloads;

  public Dispatcher(Payloads payloads) {
    this.payloads = payloads;
  }

  public Decision decide(long now, List<Notifiable> alerts, List<Route> routes, Map<String, Receiver> receivers,
      Map<String, AggregationGroup> previous) {
    Map<String, List<Notifiable>> members = new LinkedHashMap<>();
    Map<String, Route> routeOf = new HashMap<>();
    Map<String, AggregationGroup> groups = new LinkedHashMap<>();
    Map<Route, List<LabelMatcher>> parsed = new HashMap<>();
    routes.forEach(r -> parsed.put(r, matchers(r)));
    for (Notifiable n : alerts) {
      if (n.alert().state() == AlertState.PENDING) {
        continue;
      }
      for (Route route : routes) {
        Receiver receiver = receivers.get(route.receiver());
        if (receiver == null || !route.owner().covers(n.owner()) || !receiver.owner().covers(n.owner())
            || !route.matches(n.alert().labels(), parsed.get(route))) {
          continue;
        }
        Map<String, String> groupLabels = groupLabels(route, receiver, n.alert().labels());
        String groupKey = routeKey(route) + ":" + labelSet(groupLabels);
        String id = id(receiver.name(), groupKey);
        members.computeIfAbsent(id, k -> new ArrayList<>()).add(n);
        routeOf.put(id, route);
        groups.computeIfAbsent(id, k -> previous.getOrDefault(id, new AggregationGroup(id, receiver.name(), groupKey,
            groupLabels, now, now + wait(route, receiver), false, 0, 0, Set.of(), Set.of())));
        if (!route.continueMatching()) {
          break;
        }
      }
    }
    List<AggregationGroup> stored = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    for (Map.Entry<String, AggregationGroup> e : groups.entrySet()) {
      AggregationGroup group = e.getValue();
      if (now < group.nextFlushAtMs()) {
        stored.add(group);
        continue;
      }
      Route route = routeOf.get(e.getKey());
      Receiver receiver = receivers.get(route.receiver());
      AggregationGroup after = flush(now, group, route, receiver, members.get(e.getKey()), notifications);
      stored.add(after);
    }
    List<String> forgotten = previous.keySet().stream().filter(id -> !groups.containsKey(id)).toList();
    return new Decision(stored, forgotten, notifications);
  }

  private AggregationGroup flush(long now, AggregationGroup group, Route route, Receiver receiver,
      List<Notifiable> alerts, List<Notification> out) {
    boolean alertmanager = receiver.kind() == Receiver.Kind.ALERTMANAGER;
    boolean sendResolved = alertmanager || route.sendResolved();
    long repeat = alertmanager ? ALERTMANAGER_RESEND_MS : route.repeatIntervalMs();
    long interval = alertmanager ? 0 : route.groupIntervalMs();
    Set<String> firing = fingerprints(alerts, AlertState.FIRING);
    Set<String> resolved = fingerprints(alerts, AlertState.INACTIVE);
    if (!needsUpdate(group, firing, resolved, sendResolved, repeat, now)) {
      return group.flushed(now + interval);
    }
    List<Notifiable> sent = alerts.stream()
        .filter(n -> sendResolved || n.alert().state() == AlertState.FIRING)
        .filter(n -> n.alert().state() == AlertState.FIRING || !group.resolvedSent().contains(n.alert().fingerprint())
            || !alertmanager)
        .sorted(java.util.Comparator.comparing(n -> n.alert().labels().toString()))
        .toList();
    boolean send = !sent.isEmpty();
    AggregationGroup after = group.notifiedAt(now, now + interval, firing, resolved, send);
    if (send) {
      String body = alertmanager ? payloads.alertmanager(sent, now)
          : payloads.webhook(receiver.name(), group.groupKey(), group.groupLabels(), sent);
      out.add(new Notification(receiver.name(), group.id(), group.groupKey(), after.sequence(), body));
    }
    return after;
  }

  /** Alertmanager's rule for whether a flush tells the receiver anything new. */
  static boolean needsUpdate(AggregationGroup g, Set<String> firing, Set<String> resolved, boolean sendResolved,
      long repeatMs, long now) {
    if (!g.notified()) {
      return !firing.isEmpty();
    }
    if (!g.firingSent().containsAll(firing)) {
      return true;
    }
    if (firing.isEmpty()) {
      return !g.firingSent().isEmpty();
    }
    if (sendResolved && !g.resolvedSent().containsAll(resolved)) {
      return true;
    }
    return g.lastNotifiedAtMs() <= now - repeatMs;
  }

  private static Set<String> fingerprints(List<Notifiable> alerts, AlertState state) {
    return alerts.stream().filter(n -> n.alert().state() == state).map(n -> n.alert().fingerprint())
        .collect(Collectors.toSet());
  }

  private static long wait(Route route, Receiver receiver) {
    return receiver.kind() == Receiver.Kind.ALERTMANAGER ? 0 : route.groupWaitMs();
  }

  private static Map<String, String> groupLabels(Route route, Receiver receiver, Map<String, String> labels) {
    if (receiver.kind() == Receiver.Kind.ALERTMANAGER) {
      return Map.of();
    }
    if (route.groupsByAll()) {
      return new TreeMap<>(labels);
    }
    Map<String, String> out = new TreeMap<>();
    for (String name : route.groupBy()) {
      String v = labels.get(name);
      if (v != null && !v.isEmpty()) {
        out.put(name, v);
      }
    }
    return out;
  }

  /** Alertmanager's route key: {@code {}/{severity="page"}} for a route under the root. */
  static String routeKey(Route route) {
    return "{}/{" + String.join(",", route.matchers()) + "}";
  }

  /** A label set as Alertmanager prints one: {@code {alertname="X", cluster="east"}}. */
  public static String labelSet(Map<String, String> labels) {
    return new TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /** A route's matchers ({@code severity="page"}, {@code team=~"a|b"}), parsed; a bad one is an IllegalArgumentException. */
  public static List<LabelMatcher> matchers(Route route) {
    return parseMatchers(route.matchers());
  }

  public static List<LabelMatcher> parseMatchers(List<String> matchers) {
    List<LabelMatcher> out = new ArrayList<>();
    for (String m : matchers) {
      try {
        if (Parser.parse("{" + m + "}") instanceof Expr.VectorSelector s && s.matchers().size() == 1) {
          out.addAll(s.matchers());
          continue;
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("matcher " + m + ": " + e.getMessage(), e);
      }
      throw new IllegalArgumentException("matcher " + m + ": want one matcher such as severity=\"page\"");
    }
    return out;
  }

  static String id(String receiver, String groupKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((receiver + "\u0000" + groupKey).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
