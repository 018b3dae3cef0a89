package io.fleetlens.query;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.fleetlens.access.AccessStore;
import io.fleetlens.access.Role;
import io.fleetlens.access.Tenant;

/**
 * Tokens from the command line, on the query API's database:
 * {@code java -cp fleetlens-query-api.jar io.fleetlens.query.TokensCli [--config query-api.yaml] <command>}
 * with {@code create <name> <role,role> [<cluster regex> <namespace regex>]}, {@code list} or
 * {@code revoke <id>}. The secret of a new token is printed once.
 */
public final class TokensCli {

  private TokensCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, java.util.Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    Path config = null;
    if (rest.size() >= 2 && rest.getFirst().equals("--config")) {
      config = Path.of(rest.get(1));
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      err.println("usage: TokensCli [--config FILE] create <name> <roles> [<clusters> <namespaces>] | list | revoke <id>");
      return 2;
    }
    QueryApiConfig.Database db = QueryApiConfig.load(config, env).database();
    try (AccessStore store = AccessStore.open(db.jdbcUrl(), db.user(), db.password(), Clock.systemUTC())) {
      switch (rest.getFirst()) {
        case "create" -> {
          Set<Role> roles = EnumSet.noneOf(Role.class);
          for (String r : rest.get(2).split(",")) {
            roles.add(Role.of(r.strip()));
          }
          Tenant tenant = rest.size() >= 5 ? new Tenant(rest.get(3), rest.get(4)) : new Tenant(".*", ".*");
          AccessStore.IssuedToken t = store.create(rest.get(1), roles, List.of(tenant), "cli");
          out.println("id " + t.id() + " name " + t.name());
          out.println(t.secret());
        }
        case "list" -> store.live().forEach(i -> out.println(i.tokenId() + "\t" + i.name() + "\t"
            + i.roles().stream().map(Role::wire).sorted().toList() + "\t" + i.tenants()));
        case "revoke" -> {
          if (!store.revoke(Long.parseLong(rest.get(1)), "cli")) {
            err.println("no live token " + rest.get(1));
            return 1;
          }
          out.println("revoked " + rest.get(1));
        }
        default -> {
          err.println("unknown command " + rest.getFirst() + " (create, list, revoke)");
          return 2;
        }
      }
      return 0;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }
}
