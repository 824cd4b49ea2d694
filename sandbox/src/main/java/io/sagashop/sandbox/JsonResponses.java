package io.sagashop.sandbox;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** Builds JSON answers with any status code, including those JAX-RS has no constant for (402, 422). */
public final class JsonResponses {

    private JsonResponses() {
    }

    public static RestResponse<Object> json(int status, Object body) {
        return RestResponse.ResponseBuilder.<Object>create(status)
                .entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    public static RestResponse<Object> error(int status, String message) {
        return json(status, new ErrorResponse(message));
    }

    public static Uni<RestResponse<Object>> now(RestResponse<Object> response) {
        return Uni.createFrom().item(response);
    }
}
