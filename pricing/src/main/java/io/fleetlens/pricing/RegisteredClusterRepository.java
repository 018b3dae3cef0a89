package io.fleetlens.pricing;

import java.util.List;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The cluster registry in the database. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RegisteredClusterRepository extends CrudRepository<RegisteredCluster, String> {

  List<RegisteredCluster> findByRetiredAtIsNullOrderByName();
}
