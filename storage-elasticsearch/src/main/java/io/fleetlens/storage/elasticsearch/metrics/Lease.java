package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;

/**
 * A claim on a piece of work among processes that share only Elasticsearch: a document whose
 * creation wins the claim and which names its owner and when the claim lapses. A lapsed claim is
 * taken over with a conditional write on the version seen, so two takers cannot both win.
 */
final class Lease {

  private final ElasticsearchClient client;
  private final String index;
  private final String id;
  private final String owner;
  private final long durationMs;
  private long seqNo = -1;
  private long primaryTerm;

  Lease(ElasticsearchClient client, String index, String id, String owner, long durationMs) {
    this.client = client;
    this.index = index;
    this.id = id;
    this.owner = owner;
    this.durationMs = durationMs;
  }

  boolean acquire() throws IOException {
    try {
      var created = client.create(c -> c.index(index).id(id).document(body()).refresh(Refresh.True));
      held(created.seqNo(), created.primaryTerm());
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() != 409) {
        throw e;
      }
    }
    GetResponse<Map> current = client.get(g -> g.index(index).id(id), Map.class);
    if (!current.found()) {
      return acquire();
    }
    Object until = current.source().get("until");
    if (until instanceof Number n && n.longValue() > System.currentTimeMillis()) {
      return false;
    }
    try {
      var taken = client.index(i -> i.index(index).id(id).document(body()).ifSeqNo(current.seqNo())
          .ifPrimaryTerm(current.primaryTerm()).refresh(Refresh.True));
      held(taken.seqNo(), taken.primaryTerm());
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }

  /** Pushes the end of a held claim further out. */
  void renew() throws IOException {
    if (seqNo < 0) {
      return;
    }
    var renewed = client.index(i -> i.index(index).id(id).document(body()).ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm));
    held(renewed.seqNo(), renewed.primaryTerm());
  }

  void release() {
    if (seqNo < 0) {
      return;
    }
    try {
      client.delete(d -> d.index(index).id(id).ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm).refresh(Refresh.True));
    } catch (IOException | ElasticsearchException e) {
      // it lapses by itself
    }
    seqNo = -1;
  }

  private void held(Long seqNo, Long primaryTerm) {
    this.seqNo = seqNo;
    this.primaryTerm = primaryTerm;
  }

  private Map<String, Object> body() {
    return Map.of("owner", owner, "until", System.currentTimeMillis() + durationMs);
  }
}
