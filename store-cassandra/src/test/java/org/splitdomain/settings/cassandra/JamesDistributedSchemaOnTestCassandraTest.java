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
package org.splitdomain.settings.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.commons.lang3.tuple.Pair;
import org.apache.james.backends.cassandra.components.CassandraModule;
import org.apache.james.backends.cassandra.components.CassandraTable;
import org.apache.james.backends.cassandra.components.CassandraType;
import org.apache.james.backends.cassandra.init.CassandraTableManager;
import org.apache.james.backends.cassandra.init.CassandraTypesCreator;
import org.apache.james.backends.cassandra.init.CassandraTypesProvider;
import org.apache.james.backends.cassandra.init.CassandraZonedDateTimeModule;
import org.apache.james.backends.cassandra.versions.CassandraSchemaVersionDAO;
import org.apache.james.backends.cassandra.versions.CassandraSchemaVersionManager;
import org.apache.james.backends.cassandra.versions.CassandraSchemaVersionModule;
import org.apache.james.blob.api.BlobId;
import org.apache.james.blob.api.BlobStore;
import org.apache.james.blob.cassandra.BlobTables;
import org.apache.james.blob.cassandra.CassandraBlobModule;
import org.apache.james.blob.cassandra.CassandraBlobStoreFactory;
import org.apache.james.blob.cassandra.cache.CassandraBlobCacheModule;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.domainlist.cassandra.CassandraDomainList;
import org.apache.james.domainlist.cassandra.CassandraDomainListModule;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.eventsourcing.eventstore.cassandra.CassandraEventStoreModule;
import org.apache.james.jmap.cassandra.access.CassandraAccessModule;
import org.apache.james.jmap.cassandra.change.CassandraEmailChangeModule;
import org.apache.james.jmap.cassandra.change.CassandraMailboxChangeModule;
import org.apache.james.jmap.cassandra.filtering.CassandraFilteringProjectionModule;
import org.apache.james.jmap.cassandra.identity.CassandraCustomIdentityModule;
import org.apache.james.jmap.cassandra.projections.CassandraEmailQueryViewModule;
import org.apache.james.jmap.cassandra.projections.CassandraMessageFastViewProjectionModule;
import org.apache.james.jmap.cassandra.projections.table.CassandraMessageFastViewProjectionTable;
import org.apache.james.jmap.cassandra.pushsubscription.CassandraPushSubscriptionModule;
import org.apache.james.jmap.cassandra.upload.UploadModule;
import org.apache.james.mailbox.cassandra.ids.CassandraId;
import org.apache.james.mailbox.cassandra.mail.CassandraMailboxDAO;
import org.apache.james.mailbox.cassandra.modules.CassandraAclModule;
import org.apache.james.mailbox.cassandra.modules.CassandraAnnotationModule;
import org.apache.james.mailbox.cassandra.modules.CassandraApplicableFlagsModule;
import org.apache.james.mailbox.cassandra.modules.CassandraAttachmentModule;
import org.apache.james.mailbox.cassandra.modules.CassandraDeletedMessageModule;
import org.apache.james.mailbox.cassandra.modules.CassandraFirstUnseenModule;
import org.apache.james.mailbox.cassandra.modules.CassandraMailboxCounterModule;
import org.apache.james.mailbox.cassandra.modules.CassandraMailboxModule;
import org.apache.james.mailbox.cassandra.modules.CassandraMailboxRecentsModule;
import org.apache.james.mailbox.cassandra.modules.CassandraMessageModule;
import org.apache.james.mailbox.cassandra.modules.CassandraModSeqModule;
import org.apache.james.mailbox.cassandra.modules.CassandraQuotaModule;
import org.apache.james.mailbox.cassandra.modules.CassandraSubscriptionModule;
import org.apache.james.mailbox.cassandra.modules.CassandraThreadModule;
import org.apache.james.mailbox.cassandra.modules.CassandraUidModule;
import org.apache.james.mailbox.cassandra.quota.CassandraCurrentQuotaManager;
import org.apache.james.mailbox.cassandra.table.CassandraMailboxTable;
import org.apache.james.mailbox.cassandra.table.MessageIdToImapUid;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailrepository.cassandra.CassandraMailRepositoryModule;
import org.apache.james.mailrepository.cassandra.CassandraMailRepositoryUrlModule;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.rabbitmq.view.cassandra.CassandraMailQueueViewModule;
import org.apache.james.rrt.cassandra.CassandraMappingsSourcesDAO;
import org.apache.james.rrt.cassandra.CassandraRRTModule;
import org.apache.james.rrt.cassandra.CassandraRecipientRewriteTableDAO;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.sieve.cassandra.CassandraSieveRepositoryModule;
import org.apache.james.task.eventsourcing.cassandra.CassandraTaskExecutionDetailsProjectionModule;
import org.apache.james.user.cassandra.CassandraUsersDAO;
import org.apache.james.user.cassandra.CassandraUsersRepositoryModule;
import org.apache.james.vacation.cassandra.CassandraNotificationRegistryModule;
import org.apache.james.vacation.cassandra.CassandraVacationModule;
import org.apache.james.vault.metadata.DeletedMessageMetadataModule;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;

