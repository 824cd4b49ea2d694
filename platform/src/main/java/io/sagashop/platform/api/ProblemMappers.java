package io.sagashop.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error any service answers is problem+json. Client mistakes are 4xx naming the field; only our own faults
 * are 500, and those never echo internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .collect(Collectors.toList());
        String detail = violations.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; "));
        return problem(new Problem("about:blank", "Invalid request", 400, detail, violations));
    }

    /** Wrong type or shape of a field; Quarkus' own mapper for this type would answer without naming the field. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        if (field.isEmpty()) {
            return problem(Problem.of(400, "Malformed JSON", "the request body is not valid JSON: " + e.getOriginalMessage()));
        }
        String message = e instanceof StrictJson.ControlCharacterException ? e.getOriginalMessage() : "has the wrong type or format";
        return problem(new Problem("about:blank", "Invalid request", 400, field + " " + message,
                List.of(new Problem.Violation(field, message))));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        Response response = e.getResponse();
        int status = response.getStatus();
        // RESTEasy wraps body-reading failures; unwrap so that bad JSON still names the field.
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return problem(Problem.of(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage()));
    }

    /** No token, an expired one, or one not signed by our key. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class, io.quarkus.security.AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e) {
        return RestResponse.ResponseBuilder.<Problem>create(401)
                .entity(Problem.of(401, "Unauthorized", "a valid bearer token is required (Authorization: Bearer <token>)"))
                .type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role the endpoint needs. */
    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(io.quarkus.security.ForbiddenException e) {
        return problem(Problem.of(403, "Forbidden", "this token's role may not do this"));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return problem(Problem.of(500, "Internal Server Error", "an unexpected error occurred; see the service log"));
    }

    /** A problem+json response, typed to whatever the resource method returns. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> RestResponse<T> problem(Problem problem) {
        return (RestResponse) RestResponse.ResponseBuilder.create(problem.status()).entity(problem).type(Problem.MEDIA_TYPE).build();
    }

    public static <T> RestResponse<T> notFound(String detail) {
        return problem(Problem.of(404, "Not Found", detail));
    }

    /** {@code placeOrder.request.items[0].quantity} -> {@code items[0].quantity}: the path in the request body. */
    private static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.METHOD || node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                continue;
            }
            if (node.getKind() == jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.getIndex() != null && field.length() > 0) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
