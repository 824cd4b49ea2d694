package io.sagashop.inventory;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.ServiceBasicsContract;

@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class InventoryServiceBasicsTest extends ServiceBasicsContract {
    @Override
    protected String database() {
        return "inventory_db";
    }
}
