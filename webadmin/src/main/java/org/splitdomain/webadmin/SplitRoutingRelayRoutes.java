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

import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.notFound;
import static org.splitdomain.webadmin.RequestParsing.serverError;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.splitdomain.mailets.relay.RelayBacklog;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.mailets.relay.RelayQueueState.QueuedMail;
import org.splitdomain.mailets.relay.RelayTester;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.webadmin.dto.RelayDTO;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.util.concurrent.ThreadFactoryBuilder;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The relay engine: the split-domain relay queue as the cluster has it (the waiting room every node shares, the
 * queue, what this node attempts now), and a test of one relay. Mail waits with its recipients; the relay each
 * recipient goes to is the route decided right now (the one its next attempt will use).
 *
 * <pre>
 * POST   /domains/{domain}/split-routing/relays/{relay}/test → 200 what a session with the relay under its policy did, step by step
 *                                                              (each wait at most 10 s, the whole test at most 30 s)
 * GET    /split-routing/queue                          → 200 per relay: mails waiting, oldest age, last error, next attempt
 * GET    /split-routing/queue/mails[?relay=host:port]  → 200 the waiting mails
 * POST   /split-routing/queue/retry[?relay=host:port]  → 200 {"retried":n}: due now (all, or those for one relay)
 * POST   /split-routing/queue/mails/{name}/retry       → 200 {"retried":1}, 404 when not waiting
 * DELETE /split-routing/queue/mails/{name}             → 200 {"removed":"name","bounced":[...]}: out of the queue, DSN to its sender
 * </pre>
 *
 * <p>On the memory flavour the relay queue is the engine's own: James 3.8.1's memory queue stops for good once its
 * own {@code GET /mailQueues/{queue}/mails} has listed it.</p>
 */
