package io.fleetlens.query.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.fleetlens.access.AccessStore;
import io.fleetlens.access.Identity;
import io.fleetlens.access.Role;
import io.fleetlens.access.Tenant;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetlens.query.http.ApiException;
import io.fleetlens.query.http.BlockingCalls;

/**
 * Tokens and the audit log for admins: {@code /api/v1/admin/tokens} (list, create: the secret is
 * in the answer and nowhere else; {@code DELETE /<id>} revokes) and {@code /api/v1/admin/audit}.
 */
public final class AccessApi {

  private final AccessStore store;

  public AccessApi(AccessStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/tokens").handler(ctx -> BlockingCalls.json(ctx, () -> {
      JsonArray out = new JsonArray();
      store.live().forEach(i -> out.add(describe(i)));
      return new JsonObject().put("tokens", out);
    }));
    router.post("/api/v1/admin/tokens").handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(ctx -> BlockingCalls.answer(ctx, () -> create(ctx), (c, json) -> c.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json").end(json.encode())));
    router.delete("/api/v1/admin/tokens/:id").handler(ctx -> BlockingCalls.json(ctx, () -> {
      long id;
      try {
        id = Long.parseLong(ctx.pathParam("id"));
      } catch (NumberFormatException e) {
        throw ApiException.notFound("no token " + ctx.pathParam("id"));
      }
      if (!store.revoke(id, AccessGuard.actor(ctx))) {
        throw ApiException.notFound("no live token " + id);
      }
      return new JsonObject().put("revoked", id);
    }));
    router.get("/api/v1/admin/audit").handler(ctx -> BlockingCalls.json(ctx, () -> {
      JsonArray out = new JsonArray();
      store.auditLog(500).forEach(e -> out.add(new JsonObject().put("at", Instant.ofEpochMilli(e.at()).toString())
          .put("actor", e.actor()).put("action", e.action()).put("target", e.target()).put("detail", e.detail())));
      return new JsonObject().put("events", out);
    }));
  }

  private JsonObject create(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException e) {
      throw ApiException.badRequest("body: not a JSON object");
    }
    if (body == null) {
      throw ApiException.badRequest("body: {\"name\": ..., \"roles\": [...], \"tenants\": [...]} is required");
    }
    try {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      body.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add(Role.of(String.valueOf(r))));
      List<Tenant> tenants = new ArrayList<>();
      for (Object t : body.getJsonArray("tenants", new JsonArray().add(new JsonObject()))) {
        JsonObject o = (JsonObject) t;
        tenants.add(new Tenant(o.getString("clusters", ".*"), o.getString("namespaces", ".*")));
      }
      AccessStore.IssuedToken issued = store.create(body.getString("name"), roles, tenants,
          body.getString("certificateSubject"), AccessGuard.actor(ctx));
      return new JsonObject().put("id", issued.id()).put("name", issued.name()).put("token", issued.secret());
    } catch (IllegalArgumentException | ClassCastException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static JsonObject describe(Identity i) {
    JsonArray roles = new JsonArray();
    i.roles().stream().map(Role::wire).sorted().forEach(roles::add);
    JsonArray tenants = new JsonArray();
    i.tenants().forEach(t -> tenants.add(new JsonObject().put("clusters", t.clusters()).put("namespaces",
        t.namespaces())));
    return new JsonObject().put("id", i.tokenId()).put("name", i.name()).put("roles", roles).put("tenants", tenants)
        .put("certificateSubject", i.certificateSubject());
  }
}
