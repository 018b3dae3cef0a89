package io.fleetlens.access;

import java.util.List;
import java.util.Set;

/** Who is calling: a token's name, its roles and its tenants. */
public record Identity(long tokenId, String name, Set<Role> roles, List<Tenant> tenants) {

  public Identity {
    roles = Set.copyOf(roles);
    tenants = List.copyOf(tenants);
  }

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }
}
