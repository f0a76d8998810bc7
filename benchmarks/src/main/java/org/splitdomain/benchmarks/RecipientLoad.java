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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * smtp-source for mails with several recipients in several domains, which smtp-source cannot write: {@code sessions} SMTP
 * sessions in parallel send {@code mails} mails of about {@code size} bytes with {@code recipients} recipients each.
 * Recipient {@code r} of mail {@code m} is the template {@code to} with {@code {mail}}, {@code {rcpt}}, {@code {relay}}
 * (mail {@code m}'s recipients spread over {@code relays} domains: {@code (m * recipients + r) mod relays}) and
 * {@code {user}} (a random number below {@code users}) filled in. Every reply must be a success; prints when the first mail
 * left ({@code start_epoch=}, seconds) and {@code sent=N}.
 *
 * <pre>java ... RecipientLoad host=127.0.0.1 port=2525 sessions=10 mails=500 recipients=10 relays=5 users=1 size=2048 \
 *     to='m{mail}r{rcpt}@d{relay}.example'</pre>
 */
public final class RecipientLoad {
    private final String host;
    private final int port;
    private final int sessions;
    private final int mails;
    private final int recipients;
    private final int relays;
    private final int users;
    private final String to;
    private final byte[] body;

    private RecipientLoad(Map<String, String> arguments) {
        this.host = arguments.getOrDefault("host", "127.0.0.1");
        this.port = Integer.parseInt(required(arguments, "port"));
        this.sessions = Integer.parseInt(arguments.getOrDefault("sessions", "10"));
        this.mails = Integer.parseInt(required(arguments, "mails"));
        this.recipients = Integer.parseInt(arguments.getOrDefault("recipients", "1"));
        this.relays = Integer.parseInt(arguments.getOrDefault("relays", "1"));
        this.users = Integer.parseInt(arguments.getOrDefault("users", "1"));
        this.to = required(arguments, "to");
        this.body = body(Integer.parseInt(arguments.getOrDefault("size", "2048")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String argument : args) {
            String[] pair = argument.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("arguments are key=value, got '" + argument + "'");
            }
            arguments.put(pair[0], pair[1]);
        }
        RecipientLoad load = new RecipientLoad(arguments);
        // When the first mail leaves, not when this JVM started: what run.sh times from.
        System.out.printf(java.util.Locale.ROOT, "start_epoch=%.3f%n", System.currentTimeMillis() / 1000.0);
        System.out.println("sent=" + load.send());
    }

    private static String required(Map<String, String> arguments, String key) {
        String value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return value;
    }

    // Lines of 78 characters, as smtp-source writes them.
    private static byte[] body(int size) {
        StringBuilder text = new StringBuilder();
        for (int line = 1; text.length() < size; line++) {
            String number = String.valueOf(line);
            text.append(number).append("X".repeat(Math.max(0, 78 - number.length()))).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private int send() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int session = 0; session < sessions; session++) {
                int first = session;
                sent.add(clients.submit(() -> session(first)));
            }
            int total = 0;
            for (Future<Integer> count : sent) {
                total += count.get();
            }
            return total;
        } finally {
            clients.shutdownNow();
        }
    }

    // Mails first, first + sessions, first + 2 * sessions... over one connection.
    private int session(int first) throws IOException {
        int sent = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(120_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "2");
            command(out, in, "EHLO load.example", "2");
            for (int mail = first; mail < mails; mail += sessions) {
                command(out, in, "MAIL FROM:<sender@external.org>", "2");
                String firstRecipient = null;
                for (int rcpt = 0; rcpt < recipients; rcpt++) {
                    String recipient = recipient(mail, rcpt);
                    firstRecipient = firstRecipient == null ? recipient : firstRecipient;
                    command(out, in, "RCPT TO:<" + recipient + ">", "2");
                }
                command(out, in, "DATA", "3");
                out.write(("From: <sender@external.org>\r\nTo: <" + firstRecipient + ">\r\nSubject: load " + mail
                    + "\r\nMessage-ID: <load." + mail + "." + System.nanoTime() + "@load.example>\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                command(out, in, ".", "2");
                sent++;
            }
            command(out, in, "QUIT", "2");
        }
        return sent;
    }

    private String recipient(int mail, int rcpt) {
        return to.replace("{mail}", String.valueOf(mail))
            .replace("{rcpt}", String.valueOf(rcpt))
            .replace("{relay}", String.valueOf(Math.floorMod(mail * recipients + rcpt, relays)))
            .replace("{user}", String.valueOf(ThreadLocalRandom.current().nextInt(users)));
    }

    private static void command(OutputStream out, BufferedReader in, String command, String expected) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = expect(in, expected);
        if (reply == null) {
            throw new IOException(command + ": no reply");
        }
    }

    // The last line of a (possibly multi-line) reply, which must start with the expected digit.
    private static String expect(BufferedReader in, String expected) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        if (line == null || !line.startsWith(expected)) {
            throw new IOException("expected " + expected + "xx, got '" + line + "'");
        }
        return line;
    }
}