public class SplitRoutingRelayRoutes implements Routes {
    public static final String QUEUE_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/queue";
    public static final String MAILS_PATH = QUEUE_PATH + "/mails";
    public static final String RETRY_PATH = QUEUE_PATH + "/retry";
    private static final String NAME_PARAM = ":name";
    public static final String MAIL_PATH = MAILS_PATH + "/" + NAME_PARAM;
    public static final String MAIL_RETRY_PATH = MAIL_PATH + "/retry";
    private static final String DOMAIN_PARAM = ":domain";
    private static final String RELAY_PARAM = ":relay";
    public static final String RELAY_TEST_PATH = SplitRoutingPaths.DOMAINS + "/" + DOMAIN_PARAM + "/split-routing/relays/"
        + RELAY_PARAM + "/test";
    static final String REMOVED_REASON = "5.0.0 Removed from the split-domain relay queue by the mail administrator; not delivered";
    static final Duration RELAY_TEST_WAIT = Duration.ofSeconds(10);
    static final Duration RELAY_TEST_DEADLINE = Duration.ofSeconds(30);
    // Relay tests run here, so that a relay that trickles its answers holds the test, not the WebAdmin request.
    private static final ExecutorService RELAY_TESTS = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
        .setNameFormat("split-domain-relay-test-%d").setDaemon(true).build());

    private final RelayClient client;
    private final RelayQueue queue;
    private final SplitRoutingStore store;
    private final JsonTransformer jsonTransformer;
    private final Clock clock;

    @Inject
    public SplitRoutingRelayRoutes(RelayClient client, RelayQueue queue, SplitRoutingStore store, JsonTransformer jsonTransformer) {
        this(client, queue, store, jsonTransformer, Clock.systemUTC());
    }

    SplitRoutingRelayRoutes(RelayClient client, RelayQueue queue, SplitRoutingStore store, JsonTransformer jsonTransformer, Clock clock) {
        this.client = client;
        this.queue = queue;
        this.store = store;
        this.jsonTransformer = jsonTransformer;
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return QUEUE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(QUEUE_PATH, this::summary, jsonTransformer);
        service.get(MAILS_PATH, this::mails, jsonTransformer);
        service.post(RETRY_PATH, this::retry, jsonTransformer);
        service.post(MAIL_RETRY_PATH, this::retryMail, jsonTransformer);
        service.delete(MAIL_PATH, this::remove, jsonTransformer);
        service.post(RELAY_TEST_PATH, this::testRelay, jsonTransformer);
    }

    private Map<String, Object> testRelay(Request request, Response response) {
        Domain domain = RequestParsing.parseDomain(request.params(DOMAIN_PARAM));
        String address;
        try {
            address = RelayHost.parse(request.params(RELAY_PARAM)).asString();
        } catch (IllegalArgumentException e) {
            // The message names the relay already.
            throw badRequest(e.getMessage(), e);
        }
        RelayHost relay = store.domainRouting(domain)
            .flatMap(routing -> routing.getRelays().stream().filter(candidate -> candidate.asString().equals(address)).findFirst())
            .orElseThrow(() -> notFound("Relay " + address + " is not a relay of " + domain.asString()));
        RelayClient relayClient = running();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("relay", RelayDTO.from(relay));
        Future<RelayTester.Report> test = RELAY_TESTS.submit(() -> relayClient.test(relay, RELAY_TEST_WAIT));
        RelayTester.Report report;
        try {
            report = test.get(RELAY_TEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.put("result", "failed");
            answer.put("error", "the relay did not complete a session within " + RELAY_TEST_DEADLINE.toSeconds()
                + " s (each of its answers came within " + RELAY_TEST_WAIT.toSeconds() + " s)");
            answer.put("steps", ImmutableList.of());
            answer.put("dialogue", ImmutableList.of());
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw serverError("Interrupted while testing relay " + relay.asString(), e);
        } catch (ExecutionException e) {
            throw serverError("Cannot test relay " + relay.asString() + ": " + e.getCause().getMessage(), e);
        }
        answer.put("result", report.isOk() ? "ok" : "failed");
        report.getError().ifPresent(error -> answer.put("error", error));
        answer.put("steps", report.getSteps().stream()
            .map(step -> ImmutableMap.of("step", step.getStep(), "result", step.getResult(), "detail", step.getDetail()))
            .collect(ImmutableList.toImmutableList()));
        answer.put("dialogue", report.getDialogue());
        return answer;
    }

    private RelayClient running() {
        if (!client.isSetUp()) {
            throw notFound("No SplitRoutingRemoteDelivery mailet runs in this James: there is no split-domain relay queue");
        }
        return client;
    }

    private RelayQueue queue() {
        if (!queue.isSetUp()) {
            throw notFound("No SplitRoutingRemoteDelivery mailet runs in this James: there is no split-domain relay queue");
        }
        return queue;
    }

    private List<QueuedMail> waitingMails(RelayQueue queue) {
        try {
            return queue.mails();
        } catch (MessagingException e) {
            throw serverError("Cannot list the mail of " + queue.getQueueName() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> summary(Request request, Response response) {
        RelayQueue queue = queue();
        Instant now = clock.instant();
        List<QueuedMail> mails = waitingMails(queue);
        List<Map<String, Object>> relays = RelayBacklog.of(mails, queue::nextRelays).stream()
            .map(backlog -> relaySummary(backlog, now))
            .collect(ImmutableList.toImmutableList());
        return ImmutableMap.of("queue", queue.getQueueName(), "mails", mails.size(), "relays", relays);
    }

    private static Map<String, Object> relaySummary(RelayBacklog backlog, Instant now) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("relay", backlog.getRelay());
        summary.put("mails", backlog.getMails());
        summary.put("oldestSince", backlog.getOldestSince().toString());
        summary.put("oldestAgeSeconds", Duration.between(backlog.getOldestSince(), now).toSeconds());
        backlog.getLastError().ifPresent(error -> summary.put("lastError", error));
        summary.put("nextAttempt", backlog.getNextAttempt().toString());
        return summary;
    }

    private List<Map<String, Object>> mails(Request request, Response response) {
        RelayQueue queue = queue();
        Predicate<QueuedMail> selected = relaySelection(queue, request);
        return waitingMails(queue).stream()
            .filter(selected)
            .sorted(Comparator.comparing(QueuedMail::getSince))
            .map(mail -> describe(queue, mail))
            .collect(ImmutableList.toImmutableList());
    }

    private Map<String, Object> describe(RelayQueue queue, QueuedMail mail) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", mail.getName());
        description.put("sender", mail.getSender().asString());
        description.put("recipients", mail.getRecipients().stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()));
        description.put("relays", queue.nextRelays(mail));
        description.put("since", mail.getSince().toString());
        description.put("retries", mail.getRetries());
        mail.getLastError().ifPresent(error -> description.put("lastError", error));
        description.put("nextAttempt", mail.getNextAttempt().toString());
        return description;
    }

    private Map<String, Object> retry(Request request, Response response) {
        RelayQueue queue = queue();
        try {
            if (request.queryParams("relay") == null) {
                return ImmutableMap.of("retried", queue.retryAll());
            }
            return ImmutableMap.of("retried", queue.retry(relaySelection(queue, request)));
        } catch (MessagingException e) {
            throw serverError("Cannot retry the mail of " + queue.getQueueName() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> retryMail(Request request, Response response) {
        RelayQueue queue = queue();
        String name = request.params(NAME_PARAM);
        try {
            if (!queue.retryMail(name)) {
                throw notWaiting(queue, name);
            }
            return ImmutableMap.of("retried", 1);
        } catch (MessagingException e) {
            throw serverError("Cannot retry mail " + name + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> remove(Request request, Response response) {
        RelayQueue queue = queue();
        String name = request.params(NAME_PARAM);
        try {
            List<MailAddress> bounced = queue.removeWithDsn(name, REMOVED_REASON)
                .orElseThrow(() -> notWaiting(queue, name));
            return ImmutableMap.of("removed", name,
                "bounced", bounced.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()));
        } catch (MessagingException e) {
            throw serverError("Cannot remove mail " + name + ": " + e.getMessage(), e);
        }
    }

    private static spark.HaltException notWaiting(RelayQueue queue, String name) {
        return notFound("Mail '" + name + "' is not waiting in " + queue.getQueueName() + " (delivered, removed, or being delivered right now)");
    }

    private static Predicate<QueuedMail> relaySelection(RelayQueue queue, Request request) {
        if (request.queryParams("relay") == null) {
            return mail -> true;
        }
        String relay = relayParameter(request).asString();
        return mail -> queue.nextRelays(mail).contains(relay);
    }

    private static RelayHost relayParameter(Request request) {
        try {
            return RelayHost.parse(request.queryParams("relay"));
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'relay' parameter: " + e.getMessage(), e);
        }
    }
}
