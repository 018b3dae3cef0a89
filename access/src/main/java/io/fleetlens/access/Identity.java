package io.fleetlens.access;

import java.util.List;
import java.util.Set;

/** Who is calling: a token's name, its roles, its tenants, and the client certificate subject that may stand for it (or null). */
public record Identity(long tokenId, String name, Set<Role> roles, List<Tenant> tenants, String certificateSubject) {

  public Identity {
    roles = Set.copyOf(roles);
    tenants = List.copyOf(tenants);
  }

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }
}
