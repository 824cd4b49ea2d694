package io.sagashop.contracts.events;

/**
 * Nothing was reserved.
 *
 * @param reason {@link FailureReason#OUT_OF_STOCK} or {@link FailureReason#UNKNOWN_PRODUCT}
 * @param sku    the first line that could not be reserved
 */
public record InventoryRejected(FailureReason reason, String sku, String detail) implements SagaEvent {
}
