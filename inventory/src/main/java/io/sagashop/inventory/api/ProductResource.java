package io.sagashop.inventory.api;

import io.sagashop.inventory.domain.Product;
import io.sagashop.inventory.store.StockStore;
import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.ProblemMappers;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.messaging.Conflicts;
import io.sagashop.platform.store.Transactions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;

/** The catalog and its stock (admin). */
@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    public record ProductRequest(@NotBlank @Size(max = 64) String sku, @NotBlank @Size(max = 200) String name,
                                 @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal price,
                                 @NotNull @Min(0) @Max(100_000_000) Long stock) {
    }

    public record RestockRequest(@NotNull @Min(1) @Max(100_000_000) Long quantity) {
    }

    private final StockStore store;
    private final Transactions transactions;

    ProductResource(StockStore store, Transactions transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    /** Catalog writes are for admins; the catalog itself is public. */
    @POST
    @RolesAllowed(Caller.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Product>> upsert(@NotNull(message = "a JSON body is required") @Valid ProductRequest request) {
        // Two first writes of one SKU race to insert it: the loser's retry finds the row and updates it.
        return transactions.run(tx -> store.upsert(request.sku(), request.name(), request.price(), request.stock().intValue()))
                .onFailure(Conflicts::isConflict).retry().atMost(3)
                .map(p -> RestResponse.ResponseBuilder.<Product>created(URI.create("/products/" + p.sku())).entity(p).build());
    }

    @GET
    @PermitAll
    public Uni<List<Product>> all() {
        return transactions.run(tx -> store.all());
    }

    @GET
    @PermitAll
    @Path("/{sku}")
    public Uni<RestResponse<Product>> one(@PathParam("sku") String sku) {
        return transactions.run(tx -> store.find(sku)).map(p -> p == null ? notFound(sku) : RestResponse.ok(p));
    }

    @POST
    @RolesAllowed(Caller.ADMIN)
    @Path("/{sku}/restock")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Product>> restock(@PathParam("sku") String sku,
                                             @NotNull(message = "a JSON body is required") @Valid RestockRequest request) {
        return transactions.run(tx -> store.restock(sku, request.quantity().intValue())).map(p -> p == null ? notFound(sku) : RestResponse.ok(p));
    }

    private static <T> RestResponse<T> notFound(String sku) {
        return ProblemMappers.notFound("no product " + sku);
    }
}
