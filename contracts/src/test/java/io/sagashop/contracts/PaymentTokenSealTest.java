package io.sagashop.contracts;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class PaymentTokenSealTest {

    private final PaymentTokenSeal seal = new PaymentTokenSeal(PaymentTokenSeal.newKey());

    @Test
    void aSealedTokenOpensForItsOrderAndShowsNothingOfTheToken() {
        String sealed = seal.seal("order-1", "tok_visa_4242");

        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains("4242"), sealed);
        assertNotEquals(sealed, seal.seal("order-1", "tok_visa_4242"), "a fresh nonce each time");
        assertEquals("tok_visa_4242", seal.open("order-1", sealed));
    }

    @Test
    void anotherOrderAnotherKeyOrAChangedByteCannotOpenIt() {
        String sealed = seal.seal("order-1", "tok_visa");
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 1] ^= 1;
        String altered = "v1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open("order-2", sealed));
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> new PaymentTokenSeal(PaymentTokenSeal.newKey()).open("order-1", sealed));
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open("order-1", altered));
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open("order-1", "tok_visa"), "a clear token is not a sealed one");
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open("order-1", "v1:!!"));
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open("order-1", null));
    }

    @Test
    void theMaskShowsAtMostFourCharactersAndAtMostAThird() {
        assertEquals("****4242", PaymentTokenSeal.mask("tok_visa_4242"));
        assertEquals("****sa", PaymentTokenSeal.mask("tok_visa"));
        assertEquals("****", PaymentTokenSeal.mask("ab"));
        assertEquals("****", PaymentTokenSeal.mask(""));
    }

    @Test
    void aKeyHasThirtyTwoBytes() {
        assertThrows(IllegalArgumentException.class, () -> new PaymentTokenSeal(new byte[16]));
    }
}
