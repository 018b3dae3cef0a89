package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;

/**
 * Hands the client's HTTP layer each request body as one buffer. The Java client builds a bulk body
 * as one small buffer per line; sent as they are, they go out as thousands of tiny chunks, which
 * cost this process and Elasticsearch several times the CPU of the indexing itself (measured in
 * bench/, see RATIONALE.md). One buffer goes out with a Content-Length and in large writes.
 */
final class SingleBufferHttpClient implements TransportHttpClient {

  private final TransportHttpClient delegate;

  SingleBufferHttpClient(TransportHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public TransportOptions createOptions(TransportOptions options) {
    return delegate.createOptions(options);
  }

  @Override
  public Integer responseStatusCode(Throwable failure) {
    return delegate.responseStatusCode(failure);
  }

  @Override
  public Response performRequest(String endpointId, Node node, Request request, TransportOptions options)
      throws IOException {
    return delegate.performRequest(endpointId, node, coalesced(request), options);
  }

  @Override
  public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request,
      TransportOptions options) {
    return delegate.performRequestAsync(endpointId, node, coalesced(request), options);
  }

  static Request coalesced(Request request) {
    Iterable<ByteBuffer> body = request.body();
    if (body == null) {
      return request;
    }
    int size = 0;
    int count = 0;
    for (ByteBuffer buffer : body) {
      size += buffer.remaining();
      count++;
    }
    if (count <= 1) {
      return request;
    }
    ByteBuffer merged = ByteBuffer.allocate(size);
    for (ByteBuffer buffer : body) {
      merged.put(buffer.duplicate());
    }
    merged.flip();
    return new Request(request.method(), request.path(), request.queryParams(), request.headers(), List.of(merged));
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
