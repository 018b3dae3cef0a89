package io.fleetlens.alerting.store;

import java.util.List;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface OutboxRepository extends CrudRepository<OutboxEntry, Long> {

  /** Pending notifications, oldest first; the caller sends only each group's lowest sequence. */
  List<OutboxEntry> findByStatusOrderByIdAsc(String status);

  @Query("SELECT * FROM notification_outbox ORDER BY id DESC")
  List<OutboxEntry> newestFirst(Pageable page);

  @Query("DELETE FROM notification_outbox WHERE status <> 'pending' AND finished_at < :before")
  int deleteFinishedBefore(long before);

  @Query("DELETE FROM notification_outbox WHERE receiver = :receiver")
  int deleteByReceiverName(String receiver);
}
