package io.fleetlens.query.alerting;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.fleetlens.access.AccessStore;
import io.fleetlens.alerting.Alerting;
import io.fleetlens.alerting.rules.InvalidRuleException;
import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.alerting.rules.RuleGroupParser;
import io.fleetlens.alerting.store.AlertingStore;
import io.fleetlens.core.access.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetlens.query.access.AccessGuard;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.ApiException;
import io.fleetlens.query.http.BlockingCalls;

/**
 * Rule groups over HTTP, in Prometheus' rule-group YAML (or the same as JSON):
 * {@code /api/v1/rules/groups[/<name>]} to list, read, create, replace and delete, and
 * {@code /api/v1/rules/validate} to check a group or a whole rule file without storing it. A group
 * is checked whole before it is stored, so a bad group never replaces a good one. A group belongs
 * to the tenants of the token that created it: it runs as them, and other teams neither see it nor
 * change it (its name reads as taken).
 */
public final class RuleGroupsApi {

  private final AlertingStore store;
  private final RuleGroupParser parser;
  private final Alerting alerting;
  private final AccessStore audit;
  private final Clock clock;

  public RuleGroupsApi(AlertingStore store, RuleGroupParser parser, Alerting alerting, AccessStore audit, Clock clock) {
    this.store = store;
    this.parser = parser;
    this.alerting = alerting;
    this.audit = audit;
    this.clock = clock;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(1024 * 1024);
    String groups = "/api/v1/rules/groups";
    router.get(groups).handler(ctx -> BlockingCalls.json(ctx, () -> {
      JsonArray out = new JsonArray();
      Scope scope = Scopes.of(ctx);
      store.groups().stream().filter(g -> scope.covers(g.owner())).forEach(g -> out.add(describe(g)));
      return new JsonObject().put("groups", out);
    }));
    router.get(groups + "/:name").handler(ctx -> BlockingCalls.json(ctx, () -> describe(stored(ctx))));
    router.post(groups).handler(body).handler(ctx -> BlockingCalls.answer(ctx, () -> {
      RuleGroup group = parser.parseGroup(text(ctx));
      Scope scope = Scopes.of(ctx);
      Optional<AlertingStore.StoredGroup> existing = store.group(group.name());
      if (existing.isPresent()) {
        throw scope.covers(existing.get().owner())
            ? new ApiException(409, "conflict", "group \"" + group.name() + "\" exists; replace it with PUT " + groups
                + "/" + group.name())
            : taken(group.name());
      }
      save(group.name(), group.source(), scope);
      audit.record(AccessGuard.actor(ctx), "rules.create", "group " + group.name(), group.source());
      return describe(store.group(group.name()).orElseThrow());
    }, (c, json) -> c.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(json.encode())));
    router.put(groups + "/:name").handler(body).handler(ctx -> BlockingCalls.answer(ctx, () -> {
      String name = ctx.pathParam("name");
      RuleGroup group = parser.parseGroup(text(ctx));
      if (!group.name().equals(name)) {
        throw new InvalidRuleException(group.name(), null, "the group's name must be \"" + name + "\" as in the URL");
      }
      Scope scope = Scopes.of(ctx);
      if (store.group(name).filter(g -> !scope.covers(g.owner())).isPresent()) {
        throw taken(name);
      }
      boolean replaced = save(name, group.source(), scope);
      audit.record(AccessGuard.actor(ctx), replaced ? "rules.replace" : "rules.create", "group " + name,
          group.source());
      return new Object[] {replaced, describe(store.group(name).orElseThrow())};
    }, (c, r) -> c.response().setStatusCode((Boolean) r[0] ? 200 : 201).putHeader("Content-Type", "application/json")
        .end(((JsonObject) r[1]).encode())));
    router.delete(groups + "/:name").handler(ctx -> BlockingCalls.json(ctx, () -> {
      if (!store.deleteGroup(stored(ctx).name())) {
        throw ApiException.notFound("no rule group " + ctx.pathParam("name"));
      }
      audit.record(AccessGuard.actor(ctx), "rules.delete", "group " + ctx.pathParam("name"), "");
      return new JsonObject().put("deleted", ctx.pathParam("name"));
    }));
    router.post("/api/v1/rules/validate").handler(body).handler(ctx -> BlockingCalls.json(ctx, () -> {
      String text = text(ctx);
      List<RuleGroup> checked = text.lines().anyMatch(l -> l.startsWith("groups:")) ? parser.parseFile(text)
          : List.of(parser.parseGroup(text));
      JsonArray names = new JsonArray();
      checked.forEach(g -> names.add(new JsonObject().put("name", g.name()).put("rules", g.rules().size())));
      return new JsonObject().put("valid", true).put("groups", names);
    }));
  }

  /** Saves as {@code scope}; the store checks, in its transaction, that the caller may replace an existing group. */
  private boolean save(String name, String source, Scope scope) {
    try {
      return store.saveGroup(name, source, scope, clock.millis());
    } catch (AlertingStore.NotOwnerException e) {
      throw taken(name);
    }
  }

  private static ApiException taken(String name) {
    return new ApiException(409, "conflict", "the rule group name \"" + name + "\" is taken; choose another");
  }

  /** The group named in the path, if the caller may see it; 404 alike for one that is not there and one that is not theirs. */
  private AlertingStore.StoredGroup stored(RoutingContext ctx) {
    Scope scope = Scopes.of(ctx);
    return store.group(ctx.pathParam("name")).filter(g -> scope.covers(g.owner()))
        .orElseThrow(() -> ApiException.notFound("no rule group " + ctx.pathParam("name")));
  }

  private JsonObject describe(AlertingStore.StoredGroup g) {
    RuleGroup group = alerting.group(g);
    JsonObject out = new JsonObject().put("name", g.name()).put("source", g.source())
        .put("updatedAt", java.time.Instant.ofEpochMilli(g.updatedAtMs()).toString());
    if (group != null) {
      out.put("interval", group.intervalMs() / 1000.0).put("rules", group.rules().size());
    }
    return out;
  }

  private static String text(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new InvalidRuleException(null, null, "the body must hold a rule group (YAML or JSON)");
    }
    return text;
  }
}
