package io.fleetlens.access;

import java.util.List;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuditEventRepository extends CrudRepository<AuditEvent, Long> {

  @Query("SELECT * FROM audit_event ORDER BY id DESC")
  List<AuditEvent> newestFirst(Pageable page);
}
