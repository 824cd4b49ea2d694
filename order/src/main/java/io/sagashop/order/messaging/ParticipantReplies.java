package io.sagashop.order.messaging;

import io.sagashop.order.OrderService;
import io.sagashop.platform.messaging.EventProcessor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The order follows every participant's outcome (inventory, payment, shipping). */
@ApplicationScoped
public class ParticipantReplies {

    private static final String CONSUMER = "order";

    private final EventProcessor processor;
    private final OrderService orders;

    ParticipantReplies(EventProcessor processor, OrderService orders) {
        this.processor = processor;
        this.orders = orders;
    }

    @Incoming("inventory-events")
    @Incoming("payment-events")
    @Incoming("shipping-events")
    public Uni<Void> onReply(Message<String> record) {
        return processor.dispatch(CONSUMER, record, orders::onReply);
    }

}
