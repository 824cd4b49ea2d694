package io.sagashop.platform.store;

import io.smallrye.mutiny.Uni;

import java.util.function.Function;

/** Opens the database transactions of saga steps and commands: commits when {@code work} succeeds, else rolls back. */
public interface Transactions {

    <T> Uni<T> run(Function<SqlTransaction, Uni<T>> work);
}
