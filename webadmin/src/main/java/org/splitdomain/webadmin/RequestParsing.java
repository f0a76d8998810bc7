package org.splitdomain.webadmin;

import java.util.stream.Collectors;

import org.apache.james.core.Domain;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.eclipse.jetty.http.HttpStatus;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import spark.HaltException;

/** Turns bad requests into James's 400/404 JSON errors, with a message that names the problem. */
final class RequestParsing {
    private RequestParsing() {
    }

    static <T> T parseBody(JsonExtractor<T> extractor, String body) {
        T parsed;
        try {
            parsed = extractor.parse(body);
        } catch (JsonExtractException e) {
            throw badRequest(describe(e.getCause()), e);
        }
        if (parsed == null) {
            // Jackson reads the JSON literal null as a null object.
            throw badRequest("Invalid JSON body: expected a JSON object, got null", null);
        }
        return parsed;
    }

    static Domain parseDomain(String value) {
        try {
            return Domain.of(value);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid domain '" + value + "': " + e.getMessage(), e);
        }
    }

    /** {@code cause} may be null: James's ErrorResponder refuses a null cause (Optional.of), so it is only set when present. */
    static HaltException badRequest(String message, Exception cause) {
        ErrorResponder responder = ErrorResponder.builder()
            .statusCode(HttpStatus.BAD_REQUEST_400)
            .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message(message);
        if (cause != null) {
            responder.cause(cause);
        }
        return responder.haltError();
    }

    static HaltException notFound(String message) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.NOT_FOUND_404)
            .type(ErrorResponder.ErrorType.NOT_FOUND)
            .message(message)
            .haltError();
    }

    static HaltException serverError(String message, Exception cause) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
            .type(ErrorResponder.ErrorType.SERVER_ERROR)
            .message(message)
            .cause(cause)
            .haltError();
    }

    private static String describe(Throwable cause) {
        if (cause instanceof JsonMappingException && cause.getCause() instanceof JsonParseException) {
            // A syntax error met inside a field: Jackson wraps it with the path it was reading.
            return "Malformed JSON body: " + firstLine(cause.getCause().getMessage());
        }
        if (cause instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException unknown = (UnrecognizedPropertyException) cause;
            return "Unknown field '" + unknown.getPropertyName() + "'; known fields: "
                + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (cause instanceof JsonMappingException && !((JsonMappingException) cause).getPath().isEmpty()) {
            JsonMappingException mapping = (JsonMappingException) cause;
            String field = mapping.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
            return "Invalid value for '" + field + "': " + firstLine(mapping.getOriginalMessage());
        }
        if (cause instanceof JsonMappingException) {
            return "Invalid JSON body: " + firstLine(((JsonMappingException) cause).getOriginalMessage());
        }
        return "Malformed JSON body: " + firstLine(cause == null ? "empty body" : cause.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