import reactor.core.publisher.Mono;

/**
 * James 3.8.1's own distributed-flavour schema and DAOs on the Cassandra line our docker-compose
 * deploys (5.0): James's authors tested 3.8.1 on Cassandra 3.11 only, and no Java here runs 3.11.
 *
 * <p>The schema is created the way James does at start-up (SessionWithInitializedTablesFactory):
 * the user-defined types of the aggregated modules first, then their tables. Cassandra 5.0 refuses
 * four of those tables as James writes them; the test records which, and why, then creates them
 * with the option Cassandra 5.0 accepts, to show that James's DAOs work on the result. The DAOs
 * are James's own, built as James's tests build them.</p>
 */
class JamesDistributedSchemaOnTestCassandraTest {
    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    /**
     * Every CassandraModule that CassandraRabbitMQJamesServerMain binds (tag james-project-3.8.1),
     * grouped by the Guice module that binds it. The deleted messages vault and the blob cache are
     * optional in James (deletedMessageVault.properties, blob.properties: both off in its sample
     * configuration; the blob cache lives in a keyspace of its own): they are created here too,
     * so that enabling them later is covered.
     */
    static final CassandraModule DISTRIBUTED_APP_MODULES = CassandraModule.aggregateModules(
        // CassandraSessionModule
        CassandraZonedDateTimeModule.MODULE,
        CassandraSchemaVersionModule.MODULE,
        // CassandraDelegationStoreModule, CassandraDomainListModule, CassandraRecipientRewriteTableModule
        CassandraUsersRepositoryModule.MODULE,
        CassandraDomainListModule.MODULE,
        CassandraRRTModule.MODULE,
        // CassandraSieveRepositoryModule, CassandraVacationModule
        CassandraSieveRepositoryModule.MODULE,
        CassandraVacationModule.MODULE,
        CassandraNotificationRegistryModule.MODULE,
        // CassandraEventStoreModule (also holds the DLP configuration and the mail queue view configuration)
        CassandraEventStoreModule.MODULE(),
        // CassandraMailRepositoryModule
        CassandraMailRepositoryModule.MODULE,
        CassandraMailRepositoryUrlModule.MODULE,
        // CassandraMailboxModule, with the CassandraQuotaModule and CassandraThreadIdGuessingModule it
        // installs; the CassandraDeadLetterModule it installs too binds CassandraEventDeadLettersModule,
        // whose artifact (dead-letter-cassandra) is not on Maven Central at 3.8.1
        CassandraAclModule.MODULE,
        CassandraAttachmentModule.MODULE,
        CassandraMailboxModule.MODULE,
        CassandraMessageModule.MODULE,
        CassandraMailboxCounterModule.MODULE,
        CassandraAnnotationModule.MODULE,
        CassandraApplicableFlagsModule.MODULE,
        CassandraDeletedMessageModule.MODULE,
        CassandraFirstUnseenModule.MODULE,
        CassandraMailboxRecentsModule.MODULE,
        CassandraModSeqModule.MODULE,
        CassandraSubscriptionModule.MODULE,
        CassandraUidModule.MODULE,
        CassandraQuotaModule.MODULE,
        CassandraThreadModule.MODULE,
        // CassandraJmapModule
        CassandraAccessModule.MODULE,
        CassandraMessageFastViewProjectionModule.MODULE,
        CassandraEmailQueryViewModule.MODULE,
        CassandraMailboxChangeModule.MODULE,
        CassandraEmailChangeModule.MODULE,
        UploadModule.MODULE,
        CassandraPushSubscriptionModule.MODULE,
        CassandraFilteringProjectionModule.MODULE,
        CassandraCustomIdentityModule.MODULE(),
        // BlobStoreChoosingModule (bound whichever blob store is chosen) and BlobStoreCacheModulesChooser
        CassandraBlobModule.MODULE,
        CassandraBlobCacheModule.MODULE,
        // DistributedTaskManagerModule
        CassandraTaskExecutionDetailsProjectionModule.MODULE(),
        // CassandraMailQueueViewModule (the default mail queue view)
        CassandraMailQueueViewModule.MODULE,
        // CassandraDeletedMessageVaultModule
        DeletedMessageMetadataModule.MODULE);

