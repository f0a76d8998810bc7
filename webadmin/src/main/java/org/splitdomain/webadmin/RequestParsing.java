/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.splitdomain.webadmin;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.james.core.Domain;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.eclipse.jetty.http.HttpStatus;
import org.splitdomain.webadmin.dto.RelayDTO;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.google.common.net.MediaType;

import spark.Filter;
import spark.HaltException;
import spark.Request;
import spark.Service;

/** Turns bad requests into James's 400/404 JSON errors, with a message that names the problem. */
final class RequestParsing {
    private RequestParsing() {
    }

    // James's JsonExtractor cannot be made strict: it takes trailing garbage after the object and
    // reads 1 or "yes"-like strings as booleans. Settings that route mail deserve an exact reading.
    private static final ObjectMapper STRICT_JSON = strictJson();

    private static ObjectMapper strictJson() {
        ObjectMapper mapper = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"thirdParty":true,"thirdParty":false} is no setting a person meant: refuse it.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Boolean)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Refuses, on these paths, a request that gives a query parameter more than once ({@code ?address=a&address=b}):
     * Spark would hand the route the first and drop the others silently, and the caller would read an answer about
     * an address other than the one it meant. Registered as a before filter: James's own parameter helpers
     * ({@code limit}, {@code offset}) are covered too.
     */
    static void refuseRepeatedQueryParameters(Service service, String... paths) {
        Filter refusal = (request, response) -> request.queryParams().forEach(name -> {
            String[] values = request.queryParamsValues(name);
            if (values != null && values.length > 1) {
                throw badRequest("'" + name + "' is given " + values.length + " times; give it once");
            }
        });
        for (String path : paths) {
            service.before(path, refusal);
        }
    }

    /** A {@code true}/{@code false} query parameter; absent means false. */
    static boolean booleanQueryParam(Request request, String name) {
        String value = request.queryParams(name);
        if (value == null) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw badRequest("'" + name + "' must be true or false; got '" + value + "'");
    }

    /**
     * The request's JSON body. Anything but {@code Content-Type: application/json} is refused with 415:
     * a browser sends a cross-site {@code text/plain} or form POST without asking, so a route that took
     * those would let any web page change the routing of mail.
     */
    static <T> T parseBody(Class<T> type, Request request) {
        checkJsonContentType(request.contentType());
        return parseBody(type, request.body());
    }

    private static void checkJsonContentType(String contentType) {
        boolean json;
        try {
            json = contentType != null && MediaType.parse(contentType).withoutParameters().equals(MediaType.create("application", "json"));
        } catch (IllegalArgumentException e) {
            json = false;
        }
        if (!json) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("The body must be sent with Content-Type: application/json, got "
                    + (contentType == null ? "no Content-Type" : "'" + contentType + "'"))
                .haltError();
        }
    }

    static <T> T parseBody(Class<T> type, String body) {
        if (body == null || body.isBlank()) {
            throw badRequest("Malformed JSON body: the body is empty");
        }
        T parsed;
        try {
            parsed = STRICT_JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw badRequest(describe(e), e);
        }
        if (parsed == null) {
            // Jackson reads the JSON literal null as a null object.
            throw badRequest("Invalid JSON body: expected a JSON object, got null");
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

    /** Who sent the request, when WebAdmin authenticates requests: the subject of its token. */
    static Optional<String> actor(Request request) {
        return Optional.ofNullable(request.attribute(AuthenticationFilter.LOGIN)).map(Object::toString);
    }

    static HaltException badRequest(String message) {
        return badRequestResponder(message).haltError();
    }

    static HaltException badRequest(String message, Exception cause) {
        return badRequestResponder(message).cause(cause).haltError();
    }

    private static ErrorResponder badRequestResponder(String message) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.BAD_REQUEST_400)
            .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message(message);
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

    // In the operator's terms: the field, what it takes and what it got; never a Java class or a parser's token.
    private static String describe(Throwable cause) {
        if (cause instanceof JsonMappingException && cause.getCause() instanceof JsonParseException) {
            // A syntax error met inside a field: Jackson wraps it with the path it was reading.
            return malformed((JsonParseException) cause.getCause());
        }
        if (cause instanceof JsonParseException) {
            return malformed((JsonParseException) cause);
        }
        if (cause instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException unknown = (UnrecognizedPropertyException) cause;
            return "Unknown field '" + path(unknown) + "'; known fields: "
                + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (cause instanceof MismatchedInputException) {
            MismatchedInputException mismatch = (MismatchedInputException) cause;
            String problem = "expected " + expected(mismatch) + ", got " + got(mismatch);
            return mismatch.getPath().isEmpty() ? "Invalid JSON body: " + problem : "Invalid value for '" + path(mismatch) + "': " + problem;
        }
        if (cause instanceof JsonMappingException) {
            // A value a DTO refused while being built: its own message speaks of the setting.
            JsonMappingException mapping = (JsonMappingException) cause;
            String message = mapping.getCause() instanceof IllegalArgumentException ? mapping.getCause().getMessage() : "not a valid value";
            return mapping.getPath().isEmpty() ? "Invalid JSON body: " + message : "Invalid value for '" + path(mapping) + "': " + message;
        }
        return "Malformed JSON body: the body could not be read as JSON";
    }

    private static String malformed(JsonParseException syntax) {
        String message = firstLine(syntax.getOriginalMessage());
        // Jackson's own pointer back into its input: the line and column below say it in plain words.
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        JsonLocation location = syntax.getLocation();
        return "Malformed JSON body: " + message
            + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
    }

    // relays[0].tls
    private static String path(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(MismatchedInputException mismatch) {
        Class<?> target = mismatch.getTargetType();
        List<JsonMappingException.Reference> path = mismatch.getPath();
        if (target != null && Collection.class.isAssignableFrom(target) && !path.isEmpty() && path.get(path.size() - 1).getIndex() >= 0) {
            // An element of a list of strings (forwarded addresses): Jackson names the list, not the element.
            return "a string";
        }
        return expected(target);
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another value";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return "a number";
        }
        if (target == RelayDTO.class) {
            return "a relay, as \"host\" or \"host:port\" or an object with 'relay', 'tls' and 'credential'";
        }
        return "an object";
    }

    private static String got(MismatchedInputException mismatch) {
        if (!(mismatch.getProcessor() instanceof JsonParser)) {
            return "something else";
        }
        JsonParser parser = (JsonParser) mismatch.getProcessor();
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        try {
            switch (token) {
                case START_ARRAY:
                    return "a list";
                case START_OBJECT:
                case FIELD_NAME:
                    return "an object";
                // The text is gone when a creator took the value over: then only its kind is known.
                case VALUE_STRING:
                    return parser.getText().isEmpty() ? "a string" : "the string '" + parser.getText() + "'";
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    return parser.getText().isEmpty() ? "a number" : "the number " + parser.getText();
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return parser.getText();
                case VALUE_NULL:
                    return "null";
                default:
                    return "something else";
            }
        } catch (IOException e) {
            return "something else";
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
