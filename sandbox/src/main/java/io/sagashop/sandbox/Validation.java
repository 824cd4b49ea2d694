package io.sagashop.sandbox;

import java.math.BigDecimal;

/** Small checks shared by the request records. */
public final class Validation {

    private Validation() {
    }

    public static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public static boolean positive(BigDecimal value) {
        return value != null && value.signum() > 0;
    }
}