    private static final Username BOB = Username.of("bob@example.com");

    // Cassandra 5.0 removed the spelling of the compression options that the Java driver 4.15 of James 3.8.1
    // writes for withLZ4Compression(chunkLength, crcCheckChance) (CASSANDRA-18742, CASSJAVA-89).
    private static final String REFUSED_OPTION = "Unknown compression options chunk_length_kb";

    /** The tables that Cassandra refused to create as James 3.8.1 writes them, with its answer. */
    private static final Map<String, String> refusedTables = new TreeMap<>();
    /** Their statements, as James writes them but for the compression options, spelt as Cassandra 5.0 takes them. */
    private static final Map<String, String> respeltTables = new TreeMap<>();
    /** What docker-compose's cassandra-init runs before the distributed nodes start. */
    private static final Path INIT_SCRIPT = Paths.get("..", "james-conf", "docker", "cassandra-init.cql");

    /**
     * Creates the schema table by table, as CassandraTableManager does but without stopping at the
     * first refusal, so that every refusal is known; then creates the refused tables again with their
     * compression option spelt the way Cassandra 5.0 wants it, which is what a deployment has to do
     * before James starts: James only looks for a table's name, not its options.
     */
    @BeforeAll
    static void createJamesSchema() {
        CqlSession session = cassandra.session();
        assertThat(new CassandraTypesCreator(DISTRIBUTED_APP_MODULES, session).initializeTypes())
            .isEqualTo(CassandraType.InitializationStatus.FULL);
        CassandraTypesProvider types = new CassandraTypesProvider(session);
        KeyspaceMetadata keyspace = session.getMetadata().getKeyspace(cassandra.keyspace()).orElseThrow();
        for (CassandraTable table : DISTRIBUTED_APP_MODULES.moduleTables()) {
            try {
                table.initialize(keyspace, session, types).block();
            } catch (InvalidConfigurationInQueryException e) {
                refusedTables.put(table.getName(), e.getMessage());
                String respelt = withCassandra50Compression(((SimpleStatement) e.getExecutionInfo().getRequest()).getQuery());
                respeltTables.put(table.getName(), respelt);
                session.execute(respelt);
            }
        }
    }

    // The spellings Cassandra 5.0 takes, both known since Cassandra 3.0: chunk_length_in_kb, and
    // crc_check_chance as an option of the table rather than of its compression.
    private static String withCassandra50Compression(String cql) {
        return cql.replace("'chunk_length_kb'", "'chunk_length_in_kb'")
            .replaceAll(",'crc_check_chance':([0-9.]+)\\}", "} AND crc_check_chance=$1");
    }

    @Test
    void cassandra50RefusesTheCompressionOptionsOfFourJamesTables() {
        assertThat(refusedTables).containsOnly(
            entry(CassandraMailboxTable.TABLE_NAME, REFUSED_OPTION),
            entry(MessageIdToImapUid.TABLE_NAME, REFUSED_OPTION),
            entry(CassandraMessageFastViewProjectionTable.TABLE_NAME, REFUSED_OPTION),
            entry(BlobTables.BlobStoreCache.TABLE_NAME, REFUSED_OPTION));
    }

