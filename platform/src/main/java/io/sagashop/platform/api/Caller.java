package io.sagashop.platform.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is calling, from the verified bearer token: a customer ({@code groups} has {@code customer}; {@code sub} is the
 * customer id) or an admin ({@code groups} has {@code admin}), who may act for any customer. Read it in an endpoint
 * guarded by {@code @RolesAllowed}: the token has been verified by then.
 */
@ApplicationScoped
public class Caller {

    public static final String CUSTOMER = "customer";
    public static final String ADMIN = "admin";

    private final SecurityIdentity identity;

    Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }

    /** The customer id of the token ({@code sub}). */
    public String id() {
        return identity.getPrincipal().getName();
    }

    /** Whether the caller may see or act on something that belongs to {@code customerId}. */
    public boolean owns(String customerId) {
        return isAdmin() || (customerId != null && customerId.equals(id()));
    }
}
