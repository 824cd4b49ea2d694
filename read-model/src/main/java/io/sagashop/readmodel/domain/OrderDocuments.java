package io.sagashop.readmodel.domain;

import io.sagashop.contracts.events.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds an order's document from the set of its events, whatever order they arrived in: each service's events are
 * folded in that service's sequence order, and the timeline is sorted by time. A pure function of the set, so a
 * duplicate changes nothing, a late or out-of-order event lands where it belongs, and a rebuild from the same events
 * gives the same document.
 */
public final class OrderDocuments {

    /** Services in choreography order (also the tie-break of the timeline). */
    public static final List<String> SERVICES = List.of("order", "inventory", "payment", "shipping");

    private static final Comparator<ProjectedEvent> TIMELINE = Comparator.comparing(ProjectedEvent::occurredAt)
            .thenComparing(e -> SERVICES.indexOf(e.service()))
            .thenComparingLong(ProjectedEvent::sequence);

    private OrderDocuments() {
    }

    /** The publishing service of a topic ({@code payment-events} → {@code payment}). */
    public static String serviceOf(String topic) {
        return topic.endsWith("-events") ? topic.substring(0, topic.length() - "-events".length()) : topic;
    }

    /** The document of one order; {@code projectedAt} is left null (the store stamps it). */
    public static OrderDocument project(String orderId, Collection<ProjectedEvent> events) {
        Map<String, List<ProjectedEvent>> byService = events.stream()
                .sorted(Comparator.comparingLong(ProjectedEvent::sequence))
                .collect(Collectors.groupingBy(ProjectedEvent::service, LinkedHashMap::new, Collectors.toList()));

        Fold f = new Fold();
        for (ProjectedEvent e : byService.getOrDefault("order", List.of())) {
            f.order(e);
        }
        // Items are priced, and the total set, by the order's own OrderReserved, as on the write side: an order
        // cancelled before it took the reservation into account has no total, whatever inventory did meanwhile.
        for (ProjectedEvent e : byService.getOrDefault("payment", List.of())) {
            f.payment(e.event());
        }
        for (ProjectedEvent e : byService.getOrDefault("shipping", List.of())) {
            f.shipment(e.event());
        }

        List<ProjectedEvent> inTime = events.stream().sorted(TIMELINE).toList();
        List<OrderDocument.Step> timeline = inTime.stream().map(OrderDocuments::step).toList();
        Instant createdAt = f.placedAt != null ? f.placedAt : inTime.isEmpty() ? null : inTime.get(0).occurredAt();
        Instant updatedAt = inTime.isEmpty() ? null : inTime.get(inTime.size() - 1).occurredAt();
        Map<String, Long> sequences = new LinkedHashMap<>();
        for (String service : SERVICES) {
            List<ProjectedEvent> own = byService.get(service);
            if (own != null) {
                sequences.put(service, own.get(own.size() - 1).sequence());
            }
        }
        return new OrderDocument(orderId, f.customerId, f.status, f.failureReason, f.items(), f.total,
                new OrderDocument.Payment(f.paymentStatus, f.captured, f.refunded, f.paymentReference),
                new OrderDocument.Shipment(f.shipmentStatus, f.carrier, f.trackingNumber),
                timeline, createdAt, updatedAt, null, sequences.getOrDefault("order", 0L), sequences, f.deadline);
    }

    /** The running state of the fold; mirrors the write sides' state machines. */
    private static final class Fold {
        String customerId;
        String status = "PENDING"; // any event of an order means it was placed
        String failureReason;
        Instant placedAt;
        Instant deadline;
        List<OrderLine> ordered = List.of();
        List<PricedLine> priced;
        BigDecimal total;
        String paymentStatus;
        BigDecimal captured = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        String paymentReference;
        String shipmentStatus;
        String carrier;
        String trackingNumber;

        void order(ProjectedEvent e) {
            SagaEvent event = e.event();
            if (event instanceof OrderPlaced p) {
                customerId = p.customerId();
                ordered = p.items();
                placedAt = e.occurredAt();
                deadline = p.deadline();
            } else if (event instanceof OrderReserved r) {
                status = "PENDING".equals(status) ? "RESERVED" : status;
                price(r.lines(), r.total());
            } else if (event instanceof OrderPaid) {
                status = "PAID";
            } else if (event instanceof OrderCompleted) {
                status = "COMPLETED";
                failureReason = null;
            } else if (event instanceof OrderCancellationRequested r) {
                status = "CANCELLING";
                failureReason = r.reason().name();
            } else if (event instanceof OrderCancelled c) {
                status = "CANCELLED";
                failureReason = c.reason().name();
            }
        }

