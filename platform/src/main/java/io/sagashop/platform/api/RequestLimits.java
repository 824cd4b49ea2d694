package io.sagashop.platform.api;

import io.sagashop.platform.config.SagaShopConfig;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a request may carry before a resource sees it: a body of at most {@code sagashop.http.max-body-size} (64 KiB;
 * 413), and path and query parameters of plain text, at most 200 characters, without control characters (400 naming
 * the parameter). Both answer with a problem body and before anything is stored.
 */
public class RequestLimits {

    static final int MAX_PARAMETER_LENGTH = 200;

    private final long maxBody;

    RequestLimits(SagaShopConfig config) {
        this.maxBody = config.http().maxBodySize().asLongValue();
    }

    /** A declared length above the limit is refused before the body is read. */
    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<Problem>> bodySize(ContainerRequestContext request) {
        long length = request.getLength();
        if (length > maxBody) {
            return Optional.of(ProblemMappers.problem(Problem.of(413, "Content Too Large",
                    "the request body has " + length + " bytes; at most " + maxBody + " are accepted")));
        }
        return Optional.empty();
    }

    @ServerRequestFilter
    public Optional<RestResponse<Problem>> plainParameters(UriInfo uri) {
        Optional<Problem.Violation> bad = firstBad(uri.getPathParameters(true));
        if (bad.isEmpty()) {
            bad = firstBad(uri.getQueryParameters(true));
        }
        return bad.map(v -> ProblemMappers.problem(new Problem("about:blank", "Invalid request", 400,
                v.field() + " " + v.message(), List.of(v))));
    }

    private static Optional<Problem.Violation> firstBad(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            for (String value : e.getValue()) {
                String problem = problemWith(value);
                if (problem != null) {
                    return Optional.of(new Problem.Violation(e.getKey(), problem));
                }
            }
        }
        return Optional.empty();
    }

    /** What is wrong with a parameter's value, or null. */
    static String problemWith(String value) {
        if (value.length() > MAX_PARAMETER_LENGTH) {
            return "is longer than " + MAX_PARAMETER_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return String.format("contains a control character (U+%04X)", (int) c);
            }
        }
        return null;
    }
}
