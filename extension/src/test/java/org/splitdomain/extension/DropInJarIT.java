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
package org.splitdomain.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The jar an operator drops into James's extensions-jars folder, and the files that name its classes. */
class DropInJarIT {
    private static final Path JAR = Paths.get(System.getProperty("extension.jar"));
    private static final Path ROOT = Paths.get(System.getProperty("repository.root")).toAbsolutePath().normalize();
    private static final Pattern OUR_CLASS = Pattern.compile("org\\.splitdomain\\.[A-Za-z0-9_.]+[A-Za-z0-9_]");

    @Test
    void jarShouldContainOurClassesAndNoneOfJamesGuiceJakartaMailOrSlf4j() throws IOException {
        Set<String> entries = entries();

        assertThat(entries).filteredOn(name -> name.endsWith(".class"))
            .isNotEmpty()
            .allMatch(name -> name.startsWith("org/splitdomain/"), "only org/splitdomain classes");
        assertThat(entries).contains(
            "org/splitdomain/matchers/IsThirdPartyRecipient.class",
            "org/splitdomain/matchers/IsUnknownLocalRecipient.class",
            "org/splitdomain/mailets/SplitRoutingRemoteDelivery.class",
            "org/splitdomain/smtp/SplitRoutingRcptHandler.class",
            "org/splitdomain/guice/MemorySplitRoutingModule.class",
            "org/splitdomain/webadmin/DomainSplitRoutingRoutes.class");
    }

