package io.sagashop.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * WireMock in place of the external providers (payment provider, carrier): the one thing a service test may stub,
 * because it is not ours. Points {@code sagashop.sandbox.url} at it.
 */
public class ProviderStub implements QuarkusTestResourceLifecycleManager {

    public static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        server.start();
        return Map.of("sagashop.sandbox.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