    // Respelt, the refused tables keep the compression James asks for.
    @Test
    void refusedTablesKeepTheCompressionJamesAsksFor() {
        KeyspaceMetadata keyspace = cassandra.session().refreshSchema().getKeyspace(cassandra.keyspace()).orElseThrow();

        assertThat(refusedTables.keySet()).allSatisfy(table -> {
            Map<CqlIdentifier, Object> options = keyspace.getTable(table).orElseThrow().getOptions();
            assertThat(options.get(CqlIdentifier.fromCql("compression"))).asInstanceOf(InstanceOfAssertFactories.map(String.class, String.class))
                .containsEntry("class", "org.apache.cassandra.io.compress.LZ4Compressor")
                .containsEntry("chunk_length_in_kb", "8");
            assertThat(options.get(CqlIdentifier.fromCql("crc_check_chance"))).isEqualTo(1.0);
        });
    }

    // Renaming chunk_length_kb is not enough.
    @Test
    void cassandra50RefusesTheCrcCheckChanceAsACompressionOption() {
        assertThatThrownBy(() -> cassandra.session().execute("CREATE TABLE crc_check_chance_in_compression (id int PRIMARY KEY)"
                + " WITH compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': 8, 'crc_check_chance': 1.0}"))
            .isInstanceOf(InvalidConfigurationInQueryException.class)
            .hasMessage("Unknown compression options crc_check_chance");
    }

    // So a James 3.8.1 node does not start on an empty keyspace of Cassandra 5.0: its schema creation stops there.
    @Test
    void jamesSchemaCreationFailsOnAnEmptyKeyspace() {
        String keyspace = cassandra.keyspace() + "_empty";
        try (CqlSession admin = cassandra.server().adminSession()) {
            admin.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        }
        try (CqlSession session = cassandra.server().session(keyspace)) {
            new CassandraTypesCreator(DISTRIBUTED_APP_MODULES, session).initializeTypes();

            assertThatThrownBy(() -> new CassandraTableManager(DISTRIBUTED_APP_MODULES, session).initializeTables(new CassandraTypesProvider(session)))
                .isInstanceOf(InvalidConfigurationInQueryException.class)
                .hasMessage(REFUSED_OPTION);
        }
    }

