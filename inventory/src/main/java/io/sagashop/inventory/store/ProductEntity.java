package io.sagashop.inventory.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.sagashop.inventory.domain.Product;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.UpdateTimestamp;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A product row with its stock: available, reserved and sold move only under the row's lock, and
 * {@code received = available + reserved + sold} holds after every change (initial stock plus every restock).
 */
@Entity
@Table(name = "products")
public class ProductEntity extends PanacheEntityBase {

    @Id
    public String sku;
    public String name;
    public BigDecimal price;
    public int available;
    public int reserved;
    public int sold;
    public int received;
    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** Moves {@code quantity} units between available, reserved and sold, e.g. (-1, +1, 0) to reserve. */
    void move(int quantity, int availableSign, int reservedSign, int soldSign) {
        available += availableSign * quantity;
        reserved += reservedSign * quantity;
        sold += soldSign * quantity;
    }

    Product toProduct() {
        return new Product(sku, name, price, available, reserved, sold);
    }
}
