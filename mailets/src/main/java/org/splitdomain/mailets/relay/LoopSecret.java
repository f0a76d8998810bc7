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
package org.splitdomain.mailets.relay;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.filesystem.api.FileSystem;

/**
 * The secret that signs our loop marks: {@code loopSecret} itself, or the content of {@code loopSecretFile} (a file an
 * installation makes once, such as docker-compose's make-keys.sh, so that no secret ships in a configuration file and
 * every node of one server reads the same). Empty when neither is given: a secret of this process only is used then.
 */
public final class LoopSecret {
    static final int MINIMUM_LENGTH = 16;

    private LoopSecret() {
    }

    public static Optional<String> read(RelayDeliveryConfiguration configuration, FileSystem fileSystem, String mailetName)
            throws MessagingException {
        if (configuration.getLoopSecretFile().isEmpty()) {
            return configuration.getLoopSecret();
        }
        String path = configuration.getLoopSecretFile().get();
        String secret;
        try {
            File file = fileSystem.getFile(path);
            secret = Files.readString(file.toPath(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new MessagingException(mailetName + ": '" + RelayDeliveryConfiguration.LOOP_SECRET_FILE + "' " + path
                + " cannot be read (" + e.getMessage() + "); make it once, the same file for every node of this server: "
                + "openssl rand -base64 32 > conf/" + new File(path).getName(), e);
        }
        if (secret.length() < MINIMUM_LENGTH) {
            throw new MessagingException(mailetName + ": '" + RelayDeliveryConfiguration.LOOP_SECRET_FILE + "' " + path
                + " must hold at least " + MINIMUM_LENGTH + " characters, it holds " + secret.length());
        }
        return Optional.of(secret);
    }

    /** Whether loop marks are signed with a configured secret, rather than one of this process only. */
    public static boolean isConfigured(RelayDeliveryConfiguration configuration) {
        return configuration.getLoopSecret().isPresent() || configuration.getLoopSecretFile().isPresent();
    }
}
