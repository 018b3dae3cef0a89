package io.fleetlens.query.access;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

import io.fleetlens.access.AccessStore;
import io.fleetlens.access.Identity;
import io.fleetlens.access.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.fleetlens.query.http.ApiErrors;

/**
 * Lets an API request through only with a live bearer token holding the role its endpoint needs
 * (query-api/README.md, "Access"), or, without a bearer token, a verified client certificate
 * (mutual TLS) whose subject a live token names: 401 without either, 403 naming the missing role.
 * The identity is put on the request ({@link #IDENTITY}) for the handlers after it. Health,
 * readiness and metrics stay open.
 */
public final class AccessGuard implements Handler<RoutingContext> {

  public static final String IDENTITY = "fleetlens.identity";

  private final AccessStore store;

  public AccessGuard(AccessStore store) {
    this.store = store;
  }

  /** The role an endpoint needs; null for the open operational endpoints. */
  static Role roleFor(HttpMethod method, String path) {
    if (path.startsWith("/loki/")) {
      return Role.LOGS_READ; // Grafana's Loki data source: the same lines as /api/v1/logs
    }
    if (!path.startsWith("/api/")) {
      return null;
    }
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    if (path.startsWith("/api/v1/admin/")) {
      return Role.ADMIN;
    }
    if (path.startsWith("/api/v1/logs")) {
      return Role.LOGS_READ;
    }
    if (path.startsWith("/api/v1/pricing/")) {
      return read ? Role.COST_READ : Role.ADMIN;
    }
    if (path.startsWith("/api/v1/allocation") || path.startsWith("/api/v1/showback")
        || path.startsWith("/api/v1/recommendations")) {
      return Role.COST_READ;
    }
    if (path.startsWith("/api/v1/rules/") || path.startsWith("/api/v1/alerting/")) {
      return read ? Role.METRICS_READ : Role.RULES_WRITE;
    }
    return Role.METRICS_READ;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Role needed = roleFor(ctx.request().method(), ctx.normalizedPath()); // the path the router matches, not the raw one
    if (needed == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    Callable<Optional<Identity>> lookup;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String secret = header.substring(7).strip();
      lookup = () -> store.authenticate(secret);
    } else {
      String subject = certificateSubject(ctx);
      if (subject == null) {
        unauthorized(ctx, "a bearer token is required: Authorization: Bearer <token>");
        return;
      }
      lookup = () -> store.authenticateCertificate(subject);
    }
    ctx.request().pause(); // the body waits for the check; the route's BodyHandler resumes it
    ctx.vertx().executeBlocking(lookup, false).onComplete(result -> {
      if (result.failed()) {
        ctx.request().resume();
        ApiErrors.unavailable(ctx, "the token store does not answer");
        return;
      }
      Optional<Identity> identity = result.result();
      if (identity.isEmpty()) {
        ctx.request().resume();
        unauthorized(ctx, header == null ? "no live token stands for the client certificate "
            + certificateSubject(ctx) : "the token is unknown or revoked");
      } else if (!identity.get().has(needed)) {
        ctx.request().resume();
        ApiErrors.send(ctx, 403, new JsonObject().put("error", "forbidden").put("missingRole", needed.wire())
            .put("message", "token \"" + identity.get().name() + "\" lacks the role " + needed.wire() + " for "
                + ctx.request().method() + " " + ctx.normalizedPath()));
      } else {
        ctx.put(IDENTITY, identity.get());
        ctx.next();
      }
    });
  }

  /** The subject (RFC 2253) of the client certificate the TLS handshake verified; null without one. */
  private static String certificateSubject(RoutingContext ctx) {
    if (!ctx.request().isSSL()) {
      return null;
    }
    try {
      List<Certificate> chain = ctx.request().connection().peerCertificates();
      if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate client)) {
        return null;
      }
      return client.getSubjectX500Principal().getName(X500Principal.RFC2253);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Who made the request, for the audit log: the token's name, or {@code anonymous} when access control is off. */
  public static String actor(RoutingContext ctx) {
    Identity identity = ctx.get(IDENTITY);
    return identity == null ? "anonymous" : identity.name();
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"fleetlens\"");
    ApiErrors.send(ctx, 401, new JsonObject().put("error", "unauthorized").put("message", message));
  }
}
