package io.fleetlens.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import com.fasterxml.jackson.core.type.TypeReference;

import io.fleetlens.database.Database;
import io.fleetlens.database.JsonColumns;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.model.Pageable;

/**
 * API tokens and the audit log, over Micronaut Data (PostgreSQL, or H2 in PostgreSQL mode). A
 * token's secret ({@code flt_} and 43 characters of randomness) is returned once and only its
 * SHA-256 is stored. Looking a token up is cached for {@link #CACHE_MS} at most, so a revocation
 * on any replica stops the token everywhere within that time.
 */
public final class AccessStore implements AutoCloseable {

  /** How long one replica may trust what it last read about a token. */
  public static final long CACHE_MS = 500;

  /** A new token: its id and name, and the secret, which is not kept anywhere. */
  public record IssuedToken(long id, String name, String secret) {
  }

  private record Cached(Optional<Identity> identity, long until) {
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApplicationContext context;
  private final ApiTokenRepository tokens;
  private final AuditEventRepository audit;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private AccessStore(ApplicationContext context, Clock clock) {
    this.context = context;
    this.tokens = context.getBean(ApiTokenRepository.class);
    this.audit = context.getBean(AuditEventRepository.class);
    this.clock = clock;
  }

  public static AccessStore open(String jdbcUrl, String user, String password, Clock clock) {
    ApplicationContext context = Database.open(jdbcUrl, user, password, "db/access", "flyway_access_history");
    return new AccessStore(context, clock);
  }

  /** Creates a token; {@code actor} is who asked, for the audit log. */
  public IssuedToken create(String name, Set<Role> roles, List<Tenant> tenants, String actor) {
    return create(name, roles, tenants, null, actor);
  }

  /**
   * Creates a token that a client certificate with {@code certificateSubject} (a distinguished name;
   * null for none) may also stand for; one live token per subject.
   */
  public IssuedToken create(String name, Set<Role> roles, List<Tenant> tenants, String certificateSubject,
      String actor) {
    String subject = certificateSubject == null || certificateSubject.isBlank() ? null
        : canonicalSubject(certificateSubject);
    if (subject != null && !tokens.findByCertificateSubjectAndRevokedAtIsNull(subject).isEmpty()) {
      throw new IllegalArgumentException("certificateSubject: a live token already stands for " + subject
          + "; revoke it first");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: a token needs a name");
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("roles: give at least one of logs:read, metrics:read, cost:read,"
          + " rules:write, admin");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "flt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    IssuedToken issued = new IssuedToken(store(name, secret, roles, tenants, subject, actor).id(), name, secret);
    if (subject != null) {
      cache.remove("certificate " + subject); // a "nobody" looked up a moment ago must not linger
    }
    return issued;
  }

  /** A distinguished name as RFC 2253 writes it, which is how a verified certificate's subject is compared. */
  public static String canonicalSubject(String distinguishedName) {
    try {
      return new X500Principal(distinguishedName).getName(X500Principal.RFC2253);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("certificateSubject: not a distinguished name: " + distinguishedName);
    }
  }

  /** Makes sure {@code secret} is a live admin token (the operator's first token, from a mounted Secret). */
  public void ensureAdmin(String name, String secret) {
    if (secret.length() < 20) {
      throw new IllegalArgumentException("the bootstrap admin token must be at least 20 characters");
    }
    Optional<ApiToken> existing = tokens.findBySecretHash(hash(secret));
    if (existing.isEmpty()) {
      store(name, secret, EnumSet.of(Role.ADMIN), List.of(new Tenant(".*", ".*")), null, "bootstrap");
    }
  }

  private ApiToken store(String name, String secret, Set<Role> roles, List<Tenant> tenants, String subject,
      String actor) {
    List<String> roleNames = roles.stream().map(Role::wire).sorted().toList();
    ApiToken saved = tokens.save(new ApiToken(null, name, hash(secret), JsonColumns.write(roleNames), JsonColumns.write(tenants),
        clock.millis(), null, subject));
    record(actor, "token.create", "token " + saved.id() + " (" + name + ")", "roles " + roleNames + ", tenants "
        + tenants + (subject == null ? "" : ", certificate " + subject));
    return saved;
  }

  /** Who presents {@code secret}, if it is a live token. */
  public Optional<Identity> authenticate(String secret) {
    String hash = hash(secret);
    long now = clock.millis();
    Cached cached = cache.get(hash);
    if (cached != null && cached.until() > now) {
      return cached.identity();
    }
    Optional<Identity> identity = tokens.findBySecretHash(hash).filter(t -> t.revokedAt() == null)
        .map(AccessStore::identityOf);
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(hash, new Cached(identity, now + CACHE_MS));
    return identity;
  }

  /**
   * Who a verified client certificate with {@code subject} (RFC 2253) stands for, if a live token
   * names it; cached as tokens are.
   */
  public Optional<Identity> authenticateCertificate(String subject) {
    String key = "certificate " + subject;
    long now = clock.millis();
    Cached cached = cache.get(key);
    if (cached != null && cached.until() > now) {
      return cached.identity();
    }
    Optional<Identity> identity = tokens.findByCertificateSubjectAndRevokedAtIsNull(subject).stream().findFirst()
        .map(AccessStore::identityOf);
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(key, new Cached(identity, now + CACHE_MS));
    return identity;
  }

  /** Revokes a token; false when there is no live token with that id. */
  public boolean revoke(long id, String actor) {
    Optional<ApiToken> token = tokens.findById(id).filter(t -> t.revokedAt() == null);
    if (token.isEmpty()) {
      return false;
    }
    tokens.update(token.get().revoked(clock.millis()));
    cache.clear();
    record(actor, "token.revoke", "token " + id + " (" + token.get().name() + ")", "");
    return true;
  }

  /** The live tokens, without their secrets. */
  public List<Identity> live() {
    List<Identity> out = new ArrayList<>();
    tokens.findByRevokedAtIsNullOrderByIdAsc().forEach(t -> out.add(identityOf(t)));
    return out;
  }

  public void record(String actor, String action, String target, String detail) {
    audit.save(new AuditEvent(null, clock.millis(), actor, action, target, detail));
  }

  public List<AuditEvent> auditLog(int limit) {
    return audit.newestFirst(Pageable.from(0, limit));
  }

  private static Identity identityOf(ApiToken t) {
    List<String> roleNames = JsonColumns.read(t.roles(), new TypeReference<List<String>>() { });
    Set<Role> roles = EnumSet.noneOf(Role.class);
    roleNames.forEach(r -> roles.add(Role.of(r)));
    List<Tenant> tenants = JsonColumns.read(t.tenants(), new TypeReference<List<Tenant>>() { });
    return new Identity(t.id(), t.name(), roles, tenants, t.certificateSubject());
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
