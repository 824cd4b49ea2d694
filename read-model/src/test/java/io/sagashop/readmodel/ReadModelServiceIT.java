package io.sagashop.readmodel;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.sagashop.testing.SagaShopTestResources;

/** {@link ReadModelServiceBasicsTest} against the packaged application (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
@WithTestResource(SagaShopTestResources.class)
class ReadModelServiceIT extends ReadModelServiceBasicsTest {
}
