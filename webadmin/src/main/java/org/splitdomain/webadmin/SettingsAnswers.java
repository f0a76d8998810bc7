package org.splitdomain.webadmin;

import java.util.List;

import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.collect.ImmutableMap;

import spark.Response;

/** How the split-routing routes answer a write of settings. */
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
}
