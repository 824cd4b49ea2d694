package io.sagashop.order.messaging;

import java.util.stream.Collectors;
import java.util.Arrays;
import io.sagashop.contracts.Topics;
import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.order.saga.OrderService;
import io.sagashop.platform.messaging.EventProcessor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The order follows every participant's outcome (inventory, payment, shipping). */
@ApplicationScoped
public class ParticipantReplies {

    private static final String CONSUMER = "order";
    /** Every participant's events: each one is a fact the saga decides on. */
    private static final Set<EventType> REPLIES = Arrays.stream(EventType.values())
            .filter(t -> !t.topic().equals(Topics.ORDER_EVENTS))
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class)));

    private final EventProcessor processor;
    private final OrderService orders;

    ParticipantReplies(EventProcessor processor, OrderService orders) {
        this.processor = processor;
        this.orders = orders;
    }

    @Incoming("participant-replies")
    public Uni<Void> onReply(Message<String> record) {
        return processor.dispatch(CONSUMER, record, REPLIES, orders::onReply);
    }

}
