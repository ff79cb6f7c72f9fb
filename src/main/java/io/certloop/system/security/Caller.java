package io.certloop.system.security;

import java.util.Arrays;
import java.util.Set;

/** The authenticated user behind an API call, with the groups it belongs to. */
public record Caller(String userId, Set<String> groups) {

    public Caller {
        groups = Set.copyOf(groups);
    }

    public boolean isAdmin() {
        return groups.contains(Groups.ADMIN);
    }

    /** A person of one of CertLoop's groups (or an administrator), as opposed to a webhook identity. */
    public boolean isStaff() {
        return isMemberOfAny(Groups.CERTLOOP.toArray(String[]::new));
    }

    /** Admins pass every group check. */
    public boolean isMemberOfAny(String... required) {
        return isAdmin() || Arrays.stream(required).anyMatch(groups::contains);
    }
}
