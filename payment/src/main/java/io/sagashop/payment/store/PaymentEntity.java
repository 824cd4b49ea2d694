package io.sagashop.payment.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.sagashop.payment.domain.Payment;
import io.sagashop.payment.domain.PaymentStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.UpdateTimestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** The payments row of one order: the stored form of a {@link Payment}. */
@Entity
@Table(name = "payments")
public class PaymentEntity extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public String orderId;
    @Enumerated(EnumType.STRING)
    public PaymentStatus status;
    @Column(name = "sealed_token")
    public String sealedToken;
    public BigDecimal amount;
    @Column(name = "captured_amount")
    public BigDecimal captured;
    @Column(name = "refunded_amount")
    public BigDecimal refunded;
    @Column(name = "charge_id")
    public String chargeId;
    @Column(name = "provider_reference")
    public String providerReference;
    public String failure;
    public Instant deadline;
    @Column(name = "customer_id")
    public String customerId;
    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    Payment toPayment() {
        return new Payment(orderId, status, sealedToken, amount, captured, refunded, chargeId, providerReference, failure,
                deadline, customerId);
    }

    void set(Payment p) {
        status = p.status();
        sealedToken = p.sealedToken();
        amount = p.amount();
        captured = p.captured();
        refunded = p.refunded();
        chargeId = p.chargeId();
        providerReference = p.providerReference();
        failure = p.failure();
        deadline = p.deadline();
        customerId = p.customerId();
    }
}
