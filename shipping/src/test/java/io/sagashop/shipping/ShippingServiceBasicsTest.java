package io.sagashop.shipping;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.ServiceBasicsContract;

@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class ShippingServiceBasicsTest extends ServiceBasicsContract {
    @Override
    protected String database() {
        return "shipping_db";
    }
}
