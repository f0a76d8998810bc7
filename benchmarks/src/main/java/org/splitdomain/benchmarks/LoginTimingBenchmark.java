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
package org.splitdomain.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.commons.net.imap.IMAPSClient;
import org.apache.commons.net.pop3.POP3Client;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;

/**
 * What a refused login costs beside a wrong password, per protocol, as an outside client times it: a local user with a
 * wrong password, a third-party user with a wrong password, and a third-party user with its right password, interleaved
 * try by try on the same connections (only the login exchange is timed: connecting and STARTTLS are not; Nagle is off,
 * or the client's delayed segments would hide a hash behind 40 ms of TCP). Prints
 * medians in milliseconds and the ratio of each refusal to the wrong password, as {@code key=value} lines.
 *
 * <pre>
 * LoginTimingBenchmark host submissionPort imapPort pop3Port jmapPort localUser thirdPartyUser password tries
 * </pre>
 */
public final class LoginTimingBenchmark {
    private enum Kind {
        LOCAL_WRONG_PASSWORD("local_wrong"),
        THIRD_PARTY_WRONG_PASSWORD("third_party_wrong"),
        THIRD_PARTY_RIGHT_PASSWORD("third_party_right");

        private final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    @FunctionalInterface
    private interface Login {
        /** One login attempt, timed in milliseconds; it must be refused. */
        double attempt(String user, String password) throws Exception;
    }

    private final String localUser;
    private final String thirdPartyUser;
    private final String password;
    private final int tries;

    private LoginTimingBenchmark(String localUser, String thirdPartyUser, String password, int tries) {
        this.localUser = localUser;
        this.thirdPartyUser = thirdPartyUser;
        this.password = password;
        this.tries = tries;
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        LoginTimingBenchmark benchmark = new LoginTimingBenchmark(args[5], args[6], args[7], Integer.parseInt(args[8]));
        benchmark.measure("smtp", new SmtpAuth(host, Integer.parseInt(args[1])));
        benchmark.measure("imap", new ImapLogin(host, Integer.parseInt(args[2])));
        benchmark.measure("pop3", new Pop3Login(host, Integer.parseInt(args[3])));
        benchmark.measure("jmap", new JmapBasic(host, Integer.parseInt(args[4])));
    }

    private void measure(String protocol, Login login) throws Exception {
        run(login, tries / 5);
        Map<Kind, List<Double>> times = run(login, tries);
        double wrongPassword = median(times.get(Kind.LOCAL_WRONG_PASSWORD));
        for (Kind kind : Kind.values()) {
            double median = median(times.get(kind));
            System.out.printf("%s_%s_median_ms=%.3f%n", protocol, kind.key, median);
            System.out.printf("%s_%s_ratio=%.2f%n", protocol, kind.key, median / wrongPassword);
        }
    }

    private Map<Kind, List<Double>> run(Login login, int count) throws Exception {
        Map<Kind, List<Double>> times = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            times.put(kind, new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            times.get(Kind.LOCAL_WRONG_PASSWORD).add(login.attempt(localUser, "wrong-" + i));
            times.get(Kind.THIRD_PARTY_WRONG_PASSWORD).add(login.attempt(thirdPartyUser, "wrong-" + i));
            times.get(Kind.THIRD_PARTY_RIGHT_PASSWORD).add(login.attempt(thirdPartyUser, password));
        }
        return times;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @FunctionalInterface
    private interface Exchange {
        /** Whether the server accepted the login. */
        boolean accepted() throws Exception;
    }

    /** Milliseconds the exchange took; it must have been refused. */
    private static double timedRefusal(String what, Exchange exchange) throws Exception {
        long start = System.nanoTime();
        boolean accepted = exchange.accepted();
        double took = (System.nanoTime() - start) / 1_000_000.0;
        if (accepted) {
            throw new IllegalStateException(what + " was accepted: the benchmark times refusals only");
        }
        return took;
    }

    // The benchmark's James has the launcher's throwaway certificate.
    private static final TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** SMTP AUTH PLAIN on submission, over STARTTLS as james-conf requires; one connection for every try. */
    private static final class SmtpAuth implements Login {
        private final String host;
        private final int port;
        private AuthenticatingSMTPClient client;

        SmtpAuth(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public double attempt(String user, String password) throws Exception {
            if (client == null || !client.isConnected()) {
                client = new AuthenticatingSMTPClient();
                client.setTrustManager(TRUST_ALL);
                client.connect(host, port);
                client.setTcpNoDelay(true);
                client.ehlo("bench.example");
                client.execTLS();
                client.setTcpNoDelay(true);
                client.ehlo("bench.example");
            }
            return timedRefusal("SMTP AUTH of " + user, () -> client.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, user, password));
        }
    }

    /** IMAP LOGIN over STARTTLS; James ends a session after three failures, so each connection serves two tries. */
    private static final class ImapLogin implements Login {
        private final String host;
        private final int port;
        private IMAPSClient client;
        private int triesOnConnection;

        ImapLogin(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public double attempt(String user, String password) throws Exception {
            if (client == null || triesOnConnection == 2 || !client.isConnected()) {
                if (client != null) {
                    client.disconnect();
                }
                client = new IMAPSClient(false);
                client.setTrustManager(TRUST_ALL);
                client.connect(host, port);
                client.setTcpNoDelay(true);
                client.execTLS();
                client.setTcpNoDelay(true);
                triesOnConnection = 0;
            }
            triesOnConnection++;
            return timedRefusal("IMAP LOGIN of " + user, () -> client.login(user, password));
        }
    }

    /** POP3 USER and PASS (POP3 has no STARTTLS in james-conf); a new connection whenever James ends one. */
    private static final class Pop3Login implements Login {
        private final String host;
        private final int port;
        private POP3Client client;

        Pop3Login(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public double attempt(String user, String password) throws Exception {
            if (client == null || !client.isConnected()) {
                client = new POP3Client();
                client.connect(host, port);
                client.setTcpNoDelay(true);
            }
            return timedRefusal("POP3 login of " + user, () -> client.login(user, password));
        }
    }

    /** JMAP's session resource with HTTP Basic (James's JMAP server speaks plain HTTP), over one kept-alive connection. */
    private static final class JmapBasic implements Login {
        private final URI session;
        private final HttpClient http;

        JmapBasic(String host, int port) {
            this.session = URI.create("http://" + host + ":" + port + "/jmap/session");
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        }

        @Override
        public double attempt(String user, String password) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(session)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json; jmapVersion=rfc-8621")
                .GET()
                .build();
            return timedRefusal("JMAP Basic of " + user, () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 401);
        }
    }
}
