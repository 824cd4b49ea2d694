package io.sagashop.payment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.ServiceBasicsContract;

@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class PaymentServiceBasicsTest extends ServiceBasicsContract {
    @Override
    protected String database() {
        return "payment_db";
    }
}
