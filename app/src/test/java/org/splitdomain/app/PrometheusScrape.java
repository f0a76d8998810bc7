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
package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import io.restassured.response.Response;

/** {@code GET /split-routing/metrics} read as Prometheus reads it: samples by name and labels. */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{(.*)})? (\\S+)$");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusScrape of(JamesNode james) {
        Response response = james.webAdmin().accept("text/plain").get("/split-routing/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return new PrometheusScrape(response.asString());
    }

    private final String text;

    PrometheusScrape(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    /** Every sample of that name. */
    List<Sample> samples(String name) {
        ImmutableList.Builder<Sample> samples = ImmutableList.builder();
        for (String line : Splitter.on('\n').omitEmptyStrings().split(text)) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> labels = sample.group(2) == null ? ImmutableMap.of() : Splitter.on(',').omitEmptyStrings()
                .withKeyValueSeparator(Splitter.on('=').limit(2)).split(sample.group(2)).entrySet().stream()
                .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, label -> label.getValue().replace("\"", "")));
            samples.add(new Sample(name, labels, Double.parseDouble(sample.group(3))));
        }
        return samples.build();
    }

    /** The value of the sample of that name whose labels include these. */
    Optional<Double> sample(String name, Map<String, String> labels) {
        return samples(name).stream()
            .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
            .map(Sample::value)
            .findFirst();
    }
}
