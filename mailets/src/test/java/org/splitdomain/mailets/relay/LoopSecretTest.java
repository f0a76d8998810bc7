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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.mail.MessagingException;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopSecretTest {
    @TempDir
    Path conf;

    // James's file system for a configuration directory: file://conf/x is conf/x.
    private FileSystem fileSystem() {
        return new FileSystem() {
            @Override
            public InputStream getResource(String url) {
                throw new UnsupportedOperationException();
            }

            @Override
            public File getFile(String fileURL) throws FileNotFoundException {
                return conf.resolve(fileURL.substring("file://conf/".length())).toFile();
            }

            @Override
            public File getBasedir() {
                return conf.toFile();
            }
        };
    }

    private static RelayDeliveryConfiguration configuration(String name, String value) throws MessagingException {
        return RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("SplitRoutingRemoteDelivery").setProperty(name, value).build());
    }

    @Test
    void readShouldGiveTheSecretOfTheFileTrimmed() throws Exception {
        Files.writeString(conf.resolve("split-domain-loop.secret"), "  sixteen-characters-at-least \n");

        assertThat(LoopSecret.read(configuration("loopSecretFile", "file://conf/split-domain-loop.secret"), fileSystem(), "SplitRoutingRemoteDelivery"))
            .contains("sixteen-characters-at-least");
    }

    @Test
    void readShouldGiveTheSecretOfTheParameter() throws Exception {
        assertThat(LoopSecret.read(configuration("loopSecret", "sixteen-characters-at-least"), fileSystem(), "SplitRoutingRemoteDelivery"))
            .contains("sixteen-characters-at-least");
    }

    @Test
    void readShouldRefuseAMissingFileNamingItAndHowToMakeIt() {
        assertThatThrownBy(() -> LoopSecret.read(configuration("loopSecretFile", "file://conf/split-domain-loop.secret"), fileSystem(),
                "SplitRoutingRemoteDelivery"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitRoutingRemoteDelivery: 'loopSecretFile' file://conf/split-domain-loop.secret cannot be read")
            .hasMessageEndingWith("make it once, the same file for every node of this server: openssl rand -base64 32 > conf/split-domain-loop.secret");
    }

    @Test
    void readShouldRefuseAShortSecret() throws Exception {
        Files.writeString(conf.resolve("split-domain-loop.secret"), "short\n");

        assertThatThrownBy(() -> LoopSecret.read(configuration("loopSecretFile", "file://conf/split-domain-loop.secret"), fileSystem(),
                "SplitRoutingRemoteDelivery"))
            .hasMessage("SplitRoutingRemoteDelivery: 'loopSecretFile' file://conf/split-domain-loop.secret must hold at least 16 characters, it holds 5");
    }

    @Test
    void bothParametersShouldBeRefused() {
        assertThatThrownBy(() -> RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("SplitRoutingRemoteDelivery")
                .setProperty("loopSecret", "sixteen-characters-at-least")
                .setProperty("loopSecretFile", "file://conf/split-domain-loop.secret")
                .build()))
            .hasMessage("SplitRoutingRemoteDelivery: give 'loopSecret' or 'loopSecretFile', not both");
    }

    @Test
    void isConfiguredShouldTellWhetherEitherIsGiven() throws Exception {
        assertThat(LoopSecret.isConfigured(configuration("loopSecretFile", "file://conf/x"))).isTrue();
        assertThat(LoopSecret.isConfigured(configuration("loopSecret", "sixteen-characters-at-least"))).isTrue();
        assertThat(LoopSecret.isConfigured(RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("m").build()))).isFalse();
    }
}
