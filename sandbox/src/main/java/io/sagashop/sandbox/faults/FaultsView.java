package io.sagashop.sandbox.faults;

public record FaultsView(FaultKnobs payments, FaultKnobs carrier) {
}