        void price(List<PricedLine> lines, BigDecimal amount) {
            priced = lines;
            total = amount;
        }

        void payment(SagaEvent event) {
            if (event instanceof PaymentCaptured c) {
                paymentStatus = "CAPTURED";
                captured = c.amount();
                paymentReference = c.providerReference();
            } else if (event instanceof PaymentDeclined) {
                paymentStatus = "DECLINED";
            } else if (event instanceof PaymentFailed) {
                paymentStatus = "FAILED";
            } else if (event instanceof PaymentRefunded r && r.amount() != null && r.amount().signum() > 0) {
                // (Amount 0 confirms a compensation with nothing to refund: the payment stays as it was.)
                paymentStatus = "REFUNDED";
                refunded = r.amount();
            }
        }

        void shipment(SagaEvent event) {
            if (event instanceof ShipmentScheduled s) {
                shipmentStatus = "SCHEDULED";
                carrier = s.carrier();
                trackingNumber = s.trackingNumber();
            } else if (event instanceof ShipmentFailed) {
                shipmentStatus = "FAILED";
            } else if (event instanceof ShipmentCancelled c && c.trackingNumber() != null) {
                // (Without a tracking number it confirms that nothing was booked: the shipment stays as it was.)
                shipmentStatus = "CANCELLED";
            }
        }

        List<OrderDocument.Item> items() {
            if (priced != null) {
                return priced.stream().map(l -> new OrderDocument.Item(l.sku(), l.name(), l.quantity(), l.unitPrice())).toList();
            }
            return ordered.stream().map(l -> new OrderDocument.Item(l.sku(), null, l.quantity(), null)).toList();
        }
    }

    private static OrderDocument.Step step(ProjectedEvent e) {
        SagaEvent event = e.event();
        boolean compensation = event instanceof OrderCancellationRequested || event instanceof OrderCancelled
                || event instanceof InventoryReleased || event instanceof PaymentRefunded || event instanceof ShipmentCancelled;
        return new OrderDocument.Step(e.occurredAt(), e.service(), e.type(), detail(event), e.traceId(), compensation);
    }

    /** A short human description of a step, for the timeline. */
    static String detail(SagaEvent event) {
        if (event instanceof OrderPlaced p) {
            return p.items().size() + " line(s), " + p.items().stream().mapToInt(OrderLine::quantity).sum()
                    + " unit(s) for " + p.customerId();
        } else if (event instanceof OrderReserved r) {
            return "total " + r.total();
        } else if (event instanceof OrderPaid p) {
            return "paid " + p.amount();
        } else if (event instanceof OrderCompleted c) {
            return "shipped with " + c.carrier() + ", tracking " + c.trackingNumber();
        } else if (event instanceof OrderCancellationRequested r) {
            return r.reason() + (r.requestedBy() == null ? "" : ", requested by " + r.requestedBy());
        } else if (event instanceof OrderCancelled c) {
            return String.valueOf(c.reason());
        } else if (event instanceof InventoryReserved r) {
            return r.lines().size() + " line(s) reserved, total " + r.total();
        } else if (event instanceof InventoryRejected r) {
            return r.reason() + (r.sku() == null ? "" : " (" + r.sku() + ")");
        } else if (event instanceof InventoryReleased r) {
            return r.lines().isEmpty() ? "nothing was reserved" : r.lines().size() + " line(s) released";
        } else if (event instanceof PaymentCaptured c) {
            return "captured " + c.amount() + " (" + c.providerReference() + ")";
        } else if (event instanceof PaymentDeclined d) {
            return "declined: " + d.reason();
        } else if (event instanceof PaymentFailed f) {
            return "failed: " + f.reason();
        } else if (event instanceof PaymentRefunded r) {
            return r.amount() == null || r.amount().signum() == 0 ? "nothing was captured" : "refunded " + r.amount();
        } else if (event instanceof ShipmentScheduled s) {
            return s.carrier() + " " + s.trackingNumber();
        } else if (event instanceof ShipmentFailed f) {
            return "failed: " + f.reason();
        } else if (event instanceof ShipmentCancelled c) {
            return c.trackingNumber() == null ? "nothing was booked" : "cancelled " + c.trackingNumber();
        }
        return "";
    }
}
