package io.sagashop.inventory.api;

import io.sagashop.inventory.domain.Product;
import io.sagashop.inventory.store.StockStore;
import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.ProblemMappers;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
    private final Pool pool;

    ProductResource(StockStore store, Pool pool) {
        this.store = store;
        this.pool = pool;
    }

    /** Catalog writes are for admins; the catalog itself is public. */
    @POST
    @RolesAllowed(Caller.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Product>> upsert(@NotNull(message = "a JSON body is required") @Valid ProductRequest request) {
        return store.upsert(pool, request.sku(), request.name(), request.price(), request.stock().intValue())
                .map(p -> RestResponse.ResponseBuilder.<Product>created(URI.create("/products/" + p.sku())).entity(p).build());
    }

    @GET
    @PermitAll
    public Uni<List<Product>> all() {
        return store.all(pool);
    }

    @GET
    @PermitAll
    @Path("/{sku}")
    public Uni<RestResponse<Product>> one(@PathParam("sku") String sku) {
        return store.find(pool, sku).map(p -> p == null ? notFound(sku) : RestResponse.ok(p));
    }

    @POST
    @RolesAllowed(Caller.ADMIN)
    @Path("/{sku}/restock")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Product>> restock(@PathParam("sku") String sku,
                                             @NotNull(message = "a JSON body is required") @Valid RestockRequest request) {
        return store.restock(pool, sku, request.quantity().intValue()).map(p -> p == null ? notFound(sku) : RestResponse.ok(p));
    }

    private static <T> RestResponse<T> notFound(String sku) {
        return ProblemMappers.notFound("no product " + sku);
    }
}
