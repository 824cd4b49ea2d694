package io.sagashop.platform.api;

import io.sagashop.platform.config.SagaShopConfig;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A body without a declared length (chunked) is held to {@code sagashop.http.max-body-size} as it is read: 413 with a
 * problem body. A declared length above it is refused earlier, by {@link RequestLimits#bodySize}.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    private final int maxBody;

    BodyLimit(SagaShopConfig config) {
        this.maxBody = (int) Math.min(Integer.MAX_VALUE - 1, config.http().maxBodySize().asLongValue());
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        byte[] body = context.getInputStream().readNBytes(maxBody + 1);
        if (body.length > maxBody) {
            throw new WebApplicationException("the request body has more than " + maxBody + " bytes; at most " + maxBody
                    + " are accepted", 413);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