    @Test
    void everyClassNamedInJamesConfShouldBeInTheJar() throws IOException {
        Set<String> entries = entries();
        Set<String> referenced;
        try (Stream<Path> files = Files.walk(ROOT.resolve("james-conf"))) {
            referenced = files.filter(Files::isRegularFile)
                .flatMap(DropInJarIT::classNames)
                .collect(Collectors.toSet());
        }

        assertThat(referenced).contains("org.splitdomain.matchers.IsThirdPartyRecipient",
            "org.splitdomain.smtp.SplitRoutingRcptHandler", "org.splitdomain.guice.MemorySplitRoutingModule",
            "org.splitdomain.guice.JpaSplitRoutingModule", "org.splitdomain.guice.CassandraSplitRoutingModule");
        assertThat(referenced).allSatisfy(className ->
            assertThat(entries).contains(className.replace('.', '/') + ".class"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void dockerComposeShouldMountExistingFilesIntoOfficialJamesImagesOfOurJamesLine(@TempDir Path keys) throws Exception {
        Set<String> madeByKeyScript = madeByKeyScript(keys);
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        assertThat(services).containsKeys("master", "slave");
        for (String role : List.of("master", "slave")) {
            Map<String, Object> service = services.get(role);
            assertThat(service.get("image")).isEqualTo("apache/james:memory-" + System.getProperty("james.version"));
            List<String> volumes = (List<String>) service.get("volumes");
            assertThat(volumes).anyMatch(volume -> volume.contains(":/root/extensions-jars/"));
            assertThat(volumes).anyMatch(volume -> volume.contains(":/root/conf"));
            assertThat(volumes).as("WebAdmin's public key in %s", role).contains("./james-conf/docker/webadmin-jwt-public.pem:/root/webadmin-jwt-public.pem:ro");
        }
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (String volume : (List<String>) service.getValue().getOrDefault("volumes", List.of())) {
                Path hostPath = ROOT.resolve(volume.split(":")[0]).normalize();
                // The WebAdmin key and token, and the TLS keystore, are made on each machine (README, "docker-compose").
                boolean madeOnTheMachine = madeByKeyScript.contains(ROOT.relativize(hostPath).toString());
                assertThat(Files.exists(hostPath) || madeOnTheMachine).as("mounted in %s: %s", service.getKey(), volume).isTrue();
            }
        }
    }

    /** What make-keys.sh writes, as paths in the repository: run here into a scratch directory, named as by default. */
    private static Set<String> madeByKeyScript(Path directory) throws Exception {
        Path keystore = directory.resolve("keystore");
        Path loopSecret = directory.resolve("split-domain-loop.secret");
        Process script = new ProcessBuilder("sh", ROOT.resolve("james-conf/docker/make-keys.sh").toString(), directory.toString(), keystore.toString(),
                loopSecret.toString())
            .redirectErrorStream(true).start();
        assertThat(script.waitFor()).as(new String(script.getInputStream().readAllBytes())).isZero();
        assertThat(keystore).exists();
        assertThat(loopSecret).exists();
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.equals(keystore) ? "james-conf/keystore"
                    : file.equals(loopSecret) ? "james-conf/split-domain-loop.secret"
                    : "james-conf/docker/" + file.getFileName())
                .collect(Collectors.toSet());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyJamesOfDockerComposeShouldReadTheLoopSecretOfItsRoleMadeByTheKeyScript(@TempDir Path keys) throws Exception {
        Set<String> madeByKeyScript = madeByKeyScript(keys);
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, String> secrets = new java.util.TreeMap<>();
        for (String james : List.of("master", "master-node-1", "master-node-2", "slave")) {
            List<String> volumes = (List<String>) services.get(james).get("volumes");
            String mailetContainer = mountedAt(volumes, "/root/conf/mailetcontainer.xml");
            assertThat(Files.readString(ROOT.resolve(mailetContainer)))
                .as("%s's mailetcontainer.xml", james).contains("<loopSecretFile>file://conf/split-domain-loop.secret</loopSecretFile>");
            secrets.put(james, mountedAt(volumes, "/root/conf/split-domain-loop.secret"));
        }

        assertThat(secrets).containsEntry("master", "james-conf/split-domain-loop.secret")
            .containsEntry("master-node-1", "james-conf/split-domain-loop.secret")
            .containsEntry("master-node-2", "james-conf/split-domain-loop.secret")
            .containsEntry("slave", "james-conf/docker/slave-loop.secret");
        assertThat(madeByKeyScript).containsAll(secrets.values());
    }

    /** The file of the repository a service sees at {@code target}: mounted itself, or inside a mounted folder. */
    private static String mountedAt(List<String> volumes, String target) {
        String best = null;
        String bestTarget = "";
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            if ((target.equals(parts[1]) || target.startsWith(parts[1] + "/")) && parts[1].length() > bestTarget.length()) {
                best = ROOT.relativize(ROOT.resolve(parts[0]).resolve(target.substring(parts[1].length()).replaceFirst("^/", "")).normalize()).toString();
                bestTarget = parts[1];
            }
        }
        assertThat(best).as("a volume for %s in %s", target, volumes).isNotNull();
        return best;
    }

    @Test
    @SuppressWarnings("unchecked")
    void dockerComposeDistributedProfileShouldRunTwoDistributedNodesWithOurStoreModule() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        for (String node : List.of("master-node-1", "master-node-2")) {
            Map<String, Object> service = services.get(node);
            assertThat(service.get("image")).isEqualTo("apache/james:distributed-" + System.getProperty("james.version"));
            assertThat((List<String>) service.get("profiles")).containsExactly("distributed");
            assertThat((List<String>) service.get("volumes"))
                .anyMatch(volume -> volume.contains(":/root/extensions-jars/"))
                .contains("./james-conf/flavours/distributed/extensions.properties:/root/conf/extensions.properties:ro",
                    "./james-conf/flavours/distributed/mailetcontainer.xml:/root/conf/mailetcontainer.xml:ro");
            assertThat((Map<String, Map<String, String>>) service.get("depends_on"))
                .containsKeys("cassandra-init", "rabbitmq", "opensearch", "s3")
                .containsEntry("cassandra-init", Map.of("condition", "service_completed_successfully"));
        }
        assertThat(services).containsKeys("cassandra", "cassandra-init", "rabbitmq", "opensearch", "s3", "tika", "provision-distributed");
        assertThat(services.get("cassandra-init").get("image")).isEqualTo(services.get("cassandra").get("image"));
        assertThat(services.get("cassandra").get("image"))
            .as("the Cassandra our store's tests run")
            .isEqualTo("cassandra:" + System.getProperty("cassandra.test.version"));
    }

    @Test
    void theDistributedMailetContainerShouldDifferFromTheMemoryOneOnlyByItsMailRepositories() throws IOException {
        String memory = Files.readString(ROOT.resolve("james-conf/mailetcontainer.xml"));

        assertThat(Files.readString(ROOT.resolve("james-conf/flavours/distributed/mailetcontainer.xml")).replace("cassandra://", "memory://"))
            .isEqualTo(memory);
    }

    @Test
    void theJpaMailetContainerShouldHaveTheJpaImageStructureAndNameNothingOfJmap() throws IOException {
        String jpa = Files.readString(ROOT.resolve("james-conf/flavours/jpa/mailetcontainer.xml"));

        // The JPA server has no JMAP: James refuses to start on a matcher or mailet it cannot load (DropInJpaDeploymentTest).
        assertThat(jpa).doesNotContain("org.apache.james.jmap").doesNotContain("memory://").doesNotContain("state=\"local-delivery\"")
            .contains("<mailet match=\"RecipientIsLocal\" class=\"LocalDelivery\"/>");
    }

    private static Stream<String> classNames(Path file) {
        try {
            Matcher matcher = OUR_CLASS.matcher(Files.readString(file));
            Stream.Builder<String> names = Stream.builder();
            while (matcher.find()) {
                names.add(matcher.group());
            }
            return names.build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> entries() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
    }
}
