package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.sagashop.testing.SagaShopTestResources;

/** {@link OrderApiTest} against the packaged application (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
@WithTestResource(SagaShopTestResources.class)
class OrderApiIT extends OrderApiTest {
}
