package io.fleetlens.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;

/** Starts an HTTP server for a router and knows the port it got (0 asks for a free one). */
public final class HttpEndpoint implements AutoCloseable {

  private final HttpServer server;

  private HttpEndpoint(HttpServer server) {
    this.server = server;
  }

  public static HttpEndpoint start(Vertx vertx, Router router, String host, int port) {
    return start(vertx, router, host, port, Tls.OFF);
  }

  /** With {@code tls} enabled, only TLS; with a client CA, only clients holding a certificate it signed. */
  public static HttpEndpoint start(Vertx vertx, Router router, String host, int port, Tls tls) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true);
    if (tls.enabled()) {
      options.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(tls.keyStoreFile())
          .setPassword(secret(tls.keyStorePasswordFile())));
      if (tls.mutual()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaFile()))
            .setClientAuth(ClientAuth.REQUIRED);
      }
    }
    HttpServer server = vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .await();
    return new HttpEndpoint(server);
  }

  private static String secret(String file) {
    if (file.isEmpty()) {
      return "";
    }
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read the key store password file " + file + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
