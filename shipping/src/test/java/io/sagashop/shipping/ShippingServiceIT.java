package io.sagashop.shipping;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.sagashop.testing.SagaShopTestResources;

/** {@link ShippingServiceBasicsTest} against the packaged application (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
@WithTestResource(SagaShopTestResources.class)
class ShippingServiceIT extends ShippingServiceBasicsTest {
}
