package io.sagashop.sandbox;

import io.sagashop.sandbox.carrier.CarrierBookings;
import io.sagashop.sandbox.payments.PaymentLedger;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Exposes the plain-Java provider books as beans; one instance each, shared by the resources and the reset endpoint. */
@Singleton
public class SandboxBeans {

    @Produces
    @Singleton
    PaymentLedger paymentLedger() {
        return new PaymentLedger();
    }

    @Produces
    @Singleton
    CarrierBookings carrierBookings() {
        return new CarrierBookings();
    }
}
