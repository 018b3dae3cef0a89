package io.fleetlens.pricing;

import java.util.List;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Sort;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Price sheets in the database; one SQL for PostgreSQL and for H2 in PostgreSQL mode. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PriceSheetRepository extends CrudRepository<PriceSheet, Long> {

  List<PriceSheet> findByClusterAndNodeTypeAndRetiredAtIsNull(String cluster, String nodeType);

  List<PriceSheet> findByRetiredAtIsNull(Sort sort);
}
