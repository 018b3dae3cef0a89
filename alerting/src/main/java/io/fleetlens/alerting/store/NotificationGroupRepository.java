package io.fleetlens.alerting.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface NotificationGroupRepository extends CrudRepository<NotificationGroupRow, String> {

  @io.micronaut.data.annotation.Query("DELETE FROM notification_group WHERE receiver = :receiver")
  int deleteByReceiverName(String receiver);
}
