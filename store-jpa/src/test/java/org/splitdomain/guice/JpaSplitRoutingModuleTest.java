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
package org.splitdomain.guice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;

/**
 * The module as James's JPA flavour runs it: its classes read by a class loader over
 * {@code extensions-jars}, a child of the one that loaded James, OpenJPA and the thread's context
 * class loader, none of which can see them; installed in a child injector of James's; on the
 * database that {@code james-database.properties} names.
 *
 * <p>Surefire's {@code extension-class-loader} execution runs this test with this module's classes
 * off the class path and their directory in {@value #EXTENSION_CLASSES}.</p>
 */
class JpaSplitRoutingModuleTest {
    static final String EXTENSION_CLASSES = "split-domain.extension-classes";
    private static final String MODULE = "org.splitdomain.guice.JpaSplitRoutingModule";
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final Username BOB = Username.of("bob@example.com");
    private static final DomainRouting TO_PARTNER = DomainRouting.of(List.of(RelayHost.parse("mx2.example.com"), RelayHost.parse("mx3.example.com:2525")), true);

    @TempDir
    Path jamesHome;

    private String databaseUrl;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(System.getProperty(EXTENSION_CLASSES) != null && !visibleToJames(MODULE),
            "runs in surefire's extension-class-loader execution only, where James's class loader cannot see " + MODULE);
        databaseUrl = "jdbc:derby:" + jamesHome.resolve("var/store/derby");
        Files.createDirectories(jamesHome.resolve("conf"));
        // As in James's sample configuration, openjpa.streaming included.
        Files.writeString(jamesHome.resolve("conf/james-database.properties"), String.join("\n",
            "database.driverClassName=org.apache.derby.jdbc.EmbeddedDriver",
            "database.url=" + databaseUrl + ";create=true",
            "database.username=app",
            "database.password=app",
            "vendorAdapter.database=DERBY",
            "openjpa.streaming=false",
            ""));
    }

    @AfterEach
    void tearDown() {
        if (databaseUrl == null) {
            return;
        }
        try {
            DriverManager.getConnection(databaseUrl + ";shutdown=true").close();
        } catch (SQLException expected) {
            // Derby reports a successful shutdown as an SQLException.
        }
    }

    @Test
    void storeShouldKeepSettingsInJamesDatabaseWhenLoadedFromAnExtensionJar() throws Exception {
        Injector james = Guice.createInjector(binder -> binder.bind(PropertiesProvider.class).toInstance(propertiesProvider()));

        try (URLClassLoader extensionsJars = new URLClassLoader(new URL[] {Path.of(System.getProperty(EXTENSION_CLASSES)).toUri().toURL()},
                JpaSplitRoutingModuleTest.class.getClassLoader())) {
            Module module = (Module) extensionsJars.loadClass(MODULE).getConstructor().newInstance();
            Injector extensions = james.createChildInjector(module);

            SplitRoutingStore routing = extensions.getInstance(SplitRoutingStore.class);
            SharedSplitRoutingStore database = extensions.getInstance(SharedSplitRoutingStore.class);
            try {
                long generationAtStart = database.generation();

                routing.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
                routing.storeUserRouting(BOB, UserRouting.thirdParty(List.of(new MailAddress("bob@example.com"))));

                assertThat(routing).isInstanceOf(CachedSplitRoutingStore.class);
                assertThat(database.getClass().getClassLoader()).isSameAs(extensionsJars);
                assertThat(database.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM).containsEntry(EXAMPLE_COM, TO_PARTNER);
                assertThat(database.listUserRoutings())
                    .containsOnlyKeys(BOB)
                    .containsEntry(BOB, UserRouting.thirdParty(List.of(new MailAddress("bob@example.com"))));
                assertThat(database.generation()).isNotEqualTo(generationAtStart);
            } finally {
                ((AutoCloseable) routing).close();
                ((AutoCloseable) database).close();
            }
        }
    }

    private PropertiesProvider propertiesProvider() {
        Configuration.Basic configuration = Configuration.builder()
            .workingDirectory(jamesHome.toFile())
            .build();
        return new PropertiesProvider(new FileSystemImpl(configuration.directories()), configuration.configurationPath());
    }

    private static boolean visibleToJames(String className) {
        try {
            Class.forName(className, false, JpaSplitRoutingModuleTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
