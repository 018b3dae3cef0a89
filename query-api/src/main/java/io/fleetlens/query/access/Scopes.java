package io.fleetlens.query.access;

import java.util.List;

import io.fleetlens.access.Identity;
import io.fleetlens.core.access.Scope;
import io.vertx.ext.web.RoutingContext;

/** The part of the fleet a request may see: its token's tenants, or everything when access control is off. */
public final class Scopes {

  private Scopes() {
  }

  public static Scope of(RoutingContext ctx) {
    Identity identity = ctx.get(AccessGuard.IDENTITY);
    if (identity == null) {
      return Scope.ALL;
    }
    List<Scope.Part> parts = identity.tenants().stream()
        .map(t -> new Scope.Part(t.clusters(), t.namespaces())).toList();
    return new Scope(parts);
  }
}
