package io.sagashop.sandbox.faults;

import java.util.Arrays;
import java.util.Optional;

/** A sandbox provider that fault knobs apply to, named as in {@code /sandbox/faults/{target}}. */
public enum FaultTarget {
    PAYMENTS("payments"),
    CARRIER("carrier");

    private final String pathName;

    FaultTarget(String pathName) {
        this.pathName = pathName;
    }

    public String pathName() {
        return pathName;
    }

    public static Optional<FaultTarget> fromPath(String name) {
        return Arrays.stream(values()).filter(target -> target.pathName.equals(name)).findFirst();
    }
}
