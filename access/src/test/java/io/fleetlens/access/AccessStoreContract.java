package io.fleetlens.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database under the API tokens must do; H2 and PostgreSQL each run it. */
abstract class AccessStoreContract {

  private final MutableClock clock = new MutableClock();
  private String[] db;
  private AccessStore store;

  abstract String[] newDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    db = newDatabase();
    store = AccessStore.open(db[0], db[1], db[2], clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aTokenIsStoredOnlyAsAHashAndAuthenticatesWithItsRolesAndTenants() throws Exception {
    AccessStore.IssuedToken issued = store.create("team-a", EnumSet.of(Role.LOGS_READ, Role.METRICS_READ),
        List.of(new Tenant("prod-.*", "shop|cart")), "admin");
    assertThat(issued.secret()).startsWith("flt_").hasSize(47);
    Identity who = store.authenticate(issued.secret()).orElseThrow();
    assertThat(who.name()).isEqualTo("team-a");
    assertThat(who.roles()).containsExactlyInAnyOrder(Role.LOGS_READ, Role.METRICS_READ);
    assertThat(who.has(Role.COST_READ)).isFalse();
    assertThat(who.tenants().getFirst().sees("prod-eu", "shop")).isTrue();
    assertThat(who.tenants().getFirst().sees("dev", "shop")).isFalse();
    assertThat(store.authenticate("flt_not-a-token")).isEmpty();
    try (var c = DriverManager.getConnection(db[0], db[1], db[2]); var s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT secret_hash FROM api_token")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(AccessStore.hash(issued.secret())).doesNotContain(issued.secret());
    }
    assertThat(store.auditLog(10)).extracting(AuditEvent::action).containsExactly("token.create");
  }

  @Test
  void aClientCertificateSubjectStandsForItsTokenWhileTheTokenLives() {
    AccessStore.IssuedToken issued = store.create("grafana", EnumSet.of(Role.METRICS_READ),
        List.of(new Tenant("prod-.*", ".*")), "CN=grafana, O=team-a", "admin");
    Identity who = store.authenticateCertificate("CN=grafana,O=team-a").orElseThrow();
    assertThat(who.name()).isEqualTo("grafana");
    assertThat(who.certificateSubject()).isEqualTo("CN=grafana,O=team-a");
    assertThat(store.authenticateCertificate("CN=grafana,O=team-b")).isEmpty();
    assertThatThrownBy(() -> store.create("again", EnumSet.of(Role.METRICS_READ), List.of(), "CN=grafana,O=team-a",
        "admin")).hasMessageContaining("already stands for CN=grafana,O=team-a");
    assertThatThrownBy(() -> store.create("bad", EnumSet.of(Role.METRICS_READ), List.of(), "not a dn", "admin"))
        .hasMessageContaining("not a distinguished name");
    store.revoke(issued.id(), "admin");
    clock.advance(AccessStore.CACHE_MS + 1);
    assertThat(store.authenticateCertificate("CN=grafana,O=team-a")).isEmpty();
  }

  @Test
  void aRevokedTokenStopsWorkingWithinTheCacheTime() {
    AccessStore.IssuedToken issued = store.create("ci", EnumSet.of(Role.METRICS_READ), List.of(), "admin");
    assertThat(store.authenticate(issued.secret())).isPresent();
    assertThat(store.revoke(issued.id(), "admin")).isTrue();
    assertThat(store.authenticate(issued.secret())).as("this replica forgets at once").isEmpty();
    assertThat(store.revoke(issued.id(), "admin")).isFalse();
    assertThat(store.live()).isEmpty();
    assertThat(store.auditLog(10)).extracting(AuditEvent::action).containsExactly("token.revoke", "token.create");
  }

  @Test
  void anotherReplicaSeesARevocationAfterItsCacheTime() throws Exception {
    AccessStore.IssuedToken issued = store.create("ci", EnumSet.of(Role.METRICS_READ), List.of(), "admin");
    try (AccessStore other = AccessStore.open(db[0], db[1], db[2], clock)) {
      assertThat(other.authenticate(issued.secret())).isPresent();
      store.revoke(issued.id(), "admin");
      clock.advance(AccessStore.CACHE_MS + 1);
      assertThat(other.authenticate(issued.secret())).isEmpty();
    }
  }

  @Test
  void badTokensAreRefused() {
    assertThatThrownBy(() -> store.create("x", EnumSet.noneOf(Role.class), List.of(), "admin"))
        .hasMessageStartingWith("roles:");
    assertThatThrownBy(() -> Role.of("logs:write")).hasMessageContaining("unknown role logs:write");
    assertThatThrownBy(() -> new Tenant("prod-(", ".*")).hasMessageStartingWith("clusters: not a regular expression");
    store.ensureAdmin("bootstrap", "a-long-bootstrap-secret-1234");
    store.ensureAdmin("bootstrap", "a-long-bootstrap-secret-1234");
    assertThat(store.live()).hasSize(1);
    assertThat(store.authenticate("a-long-bootstrap-secret-1234").orElseThrow().has(Role.COST_READ)).isTrue();
  }

  static final class MutableClock extends Clock {
    private long millis = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

    void advance(long ms) {
      millis += ms;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
