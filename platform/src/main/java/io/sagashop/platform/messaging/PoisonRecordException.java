package io.sagashop.platform.messaging;

/** A record that can never be handled (it breaks the contract): it goes to the dead-letter topic with this reason. */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason);
    }
}