    /**
     * docker-compose's cassandra-init creates, before the nodes start, the tables Cassandra 5.0 refuses in the keyspace
     * the distributed image uses: exactly as James defines them but for the compression options. The blob cache is
     * left out: it is off in the image (blob.properties), and lives in a keyspace of its own when turned on.
     */
    @Test
    void theInitScriptShouldCreateTheRefusedTablesAsJamesDefinesThem() throws Exception {
        List<String> expected = new ArrayList<>();
        expected.add("CREATE KEYSPACE IF NOT EXISTS apache_james WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        expected.add("USE apache_james");
        expected.add("CREATE TYPE IF NOT EXISTS mailboxbase (namespace text, user text)");
        // Run again at every start of the compose file: IF NOT EXISTS; in the keyspace the script names.
        respeltTables.forEach((table, statement) -> {
            if (!table.equals(BlobTables.BlobStoreCache.TABLE_NAME)) {
                expected.add(statement.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ").replace(cassandra.keyspace() + ".", ""));
            }
        });

        assertThat(initScriptStatements())
            .as("the statements of %s; expected, as a file:%n%s", INIT_SCRIPT, String.join(";\n", expected) + ";")
            .containsExactlyElementsOf(expected);
    }

    /** A distributed node, on a keyspace the init script prepared: James creates the rest and starts. */
    @Test
    void jamesSchemaCreationShouldSucceedAfterTheInitScript() throws Exception {
        String keyspace = cassandra.keyspace() + "_init";
        try (CqlSession admin = cassandra.server().adminSession()) {
            admin.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        }
        List<CassandraTable> tablesWithoutBlobCache = DISTRIBUTED_APP_MODULES.moduleTables().stream()
            .filter(table -> !table.getName().equals(BlobTables.BlobStoreCache.TABLE_NAME))
            .collect(Collectors.toList());
        CassandraModule withoutBlobCache = new CassandraModule() {
            @Override
            public List<CassandraTable> moduleTables() {
                return tablesWithoutBlobCache;
            }

            @Override
            public List<CassandraType> moduleTypes() {
                return DISTRIBUTED_APP_MODULES.moduleTypes();
            }
        };
        try (CqlSession session = cassandra.server().session(keyspace)) {
            initScriptStatements().stream()
                .filter(statement -> !statement.startsWith("CREATE KEYSPACE") && !statement.startsWith("USE "))
                .forEach(session::execute);

            new CassandraTypesCreator(DISTRIBUTED_APP_MODULES, session).initializeTypes();
            new CassandraTableManager(withoutBlobCache, session).initializeTables(new CassandraTypesProvider(session));

            assertThat(session.refreshSchema().getKeyspace(keyspace).orElseThrow().getTables())
                .hasSize(DISTRIBUTED_APP_MODULES.moduleTables().size() - 1);
        }
    }

    private static List<String> initScriptStatements() throws IOException {
        String script = Files.readAllLines(INIT_SCRIPT).stream()
            .filter(line -> !line.startsWith("--"))
            .collect(Collectors.joining("\n"));
        return Arrays.stream(script.split(";"))
            .map(statement -> statement.trim().replaceAll("\\s*\n\\s*", " "))
            .filter(statement -> !statement.isEmpty())
            .collect(Collectors.toList());
    }

    @Test
    void keyspaceHoldsEveryTableAndTypeOfTheDistributedApp() {
        KeyspaceMetadata keyspace = cassandra.session().refreshSchema().getKeyspace(cassandra.keyspace()).orElseThrow();

        assertThat(keyspace.getTables().keySet().stream().map(CqlIdentifier::asInternal).collect(Collectors.toSet()))
            .containsExactlyInAnyOrderElementsOf(DISTRIBUTED_APP_MODULES.moduleTables().stream()
                .map(table -> CqlIdentifier.fromCql(table.getName()).asInternal())
                .collect(Collectors.toList()));
        assertThat(keyspace.getUserDefinedTypes().keySet().stream().map(CqlIdentifier::asInternal).collect(Collectors.toSet()))
            .containsExactlyInAnyOrderElementsOf(DISTRIBUTED_APP_MODULES.moduleTypes().stream()
                .map(type -> CqlIdentifier.fromCql(type.getName()).asInternal())
                .collect(Collectors.toList()));
    }

    // What a starting node does on that schema, the refused tables included: it finds it done and leaves it alone.
    @Test
    void jamesFindsTheSchemaDone() {
        CqlSession session = cassandra.newSession();

        assertThat(new CassandraTypesCreator(DISTRIBUTED_APP_MODULES, session).initializeTypes())
            .isEqualTo(CassandraType.InitializationStatus.ALREADY_DONE);
        assertThat(new CassandraTableManager(DISTRIBUTED_APP_MODULES, session).initializeTables(new CassandraTypesProvider(session)))
            .isEqualTo(CassandraTable.InitializationStatus.ALREADY_DONE);
    }

    // James records the latest schema version once it has created a schema from scratch, and checks it at start-up.
    @Test
    void schemaVersionIsWrittenAndReadBack() {
        CassandraSchemaVersionDAO schemaVersion = new CassandraSchemaVersionDAO(cassandra.session());

        schemaVersion.updateVersion(CassandraSchemaVersionManager.MAX_VERSION).block();

        assertThat(schemaVersion.getCurrentSchemaVersion().block()).contains(CassandraSchemaVersionManager.MAX_VERSION);
    }

    // Users are inserted by a lightweight transaction (IF NOT EXISTS).
    @Test
    void usersAreAddedAndRead() throws Exception {
        CassandraUsersDAO users = new CassandraUsersDAO(cassandra.session());

        users.addUser(BOB, "secret");

        assertThat(users.contains(BOB)).isTrue();
        assertThat(users.getUserByName(BOB)).hasValueSatisfying(user -> {
            assertThat(user.getUserName()).isEqualTo(BOB);
            assertThat(user.verifyPassword("secret")).isTrue();
        });
        assertThat(users.listReactive().collectList().block()).contains(BOB);
        assertThatThrownBy(() -> users.addUser(BOB, "other")).hasMessageContaining("already exist");
    }

    // Domains too, and a second insertion is refused by the transaction's answer.
    @Test
    void domainsAreAddedAndListed() throws Exception {
        CassandraDomainList domainList = new CassandraDomainList(new InMemoryDNSService(), cassandra.session());
        domainList.configure(DomainListConfiguration.builder()
            .autoDetect(false)
            .autoDetectIp(false)
            .build());

        domainList.addDomain(Domain.of("example.com"));

        assertThat(domainList.getDomains()).contains(Domain.of("example.com"));
        assertThat(domainList.containsDomain(Domain.of("example.com"))).isTrue();
        assertThatThrownBy(() -> domainList.addDomain(Domain.of("example.com")))
            .isInstanceOf(DomainListException.class)
            .hasMessageContaining("already exists");
    }

    // CassandraRecipientRewriteTable's own constructor is package-private: its two DAOs, written as it writes them.
    @Test
    void recipientRewriteMappingsAreAddedAndRead() {
        CassandraRecipientRewriteTableDAO mappings = new CassandraRecipientRewriteTableDAO(cassandra.session());
        CassandraMappingsSourcesDAO sources = new CassandraMappingsSourcesDAO(cassandra.session());
        MappingSource source = MappingSource.fromUser("alias", Domain.of("example.com"));
        Mapping mapping = Mapping.alias("bob@example.com");

        mappings.addMapping(source, mapping).then(sources.addMapping(mapping, source)).block();

        assertThat(mappings.getAllMappings().collectList().block()).contains(Pair.of(source, mapping));
        assertThat(sources.retrieveSources(mapping).collectList().block()).containsExactly(source);
    }

    // The mailbox table holds a user-defined type (mailboxBase).
    @Test
    void mailboxesAreSavedAndRead() {
        CassandraMailboxDAO mailboxes = new CassandraMailboxDAO(cassandra.session(), new CassandraTypesProvider(cassandra.session()));
        CassandraId id = CassandraId.timeBased();
        MailboxPath inbox = MailboxPath.inbox(BOB);

        mailboxes.save(new Mailbox(inbox, UidValidity.of(42), id)).block();

        Mailbox read = mailboxes.retrieveMailbox(id).block();
        assertThat(read.generateAssociatedPath()).isEqualTo(inbox);
        assertThat(read.getUidValidity()).isEqualTo(UidValidity.of(42));
    }

    // Current quotas are counter columns.
    @Test
    void currentQuotasAreCounted() {
        CassandraCurrentQuotaManager quotas = new CassandraCurrentQuotaManager(cassandra.session());
        QuotaRoot root = QuotaRoot.quotaRoot("#private&" + BOB.asString(), Optional.of(Domain.of("example.com")));

        quotas.increase(new QuotaOperation(root, QuotaCountUsage.count(2), QuotaSizeUsage.size(300))).block();
        quotas.increase(new QuotaOperation(root, QuotaCountUsage.count(1), QuotaSizeUsage.size(50))).block();

        assertThat(quotas.getCurrentQuotas(root).block())
            .isEqualTo(new CurrentQuotas(QuotaCountUsage.count(3), QuotaSizeUsage.size(350)));
    }

    // Blobs larger than a part are split across the blobs and blobParts tables.
    @Test
    void blobsAreSavedAndRead() {
        BlobStore blobs = CassandraBlobStoreFactory.forTesting(cassandra.session(), new RecordingMetricFactory()).passthrough();
        byte[] content = "x".repeat(250 * 1024).getBytes(StandardCharsets.US_ASCII);

        BlobId id = Mono.from(blobs.save(blobs.getDefaultBucketName(), content, BlobStore.StoragePolicy.LOW_COST)).block();

        assertThat(Mono.from(blobs.readBytes(blobs.getDefaultBucketName(), id)).block()).isEqualTo(content);
    }
}
