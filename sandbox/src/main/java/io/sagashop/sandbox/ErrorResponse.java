package io.sagashop.sandbox;

/** The JSON body of every error answer: {@code {"error": "..."}}. */
public record ErrorResponse(String error) {
}
