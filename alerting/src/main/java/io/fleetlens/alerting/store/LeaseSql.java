package io.fleetlens.alerting.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/** Taking the evaluator's lease in one conditional statement, so two replicas cannot both win. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface LeaseSql extends GenericRepository<LeaseRow, String> {

  @Query("UPDATE alerting_lease SET holder = :holder, expires_at = :expiresAt"
      + " WHERE name = :name AND (holder = :holder OR expires_at < :now)")
  int take(String name, String holder, long expiresAt, long now);
}
