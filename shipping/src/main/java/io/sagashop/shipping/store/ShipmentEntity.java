package io.sagashop.shipping.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.sagashop.shipping.domain.ShipmentStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;
import java.time.OffsetDateTime;

/** The shipments row of one order: the stored form of a {@link io.sagashop.shipping.domain.Shipment} (address and items as JSON). */
@Entity
@Table(name = "shipments")
public class ShipmentEntity extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public String orderId;
    @Enumerated(EnumType.STRING)
    public ShipmentStatus status;
    public String address;
    public String items;
    @Column(name = "shipment_id")
    public String shipmentId;
    public String carrier;
    @Column(name = "tracking_number")
    public String trackingNumber;
    public String failure;
    public boolean paid;
    public Instant deadline;
    @Column(name = "customer_id")
    public String customerId;
    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
