package io.fleetlens.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** Starts an HTTP server for a router and knows the port it got (0 asks for a free one). */
public final class HttpEndpoint implements AutoCloseable {

  private final HttpServer server;

  private HttpEndpoint(HttpServer server) {
    this.server = server;
  }

  public static HttpEndpoint start(Vertx vertx, Router router, String host, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
            .setCompressionSupported(true))
        .requestHandler(router)
        .listen()
        .await();
    return new HttpEndpoint(server);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
