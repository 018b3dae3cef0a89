package io.fleetlens.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * An app's HTTP side: its Vert.x instance, its router with the operational endpoints mounted, and
 * the listening server. Apps add their own routes to {@link #router()} before {@link #listen}.
 */
public final class AppHttpServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Router router = Router.router(vertx);
  private HttpEndpoint endpoint;

  public AppHttpServer(Readiness readiness, PrometheusMeterRegistry registry) {
    AdminRoutes.mount(router, readiness, registry);
  }

  public Router router() {
    return router;
  }

  public AppHttpServer listen(String host, int port) {
    return listen(host, port, Tls.OFF);
  }

  public AppHttpServer listen(String host, int port, Tls tls) {
    endpoint = HttpEndpoint.start(vertx, router, host, port, tls);
    return this;
  }

  public int port() {
    return endpoint.port();
  }

  @Override
  public void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    vertx.close().await();
  }
}
