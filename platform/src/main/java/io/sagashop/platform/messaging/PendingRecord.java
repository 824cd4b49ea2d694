package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.SagaEvent;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A parsed record waiting for its batch, with the consumer's step and per-transaction work. */
record PendingRecord(String consumer, String topic, Message<String> record, EventEnvelope envelope, SagaEvent event,
                     String traceparent, EventProcessor.PerTransaction<Object> perTransaction,
                     EventProcessor.BatchStep<Object> step) {
}
