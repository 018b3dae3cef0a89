package io.fleetlens.access;

import java.util.List;
import java.util.Optional;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApiTokenRepository extends CrudRepository<ApiToken, Long> {

  Optional<ApiToken> findBySecretHash(String secretHash);

  List<ApiToken> findByRevokedAtIsNullOrderByIdAsc();

  List<ApiToken> findByCertificateSubjectAndRevokedAtIsNull(String certificateSubject);
}
