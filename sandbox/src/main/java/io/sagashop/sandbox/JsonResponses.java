package io.sagashop.sandbox;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Builds JSON answers with any status code, including those JAX-RS has no constant for (402, 422). An endpoint
 * declares the type of its usual answer; a refusal or an {@link ErrorResponse} travels in the same response type, so
 * its class names those bodies in {@code @RegisterForReflection} (native images serialise only registered records).
 */
public final class JsonResponses {

    private JsonResponses() {
    }

    public static <T> RestResponse<T> json(int status, T body) {
        return RestResponse.ResponseBuilder.<T>create(status)
                .entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /** A refusal whose body is not the endpoint's usual type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> RestResponse<T> other(int status, Object body) {
        return (RestResponse) json(status, body);
    }

    public static <T> RestResponse<T> error(int status, String message) {
        return other(status, new ErrorResponse(message));
    }

    public static <T> Uni<RestResponse<T>> now(RestResponse<T> response) {
        return Uni.createFrom().item(response);
    }
}
