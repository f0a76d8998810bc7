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

import java.util.List;

import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.splitdomain.settings.service.InvalidSettingsException;
import org.splitdomain.settings.service.NotFoundException;
import org.splitdomain.settings.service.SettingsException;
import org.splitdomain.settings.service.SettingsService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.collect.ImmutableMap;

import spark.Response;
import spark.Service;

/** How the split-routing routes answer what the {@link SettingsService} did, or why it did not. */
final class SettingsAnswers {
    private SettingsAnswers() {
    }

    /**
     * The answer of a single write: {@code 204} as James's routes answer, or {@code 200 {"warnings":[…]}} when the
     * settings were stored but something will go wrong with them.
     */
    static String written(Response response, List<String> warnings, JsonTransformer jsonTransformer) throws JsonProcessingException {
        if (warnings.isEmpty()) {
            return Responses.returnNoContent(response);
        }
        response.status(200);
        response.type("application/json");
        return jsonTransformer.render(ImmutableMap.of("warnings", warnings));
    }

    /**
     * Answers every refusal of the service as James's routes answer theirs ({@code ErrorResponder}): a domain or user
     * James does not have is a {@code 404}, invalid settings a {@code 400}, a James backend that could not answer a
     * {@code 500}; each with the service's message. Registered by each route class that calls the service.
     */
    static void refusals(Service service) {
        service.exception(SettingsException.class, (refusal, request, response) -> {
            ErrorResponder answer = ErrorResponder.builder()
                .statusCode(status(refusal))
                .type(type(refusal))
                .message(refusal.getMessage());
            if (refusal.getCause() instanceof Exception) {
                answer.cause((Exception) refusal.getCause());
            }
            response.status(status(refusal));
            response.body(answer.asString());
        });
    }

    private static int status(SettingsException refusal) {
        if (refusal instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND_404;
        }
        if (refusal instanceof InvalidSettingsException) {
            return HttpStatus.BAD_REQUEST_400;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR_500;
    }

    private static ErrorResponder.ErrorType type(SettingsException refusal) {
        if (refusal instanceof NotFoundException) {
            return ErrorResponder.ErrorType.NOT_FOUND;
        }
        if (refusal instanceof InvalidSettingsException) {
            return ErrorResponder.ErrorType.INVALID_ARGUMENT;
        }
        return ErrorResponder.ErrorType.SERVER_ERROR;
    }
}
