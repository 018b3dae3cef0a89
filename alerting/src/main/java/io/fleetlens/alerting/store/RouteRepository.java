package io.fleetlens.alerting.store;

import java.util.List;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Sort;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface RouteRepository extends CrudRepository<RouteRow, Long> {

  List<RouteRow> findAll(Sort sort);
}
