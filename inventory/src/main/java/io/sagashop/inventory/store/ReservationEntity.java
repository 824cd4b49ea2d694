package io.sagashop.inventory.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.OffsetDateTime;

/**
 * One row per order inventory heard of: NONE (being decided), RESERVED, REJECTED, SOLD, RELEASED, or CANCELLED
 * (cancelled before anything was reserved: a tombstone so that nothing is reserved later). Lines are JSON.
 */
@Entity
@Table(name = "reservations")
public class ReservationEntity extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public String orderId;
    public String status;
    public String lines;
    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
