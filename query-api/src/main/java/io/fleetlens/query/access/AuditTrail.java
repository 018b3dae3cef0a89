package io.fleetlens.query.access;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.access.AccessStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts every accepted change of price sheets, clusters, receivers and routes in the audit log: who
 * (the token's name), what ({@code pricing.put}, {@code alerting.delete}...) and which path. Bodies
 * are not recorded (a receiver's carries its secret). Tokens and rule groups record their own,
 * richer events.
 */
public final class AuditTrail implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private static final List<String> AUDITED = List.of("/api/v1/pricing/", "/api/v1/alerting/");

  private final AccessStore audit;

  public AuditTrail(AccessStore audit) {
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    String path = ctx.normalizedPath();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD && AUDITED.stream().anyMatch(path::startsWith)) {
      ctx.addEndHandler(done -> {
        int status = ctx.response().getStatusCode();
        if (status >= 200 && status < 300) {
          String area = path.substring("/api/v1/".length(), path.indexOf('/', "/api/v1/".length()));
          String actor = AccessGuard.actor(ctx);
          ctx.vertx().executeBlocking(() -> {
            audit.record(actor, area + "." + method.name().toLowerCase(Locale.ROOT), path, "status " + status);
            return null;
          }, false).onFailure(e -> LOG.warn("could not audit {} {} by {}: {}", method, path, actor, e.toString()));
        }
      });
    }
    ctx.next();
  }
}
