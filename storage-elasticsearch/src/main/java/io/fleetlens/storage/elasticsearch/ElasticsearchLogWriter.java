package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogWriter;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;

/**
 * Writes log records with one {@code _bulk} request per batch, each as a {@code create} of the
 * document id the layout derives from the record's origin: a record written before comes back as
 * a version conflict, which means it is already there.
 */
public final class ElasticsearchLogWriter implements LogWriter {

  private final ElasticsearchClient client;
  private final LogIndexLayout layout;

  public ElasticsearchLogWriter(ElasticsearchClient client, LogIndexLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  @Override
  public List<WriteOutcome> write(List<LogRecord> records) throws StoreUnavailableException {
    if (records.isEmpty()) {
      return List.of();
    }
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (LogRecord record : records) {
      String id = LogIndexLayout.documentId(record);
      LogDocument document = LogDocument.of(record, id);
      bulk.operations(op -> op.create(c -> c.index(layout.indexFor(record.timestamp())).id(id).document(document)));
    }
    BulkResponse response = send(bulk.build());
    List<WriteOutcome> outcomes = new ArrayList<>(records.size());
    for (BulkResponseItem item : response.items()) {
      outcomes.add(outcomeOf(item));
    }
    return outcomes;
  }

  @Override
  public boolean isAvailable() {
    return ElasticsearchHealth.answers(client);
  }

  private BulkResponse send(BulkRequest request) throws StoreUnavailableException {
    try {
      return client.bulk(request);
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("bulk request failed: " + e.getMessage(), e);
    }
  }

  static WriteOutcome outcomeOf(BulkResponseItem item) {
    int status = item.status();
    if (item.error() == null && status >= 200 && status < 300) {
      return new WriteOutcome.Written();
    }
    String reason = item.error() == null ? "status " + status
        : item.error().type() + ": " + item.error().reason();
    if (status == 409) {
      return new WriteOutcome.AlreadyPresent();
    }
    if (status == 429 || status >= 500) {
      return new WriteOutcome.Retry(reason);
    }
    return new WriteOutcome.Rejected(reason);
  }
}
